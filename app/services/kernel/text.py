"""Text normalisation shared by search, validation and the demo generator.

Characters that cannot be stored. A Python string may hold lone surrogates (U+D800–U+DFFF,
half of a UTF-16 pair: only broken input makes them — a damaged clipboard, a file read with
the wrong encoding, a hostile caller). They are the only code points UTF-8 cannot encode, so
neither SQLite, PostgreSQL nor the content codec can store them. Relais decides in one place
what becomes of them:

- **free text is kept, each broken character shown as « � »** (U+FFFD): :func:`clean_line` and
  :func:`clean_text` — every service's one-line and multi-line text goes through them (notes,
  referral messages, feedback and reasons, the social assessment and actions, addresses,
  labels, reasons, home-care and discharge texts…). Refusing would lose a long text for one
  character nobody can read anyway; a surrogate pair split in two code points is joined back
  into its character first.
- **identities and identifiers are refused** with a French message naming the field
  (:func:`app.services.kernel.validation.unencodable_error`): a patient's names, birth place
  and NIR,
  phone numbers, e-mail and postal code, the names of accounts and of the partners directory,
  a new password, a folder path. A « � » there would silently change who or what the value
  designates: the user retypes it. Looking up such a value (sign-in, an account) finds nothing.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lower case, accents and ligatures folded to ASCII: "Dupré-Lœuvre" -> "dupre-loeuvre"."""
    return unidecode(unicodedata.normalize("NFC", encodable(text))).lower().strip()


def search_tokens(*texts: str) -> set[str]:
    """The words of one or more names, normalised: prefix search works on each."""
    tokens: set[str] = set()
    for text in texts:
        tokens.update(t for t in _WORD_SPLIT.split(search_key(text)) if t)
    return tokens


def has_unencodable(text: str) -> bool:
    """True when ``text`` holds a character that cannot be stored (a lone surrogate)."""
    return _SURROGATE.search(text) is not None


def encodable(text: str) -> str:
    """``text`` as it can be stored: a surrogate pair split in two code points joined back into
    its character, every other surrogate replaced by U+FFFD (« � »)."""
    if not has_unencodable(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_line(text: str) -> str:
    """One-line field: storable (see above), NFC, control characters removed, inner
    whitespace collapsed."""
    text = unicodedata.normalize("NFC", encodable(text))
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\r", " ").replace("\n", " "))
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Multi-line field: storable (see above), NFC, line breaks kept, other control
    characters removed."""
    text = unicodedata.normalize("NFC", encodable(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", "    ")
    return _CONTROL.sub("", text).strip()


def prefix_upper_bound(prefix: str) -> str:
    """Smallest string greater than every string starting with ``prefix`` (for range scans)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
