"""Result-list repaint time (issue 2: under 50 ms) with the real Qt search model, offscreen.

For the same keystrokes as ``bench_search.py``, the search result is fetched first, then timed:
resetting ``PatientSearchModel`` with it and ``QTableView.repaint()``. A second row times the
whole keystroke (service search + model + repaint).
Usage: ``.venv/bin/python benchmarks/bench_gui.py [--database URL]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import REFERENCE, TIMING_HEADERS, print_table, reference_url, timing_row
from bench_search import queries
from PySide6.QtWidgets import QApplication, QTableView

from app.container import Services
from app.demo.generator import DEMO_PASSWORD
from app.services.patient_file.records import SearchResult
from app.views.shell.search_model import PatientSearchModel

REPAINT_BUDGET_MS = 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure du réaffichage de la liste de résultats.")
    parser.add_argument("--database", default=reference_url())
    args = parser.parse_args(argv)
    if args.database == reference_url() and not REFERENCE.exists():
        print("Base de référence absente : lancez d'abord benchmarks/make_reference.py.")
        return 1
    app = QApplication.instance() or QApplication([])
    services = Services.open(args.database)
    view = QTableView()
    try:
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        ready: dict[str, SearchResult] = {}
        model = PatientSearchModel(lambda q, limit, offset: ready[q])
        live = PatientSearchModel(
            lambda q, limit, offset: services.patients.search(
                secretary, q, limit=limit, offset=offset
            )
        )
        view.resize(1100, 700)
        view.show()
        app.processEvents()
        repaint, keystroke = [], []
        for texts in queries(services).values():
            for text in texts:
                for end in range(1, len(text) + 1):
                    prefix = text[:end]
                    ready[prefix.strip()] = services.patients.search(secretary, prefix.strip())
                    view.setModel(model)
                    start = time.perf_counter()
                    model.set_query(prefix)
                    view.repaint()
                    repaint.append((time.perf_counter() - start) * 1000)
                    view.setModel(live)
                    start = time.perf_counter()
                    live.set_query(prefix)
                    view.repaint()
                    keystroke.append((time.perf_counter() - start) * 1000)
                    app.processEvents()
        print_table(
            TIMING_HEADERS,
            [
                timing_row("liste : modèle + repaint", repaint, REPAINT_BUDGET_MS),
                timing_row("frappe complète (recherche + liste)", keystroke, None),
            ],
        )
    finally:
        view.setModel(None)  # type: ignore[arg-type]
        view.deleteLater()
        app.processEvents()
        services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
