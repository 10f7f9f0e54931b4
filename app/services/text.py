"""Text normalisation shared by search, validation and the demo generator."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lower case, accents and ligatures folded to ASCII: "Dupré-Lœuvre" -> "dupre-loeuvre"."""
    return unidecode(unicodedata.normalize("NFC", text)).lower().strip()


def search_tokens(*texts: str) -> set[str]:
    """The words of one or more names, normalised: prefix search works on each."""
    tokens: set[str] = set()
    for text in texts:
        tokens.update(t for t in _WORD_SPLIT.split(search_key(text)) if t)
    return tokens


def clean_line(text: str) -> str:
    """One-line field: NFC, control characters removed, inner whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\r", " ").replace("\n", " "))
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Multi-line field: NFC, line breaks kept, other control characters removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", "    ")
    return _CONTROL.sub("", text).strip()


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string starting with ``prefix`` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
