"""Reading, merging and compiling the gettext catalogue (``.po`` → ``.mo``) with the standard
library only: the strings marked with ``_()``, ``ngettext()`` and ``N_()`` in ``app/``."""

from __future__ import annotations

import ast
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MARKERS = {"_": 1, "N_": 1, "ngettext": 2}
HEADER = (
    "Project-Id-Version: Relais\n"
    "Language: {language}\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    translations: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        return bool(self.translations) and all(self.translations)


def extract(files: Iterable[Path], root: Path) -> dict[str, Entry]:
    """Every literal French message marked in ``files`` (first occurrence order)."""
    found: dict[str, Entry] = {}
    for path in sorted(files):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            count = MARKERS.get(node.func.id)
            if count is None or len(node.args) < count:
                continue
            args = node.args[:count]
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                continue
            texts = [a.value for a in args]  # type: ignore[attr-defined]
            entry = found.setdefault(texts[0], Entry(texts[0], texts[1] if count == 2 else None))
            entry.where.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return found


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def read_po(path: Path) -> dict[str, Entry]:
    """The entries of a ``.po`` file written by :func:`write_po` (or a translator's tool)."""
    entries: dict[str, Entry] = {}
    if not path.exists():
        return entries
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        if current.get("msgid"):
            plural = current.get("msgid_plural")
            if plural is not None:
                texts = [current.get(f"msgstr[{i}]", "") for i in range(2)]
            else:
                texts = [current.get("msgstr", "")]
            entries[current["msgid"]] = Entry(current["msgid"], plural, texts)
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and current:
                flush()
            continue
        if line.startswith('"'):
            current[key] = current.get(key, "") + _unquote(line)
            continue
        key, _, rest = line.partition(" ")
        if key == "msgid" and "msgid" in current:
            flush()
        current[key] = _unquote(rest)
    flush()
    return entries


def merge(found: dict[str, Entry], previous: dict[str, Entry]) -> dict[str, Entry]:
    """The extracted entries with the translations already made (obsolete ones dropped)."""
    for msgid, entry in found.items():
        old = previous.get(msgid)
        if old is not None and (old.plural is None) == (entry.plural is None):
            entry.translations = old.translations
    return found


def write_po(path: Path, entries: dict[str, Entry], language: str) -> None:
    lines = ['msgid ""', 'msgstr ""']
    lines += [_quote(h + "\n") for h in HEADER.format(language=language).splitlines()]
    for entry in entries.values():
        lines.append("")
        lines += [f"#: {w}" for w in entry.where[:3]]
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.plural is not None:
            texts = [*entry.translations, "", ""][:2]
            lines.append(f"msgid_plural {_quote(entry.plural)}")
            lines += [f"msgstr[{i}] {_quote(t)}" for i, t in enumerate(texts)]
        else:
            lines.append(f"msgstr {_quote((entry.translations or [''])[0])}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_mo(path: Path, entries: dict[str, Entry], language: str) -> None:
    """GNU ``.mo`` (the format :mod:`gettext` reads); untranslated entries are left out."""
    pairs: list[tuple[bytes, bytes]] = [(b"", HEADER.format(language=language).encode())]
    for entry in entries.values():
        if not entry.translated:
            continue
        if entry.plural is not None:
            key = f"{entry.msgid}\0{entry.plural}"
            value = "\0".join(entry.translations)
        else:
            key, value = entry.msgid, entry.translations[0]
        pairs.append((key.encode(), value.encode()))
    pairs.sort()
    count = len(pairs)
    ids_start = 7 * 4
    strs_start = ids_start + 8 * count
    data_start = strs_start + 8 * count
    ids_table, strs_table, blob = [], [], b""
    for key, _ in pairs:
        ids_table.append((len(key), data_start + len(blob)))
        blob += key + b"\0"
    for _, value in pairs:
        strs_table.append((len(value), data_start + len(blob)))
        blob += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, ids_start, strs_start, 0, 0)
    out += b"".join(struct.pack("<2I", *t) for t in ids_table)
    out += b"".join(struct.pack("<2I", *t) for t in strs_table)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + blob)
