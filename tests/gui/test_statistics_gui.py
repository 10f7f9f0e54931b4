"""The activity dashboard through its widgets (pytest-qt), on the real services: who finds
it in the main window, filters, charts (grabbed: not empty), tables, exports, cancelling."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import statistics_data as data
from gui_helpers import login, visible_texts
from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.models.enums import AuditOutcome
from app.services.statistics.model import StatisticsCancelled
from app.services.statistics.service import REFUSED
from app.views.statistics.dashboard import StatisticsDashboard
from app.views.statistics.table_model import StatTableModel

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def wait_done(qtbot, dashboard: StatisticsDashboard) -> None:
    qtbot.waitUntil(lambda: not dashboard.running, timeout=15_000)


def cell(dashboard: StatisticsDashboard, key: str, row: str, column: str) -> str:
    view = dashboard.findChild(object, f"table_{key}")
    model = view.model()
    assert isinstance(model, StatTableModel)
    r = next(i for i, x in enumerate(model.table.rows) if x.label == row)
    c = model.table.columns.index(column) + 1
    return model.data(model.index(r, c))


def colours(view: QChartView) -> int:
    """How many different colours the chart shows (an empty chart: its background only)."""
    image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert not image.isNull() and image.width() > 100
    seen = set()
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            seen.add(image.pixel(x, y))
    return len(seen)


def open_dashboard(qtbot, window, username, password) -> StatisticsDashboard:
    workspace = login(qtbot, window, username, password)
    assert workspace.statistics_button is not None
    qtbot.mouseClick(workspace.statistics_button, LEFT)
    dashboard = workspace.statistics
    assert dashboard is not None and workspace.files.currentWidget() is dashboard
    wait_done(qtbot, dashboard)
    return dashboard


def test_coordinator_opens_filters_reads_charts_and_exports(
    qtbot, window, services, team, make_patient, passwords, tmp_path: Path, qtmodeltester
):
    data.build(services, team, make_patient)
    dashboard = open_dashboard(qtbot, window, "coord", passwords("coord"))
    dashboard.filters.choose_year(data.YEAR)
    wait_done(qtbot, dashboard)
    assert dashboard.dashboard.filter == data.PERIOD
    assert cell(dashboard, "orientations_par_mois", "mars 2025", "Prise en charge") == "6"
    assert cell(dashboard, "orientations_par_mois", "Total", "Réorientée") == "< 5"
    assert cell(dashboard, "delais_par_etape", "Envoi → patient reçu (prise en charge)",
                "Médiane (jours)") == "4,5"  # fmt: skip
    view = dashboard.findChild(object, "table_orientations_par_mois")
    qtmodeltester.check(view.model())
    # A masked cell is shaded and says why; a shown one is not.
    model = view.model()
    total = len(model.table.rows) - 1
    hidden = model.index(total, model.table.columns.index("Réorientée") + 1)
    shown = model.index(total, model.table.columns.index("Total") + 1)
    assert model.data(hidden, Qt.ItemDataRole.BackgroundRole) is not None
    assert "Moins de 5" in model.data(hidden, Qt.ItemDataRole.ToolTipRole)
    assert model.data(shown, Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(shown, Qt.ItemDataRole.ToolTipRole) is None
    assert dashboard.tabs.count() == 6
    for name in ("referralsChart", "outcomesChart", "delaysChart", "reorientationsChart"):
        chart = dashboard.findChild(QChartView, name)
        assert chart is not None, name
        page = chart.parentWidget().parentWidget().parentWidget()
        dashboard.tabs.setCurrentWidget(page)
        chart.resize(700, 320)
        assert colours(chart) > 8, name
    # Filters: one reason category, then one professional (the coordinator may).
    dashboard.filters.choose_category("living")
    wait_done(qtbot, dashboard)
    assert cell(dashboard, "orientations_par_mois", "Total", "Total") == "< 5"
    dashboard.filters.choose_category(None)
    wait_done(qtbot, dashboard)
    dashboard.filters.choose_scope(team.gp2.user_id)
    wait_done(qtbot, dashboard)
    assert dashboard.dashboard.scope_label.startswith("Activité de")
    assert cell(dashboard, "orientations_par_mois", "Total", "Total") == "0"
    dashboard.filters.choose_scope(None)
    wait_done(qtbot, dashboard)
    # Exports: one CSV per table, and the report.
    with qtbot.waitSignal(dashboard.finished, timeout=15_000):
        dashboard.export_csv_to(tmp_path / "csv")
    assert {p.name for p in dashboard.last_export} >= {"orientations_par_mois.csv"}
    assert "tableaux enregistrés" in dashboard.status.text()
    with qtbot.waitSignal(dashboard.finished, timeout=15_000):
        dashboard.export_pdf_to(tmp_path / "rapport.pdf")
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
    # Figures only: no patient's name, no internal number on screen.
    shown = visible_texts(dashboard)
    assert not any(f"Statistique{i}" in shown for i in range(6)) and "Camille" not in shown
    scopes = [dashboard.filters.scope.itemText(i) for i in range(dashboard.filters.scope.count())]
    assert all(str(team.gp2.user_id) not in text.split() for text in scopes)
    assert any("Durand" in text for text in scopes)


def test_the_keyboard_opens_the_dashboard(qtbot, window, team, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    qtbot.keyClick(workspace, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: workspace.statistics is not None)
    assert workspace.files.currentWidget() is workspace.statistics
    wait_done(qtbot, workspace.statistics)
    assert workspace.statistics.tabs.count() == 6


@pytest.mark.parametrize("username", ["sec.roux", "ide.bernard"])
def test_no_dashboard_for_roles_without_statistics(qtbot, window, team, passwords, username):
    workspace = login(qtbot, window, username, passwords(username))
    assert workspace.statistics_button is None
    assert window.findChild(object, "statisticsButton") is None
    qtbot.keyClick(workspace, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.wait(50)
    assert workspace.statistics is None
    assert "Statistiques" not in [
        workspace.files.tabText(i) for i in range(workspace.files.count())
    ]


@pytest.mark.parametrize("role", ["secretary", "paramedical"])
def test_a_dashboard_opened_anyway_shows_the_refusal(qtbot, services, team, audit_log, role):
    """Should a dashboard be opened for a role without statistics, the service refuses (and
    audits); the dashboard says why in French and shows no figure, no export."""
    actor = getattr(team, role)
    before = audit_log.last_id()
    dashboard = StatisticsDashboard(services.statistics, actor)
    qtbot.addWidget(dashboard)
    assert dashboard.status.text() == REFUSED
    assert dashboard.dashboard is None and dashboard.tabs.count() == 0
    assert not dashboard.csv_button.isEnabled() and not dashboard.pdf_button.isEnabled()
    assert dashboard.filters.scope.count() == 1  # the clinic only, no one's name
    refused = audit_log.since(before, outcome=str(AuditOutcome.REFUSED), object_type="statistics")
    assert len(refused) == 2 and {r.user_id for r in refused} == {actor.user_id}


def test_a_gp_sees_the_clinic_and_her_own_referrals(qtbot, window, team, passwords):
    dashboard = open_dashboard(qtbot, window, "dr.durand", passwords("dr.durand"))
    scopes = [dashboard.filters.scope.itemText(i) for i in range(dashboard.filters.scope.count())]
    assert scopes == ["Toute la maison de santé", "Mes orientations"]
    dashboard.filters.choose_scope(team.gp.user_id)
    wait_done(qtbot, dashboard)
    assert dashboard.dashboard.scope_label.startswith("Mes orientations")


class SlowStatistics:
    """The real service, slowed down: each step waits, and stops when cancelled."""

    def __init__(self, real) -> None:
        self.real = real
        self.started = False
        self.cancelled_seen = False

    def __getattr__(self, name):
        return getattr(self.real, name)

    def dashboard(self, actor, flt, *, progress=None, cancelled=None):
        self.started = True
        for step in range(300):
            if cancelled is not None and cancelled():
                self.cancelled_seen = True
                raise StatisticsCancelled()
            if progress is not None:
                progress(step, 300)
            time.sleep(0.01)
        return self.real.dashboard(actor, flt)


def test_cancelling_stops_the_computation_cleanly(qtbot, services, team, runner):
    slow = SlowStatistics(services.statistics)
    dashboard = StatisticsDashboard(slow, team.coordinator, runner)
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitUntil(lambda: slow.started and dashboard.progress.value() > 0, timeout=5_000)
    assert dashboard.progress.isVisible() and dashboard.cancel_button.isVisible()
    with qtbot.waitSignal(dashboard.finished, timeout=10_000):
        qtbot.mouseClick(dashboard.cancel_button, LEFT)
    assert "annulé" in dashboard.status.text()
    assert not dashboard.running and dashboard.dashboard is None
    assert not dashboard.progress.isVisible()
    assert not dashboard.csv_button.isEnabled()
    # A new computation after it works (the real service, not slowed down).
    dashboard._statistics = services.statistics
    dashboard.refresh()
    wait_done(qtbot, dashboard)
    assert dashboard.dashboard is not None and dashboard.csv_button.isEnabled()


def test_closing_the_tab_while_computing_stops_it(qtbot, window, services, team, passwords):
    workspace = login(qtbot, window, "coord", passwords("coord"))
    slow = SlowStatistics(services.statistics)
    workspace._services = _With(workspace._services, statistics=slow)
    dashboard = workspace.open_statistics()
    qtbot.waitUntil(lambda: slow.started, timeout=5_000)
    index = workspace.files.indexOf(dashboard)
    workspace.close_file_at(index)
    assert workspace.statistics is None and workspace.files.indexOf(dashboard) == -1
    window.runner.wait(10_000)  # the computation stopped at its next step, reported to no one
    qtbot.wait(50)
    assert slow.cancelled_seen


class _With:
    """The window's services, one of them replaced."""

    def __init__(self, real, **replaced) -> None:
        self._real, self._replaced = real, replaced

    def __getattr__(self, name):
        return self._replaced.get(name) or getattr(self._real, name)
