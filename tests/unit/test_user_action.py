"""One user action, one unit of work (issue 16): opening a file reads its identity and its notes
in several service calls; inside ``Services.user_action()`` they share one transaction and
commit once, their audit entries with them. Statements and commits are counted with event
listeners on a real SQLite file (no timing)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from app.models import AuditEntry
from app.services.kernel.errors import PermissionDenied


class Counter:
    """SQL statements and commits on the services' engine."""

    def __init__(self, engine):
        self.engine = engine
        self.statements = self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, *_args) -> None:
        self.statements += 1

    def _commit(self, *_args) -> None:
        self.commits += 1

    def reset(self) -> None:
        self.statements = self.commits = 0

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)


@pytest.fixture
def counter(services):
    found = Counter(services.db.engine)
    yield found
    found.close()


@pytest.fixture
def big_file(services, team, make_patient, liaison_consent):
    patient = make_patient("Fichier", "Gros")
    liaison_consent(patient)
    for n in range(50):
        compartment = "liaison" if n % 5 == 4 else "medical"
        services.notes.add(team.gp, patient, compartment, f"Note de suivi n° {n + 1} : RAS.")
    return patient


def _audit_count(services) -> int:
    with services.db.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _open_file(services, actor, patient_id) -> int:
    services.patients.get(actor, patient_id)
    return sum(len(services.notes.list(actor, patient_id, c)) for c in ("medical", "liaison"))


def test_opening_a_file_commits_once(services, team, big_file, counter):
    before = _audit_count(services)
    counter.reset()
    assert _open_file(services, team.gp, big_file) == 50
    separate = (counter.statements, counter.commits)
    assert separate[1] == 3  # one unit of work per call
    counter.reset()
    with services.user_action():
        assert _open_file(services, team.gp, big_file) == 50
    assert counter.commits == 1  # one commit (one fsync) for the whole action
    # Fewer statements than three units of work, savepoints included: the patient and the
    # chain head are read once for the whole action.
    assert counter.statements < separate[0]
    # BEGIN, 3 savepoints and their releases, the patient, the chain head (read once), per
    # read an audit insert and a head update, per list its notes and their authors, the
    # liaison consent, the anchor check at commit: 21, and no count for a whole list.
    assert counter.statements <= 21
    assert _audit_count(services) == before + 6  # every read audited, both times
    assert services.audit_log is not None


def test_a_refusal_inside_an_action_is_audited_and_the_rest_kept(services, team, big_file, counter):
    before = _audit_count(services)
    counter.reset()
    with pytest.raises(PermissionDenied), services.user_action():
        services.patients.get(team.secretary, big_file)  # audited read
        services.notes.list(team.secretary, big_file, "medical")  # refused, audited
    assert counter.commits == 1
    assert _audit_count(services) == before + 2  # the read and the refusal both kept


def test_a_failed_unit_inside_an_action_undoes_itself_only(services, team, make_patient):
    from app.models import Notification

    def notices() -> int:
        with services.db.session(write=False) as session:
            return int(session.scalar(select(func.count()).select_from(Notification)) or 0)

    with services.user_action():
        with services.db.session() as session:
            session.add(
                Notification(
                    user_id=team.gp.user_id,
                    kind="reminder",
                    text="gardée",
                    created_at=services.clock(),
                )
            )
        with pytest.raises(RuntimeError), services.db.session() as session:
            session.add(
                Notification(
                    user_id=team.gp.user_id,
                    kind="reminder",
                    text="défaite",
                    created_at=services.clock(),
                )
            )
            session.flush()
            raise RuntimeError("échec")
        with services.user_action():  # nested: joins the outer action
            pass
    assert notices() == 1
