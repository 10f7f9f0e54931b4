"""Regenerate every translation catalogue: ``python -m app.i18n.update``.

1. Qt strings of the views (``self.tr``, ``QCoreApplication.translate``): ``pyside6-lupdate``
   updates ``resources/i18n/relais_en.ts`` (translations kept, obsolete ones dropped), then
   ``pyside6-lrelease`` compiles ``relais_en.qm``.
2. Service messages (``_()``, ``ngettext()``, ``N_()``): extracted from ``app/`` into
   ``resources/i18n/en/LC_MESSAGES/relais.po`` (translations kept), compiled to ``relais.mo``.

Translate with Qt Linguist (``pyside6-linguist resources/i18n/relais_en.ts``) and any ``.po``
editor, then run this command again. It prints what is left untranslated. ``--check`` changes
nothing and exits 1 when a marked service message is missing from the ``.po`` file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from app.i18n import CATALOGUES, DOMAIN
from app.i18n.catalogue import extract, merge, read_po, write_mo, write_po

ROOT = Path(__file__).resolve().parents[2]
TS = CATALOGUES / "relais_en.ts"
QM = CATALOGUES / "relais_en.qm"
# French is the source language; this file only holds its plural forms (%n).
TS_FR = CATALOGUES / "relais_fr.ts"
QM_FR = CATALOGUES / "relais_fr.qm"
PO = CATALOGUES / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def qt_sources() -> list[Path]:
    return sorted((ROOT / "app" / "views").rglob("*.py"))


def service_sources() -> list[Path]:
    skip = {ROOT / "app" / "i18n"}
    return [
        p
        for p in sorted((ROOT / "app").rglob("*.py"))
        if not any(s in p.parents for s in skip) and (ROOT / "app" / "views") not in p.parents
    ]


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(found).exists():
        raise SystemExit(f"{name} introuvable (installé avec PySide6).")
    return found


def _lupdate(ts: Path, target: str, *extra: str) -> None:
    files = [str(p.relative_to(ROOT)) for p in qt_sources()]
    command = [_tool("pyside6-lupdate"), *files, "-ts", str(ts.relative_to(ROOT)), *extra]
    command += ["-source-language", "fr_FR", "-target-language", target]
    command += ["-tr-function-alias", "tr+=t", "-no-obsolete", "-locations", "none", "-silent"]
    subprocess.run(command, cwd=ROOT, check=True)


def update_qt() -> tuple[int, int]:
    _lupdate(TS, "en_GB")
    _lupdate(TS_FR, "fr_FR", "-pluralonly")
    for ts, qm in ((TS, QM), (TS_FR, QM_FR)):
        subprocess.run(
            [_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True
        )
    return ts_counts(TS)


def ts_counts(path: Path) -> tuple[int, int]:
    """(messages, untranslated) of a ``.ts`` file."""
    messages = ET.parse(path).getroot().iter("message")
    total = left = 0
    for message in messages:
        total += 1
        translation = message.find("translation")
        if translation is None or translation.get("type") == "unfinished":
            left += 1
    return total, left


def update_services(check: bool = False) -> tuple[int, int]:
    found = extract(service_sources(), ROOT)
    previous = read_po(PO)
    if check:
        missing = sorted(set(found) - set(previous))
        if missing:
            print(f"{len(missing)} message(s) absent(s) de {PO.name} :", *missing[:20], sep="\n")
            raise SystemExit(1)
    entries = merge(found, previous)
    if not check:
        write_po(PO, entries, "en")
        write_mo(MO, entries, "en")
    return len(entries), sum(not e.translated for e in entries.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n.update", description=__doc__)
    parser.add_argument("--check", action="store_true", help="vérifier sans rien écrire")
    args = parser.parse_args(argv)
    if not args.check:
        total, left = update_qt()
        print(f"Interface (Qt) : {total} textes, {left} sans traduction anglaise ({TS.name}).")
        total, left = ts_counts(TS_FR)
        print(f"Pluriels français : {total} textes, {left} sans formes ({TS_FR.name}).")
    total, left = update_services(args.check)
    print(f"Services : {total} messages, {left} sans traduction anglaise ({PO.name}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
