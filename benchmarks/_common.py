"""Shared helpers of the benchmark scripts: the reference database and the result table."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT.parent))

OUT = ROOT / "out"
REFERENCE = OUT / "reference.sqlite"
REFERENCE_PATIENTS = 100_000


def reference_url(path: Path = REFERENCE) -> str:
    return f"sqlite:///{path}"


def fr_int(value: int) -> str:
    """An integer with French digit grouping: 100 000."""
    return f"{value:,}".replace(",", " ")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def timing_row(label: str, samples_ms: list[float], budget_ms: float | None) -> list[str]:
    p95 = percentile(samples_ms, 95)
    verdict = "" if budget_ms is None else ("OK" if p95 < budget_ms else "DÉPASSÉ")
    return [
        label,
        str(len(samples_ms)),
        f"{statistics.median(samples_ms):.2f}",
        f"{p95:.2f}",
        f"{max(samples_ms):.2f}",
        "" if budget_ms is None else f"< {budget_ms:g}",
        verdict,
    ]


TIMING_HEADERS = ["Mesure", "n", "p50 (ms)", "p95 (ms)", "max (ms)", "budget p95", "verdict"]


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    from app.admin import text_table

    print(text_table(headers, rows))
