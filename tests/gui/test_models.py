"""Every item model through pytest-qt's model tester, with real service data."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.services.kernel.records import PatientSummary
from app.services.patient_file.records import SearchResult
from app.views.admin.accounts_model import AccountsModel
from app.views.patient_file.history_model import HistoryModel
from app.views.patient_file.notes_model import NotesModel
from app.views.shell.search_model import PatientIdRole, PatientSearchModel

pytestmark = pytest.mark.gui


def test_search_model_with_service(qtmodeltester, services, team, make_patient):
    ids = {make_patient("Dupré", f"Jean{i}") for i in range(7)}
    make_patient("Martin", "Paul")

    def fetch(query: str, limit: int, offset: int) -> SearchResult:
        return services.patients.search(team.secretary, query, limit=limit, offset=offset)

    model = PatientSearchModel(fetch, page_size=3)
    model.set_query("dupre")
    assert model.rowCount() == 3 and model.canFetchMore()
    # One check; the tester then watches every later insertion and reset.
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    assert {model.data(model.index(r, 0), PatientIdRole) for r in range(model.rowCount())} == ids
    assert model.data(model.index(0, PatientSearchModel.NAME)).startswith("DUPRÉ")
    model.set_query("")
    assert model.rowCount() == 0


def test_search_model_lazy_fetch_asks_pages(qtmodeltester):
    calls: list[tuple[int, int]] = []
    people = [
        PatientSummary(
            i, f"Nom{i}", "", "Prénom", "F", __import__("datetime").date(1970, 1, 1), None, ""
        )
        for i in range(25)
    ]

    def fetch(query: str, limit: int, offset: int) -> SearchResult:
        calls.append((limit, offset))
        return SearchResult(people[offset : offset + limit], offset + limit < len(people))

    model = PatientSearchModel(fetch, page_size=10)
    model.set_query("nom")
    assert model.rowCount() == 10
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 25 and not model.canFetchMore()
    assert calls == [(10, 0), (10, 10), (10, 20)]
    qtmodeltester.check(model, force_py=True)


def test_notes_model(qtmodeltester, services, team, make_patient, clock):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Première note")
    clock.advance(minutes=5)
    services.notes.add(team.gp2, patient, "medical", "Deuxième\nnote sur deux lignes")
    model = NotesModel()
    model.start(
        lambda offset, limit: services.notes.page(
            team.gp, patient, "medical", offset=offset, limit=limit
        )
    )
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2 and model.total == 2 and not model.canFetchMore()
    assert model.data(model.index(0, NotesModel.TEXT)) == "Deuxième note sur deux lignes"
    assert model.data(model.index(0, NotesModel.AUTHOR)) == "Claire Lefèvre"


def test_notes_model_fetches_a_page_at_a_time(qtmodeltester, services, team, make_patient):
    patient = make_patient()
    for i in range(7):
        services.notes.add(team.gp, patient, "medical", f"Note {i}")
    model = NotesModel()
    model.PAGE = 3
    model.start(
        lambda offset, limit: services.notes.page(
            team.gp, patient, "medical", offset=offset, limit=limit
        )
    )
    assert (model.rowCount(), model.total) == (3, 7) and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 7 and not model.canFetchMore()
    texts = [model.data(model.index(r, NotesModel.TEXT)) for r in range(7)]
    assert texts == [f"Note {i}" for i in reversed(range(7))]  # newest first, no repeat
    qtmodeltester.check(model, force_py=True)


def test_history_model(qtmodeltester, services, team, make_patient):
    patient = make_patient()
    services.notes.add(team.gp, patient, "medical", "Note")
    model = HistoryModel()
    model.start(
        lambda offset, limit: services.patient_file.history_page(
            team.gp, patient, offset=offset, limit=limit
        )
    )
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() >= 2
    rows = {
        (
            model.data(model.index(r, HistoryModel.ACTION)),
            model.data(model.index(r, HistoryModel.DETAIL)),
        )
        for r in range(model.rowCount())
    }
    assert ("Création", "Note") in rows and ("Création", "Identité") in rows
    assert model.headerData(HistoryModel.DETAIL, Qt.Orientation.Horizontal) == "Précision"


def test_accounts_model(qtmodeltester, services, team):
    model = AccountsModel()
    secretary = services.accounts.find_user(team.coordinator, "sec.roux")
    services.accounts.set_active(team.coordinator, secretary.id, False)
    users = services.accounts.list_users(team.coordinator)
    model.set_users(users)
    qtmodeltester.check(model, force_py=True)
    usernames = {model.data(model.index(r, AccountsModel.USERNAME)) for r in range(len(users))}
    assert {"coord", "dr.durand", "sec.roux"} <= usernames
    row = next(r for r in range(len(users)) if users[r].username == "sec.roux")
    assert model.data(model.index(row, AccountsModel.ACTIVE)) == "Non (désactivé)"


def test_models_are_thread_free():
    # The models never start threads of their own (all fetching is on the caller's thread).
    before = threading.active_count()
    PatientSearchModel(lambda q, n, o: SearchResult([], False)).set_query("x")
    time.sleep(0)
    assert threading.active_count() == before
