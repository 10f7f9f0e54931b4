"""UI-thread stalls (issue 11: none over 100 ms) from login to printing, on the demo data.

The GUI test ``tests/gui/test_watchdog_walkthrough.py`` walks login, search, opening a file,
referring, booking and printing under a 10 ms watchdog timer and writes, for each step, the
worst late tick (wall clock), and the same less the UI thread's waits for a processor (the part
the application causes), to ``benchmarks/out/ui_stalls.json``; this script prints that table
(``--run`` runs the test first). Steps marked « non vérifiée » belong to another screen and
are only measured.
Usage: ``.venv/bin/python benchmarks/bench_ui_stalls.py [--run]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from _common import OUT, ROOT, print_table

RESULT = OUT / "ui_stalls.json"
TEST = ROOT.parent / "tests" / "gui" / "test_watchdog_walkthrough.py"
HEADERS = [
    "Étape",
    "pire retard (ms)",
    "hors attente CPU (ms)",
    "> limite",
    "ticks",
    "responsable",
    "vérifiée",
    "note",
]


def run_test() -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT.parent))
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", str(TEST)]
    return subprocess.run(argv, env=env, cwd=ROOT.parent, check=False).returncode


def rows(data: dict) -> list[list[str]]:
    return [
        [
            step["step"],
            f"{step['worst_ms']:.1f}",
            f"{step.get('worst_own_ms', 0.0):.1f}",
            str(step["stalls_over_limit"]),
            str(step["ticks"]),
            step["owner"],
            "oui" if step["asserted"] else "non",
            step["note"],
        ]
        for step in data["steps"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run the GUI walkthrough first")
    args = parser.parse_args(argv)
    code = run_test() if args.run else 0
    if not RESULT.exists():
        print(f"Pas de résultat : lancez {TEST.name} (ou --run).", file=sys.stderr)
        return 1
    data = json.loads(RESULT.read_text(encoding="utf-8"))
    print(f"Blocages du fil de l'interface (limite {data['limit_ms']:g} ms, "
          f"minuterie de {data['tick_ms']} ms)")  # fmt: skip
    print_table(HEADERS, rows(data))
    return code


if __name__ == "__main__":
    sys.exit(main())
