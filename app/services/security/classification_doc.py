"""The data classification as the Markdown table of docs/security.md (« What a copied
database reveals »)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n import N_, Labels
from app.services.security.classification_kinds import Legacy, Readable, Sealed

Classification = dict[str, dict[str, Readable | Sealed | Legacy]]

KEY_LABELS = Labels(
    {
        "medical": N_("medical compartment key"),
        "social": N_("social compartment key"),
        "liaison": N_("liaison compartment key"),
        "care": N_("« care » key (home care, discharge)"),
        "administrative": N_("administrative key"),
        "referral": N_("the referral's own key"),
        "password": N_("the user's password"),
    }
)


def _key_label(key: str) -> str:
    return KEY_LABELS.get(key, key)


def markdown_table(classification: Classification) -> str:
    """The classification as the Markdown table of docs/security.md."""
    lines = [
        "| table | sealed (under which key) | readable (why) |",
        "|---|---|---|",
    ]
    for table in sorted(classification):
        sealed: list[str] = []
        readable: dict[str, list[str]] = {}
        legacy: list[str] = []
        for column, kind in classification[table].items():
            if isinstance(kind, Sealed):
                what = f" ({kind.note})" if kind.note else ""
                sealed.append(f"`{column}`: {_key_label(kind.key)}{what}")
            elif isinstance(kind, Legacy):
                legacy.append(f"`{column}`")
            else:
                label = str(kind.why)
                if kind.note:
                    label = f"{label.split(' (')[0]}: {kind.note}"
                readable.setdefault(label, []).append(f"`{column}`")
        if legacy:
            sealed.append(
                "legacy clear columns, empty since 0005 and emptied by `keys encrypt-existing`: "
                + ", ".join(legacy)
            )
        groups = [f"{', '.join(cols)} — {why}" for why, cols in readable.items()]
        lines.append(f"| `{table}` | {'<br>'.join(sealed) or '–'} | {'<br>'.join(groups)} |")
    return "\n".join(lines) + "\n"


BEGIN = (
    "<!-- data-classification:begin "
    "(generated: python -m app.services.security.classification --write) -->"
)
END = "<!-- data-classification:end -->"
SECURITY_DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def render_into(text: str, classification: Classification) -> str:
    """``text`` (docs/security.md) with the generated table between its markers."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + markdown_table(classification) + text[end:]


def main(classification: Classification, argv: list[str] | None = None) -> int:
    """``python -m app.services.security.classification [--write]``: print the table, or
    rewrite it in docs/security.md."""
    parser = argparse.ArgumentParser(description="What a copied database shows.")
    parser.add_argument("--write", action="store_true", help="rewrite docs/security.md")
    args = parser.parse_args(argv)
    if args.write:
        text = SECURITY_DOC.read_text("utf-8")
        SECURITY_DOC.write_text(render_into(text, classification), "utf-8")
    else:
        sys.stdout.write(markdown_table(classification))
    return 0
