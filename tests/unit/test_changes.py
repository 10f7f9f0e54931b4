"""What changed, told after each committed unit of work, by kind and id only (issue 12)."""

from __future__ import annotations

import json

import pytest

from app.models import Notification
from app.services.kernel.changes import PATIENT_KINDS, ChangeBatch
from app.services.referrals.records import ReferralInput


@pytest.fixture
def batches(services):
    received: list[ChangeBatch] = []
    unsubscribe = services.changes.subscribe(received.append)
    yield received
    unsubscribe()


def send_referral(services, team, patient) -> int:
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient, "housing", message="Motif confidentiel", receiver_id=team.social_worker.user_id
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    return view.id


def test_a_sent_referral_is_told_with_ids_and_kinds_only(services, team, make_patient, batches):
    patient = make_patient("Martin", "Lucie")
    batches.clear()
    rid = send_referral(services, team, patient)
    assert batches, "nothing told after the referral was sent"
    last = batches[-1]
    assert ("referral", rid, patient) in {(c.kind, c.id, c.patient_id) for c in last.changes}
    assert last.user_id == team.gp.user_id and last.at == services.clock()
    assert last.origin == services.changes.origin and last.complete
    payload = last.to_payload()
    for secret in ("Martin", "MARTIN", "Lucie", "confidentiel", "housing", "Durand"):
        assert secret not in payload
    assert set(json.loads(payload)) <= {"o", "u", "t", "c"}
    assert ChangeBatch.from_payload(payload) == last
    assert last.touches_patient(patient) and not last.touches_patient(patient + 1)


def test_nothing_is_told_for_a_rolled_back_unit_of_work(services, team, batches):
    with pytest.raises(RuntimeError), services.db.session() as session:
        session.add(
            Notification(
                user_id=team.gp.user_id, kind="reminder", text="x", created_at=services.clock()
            )
        )
        session.flush()
        raise RuntimeError("abandon")
    assert batches == []


def test_reads_and_untracked_tables_tell_nothing(services, team, make_patient, batches):
    patient = make_patient("Durand", "Léa")
    batches.clear()
    services.patients.get(team.secretary, patient)
    services.inbox.items(team.social_worker)
    assert batches == []


def test_a_large_unit_of_work_is_told_as_kinds(services, team, batches):
    with services.db.session() as session:
        for n in range(150):
            session.add(
                Notification(
                    user_id=team.gp.user_id,
                    kind="reminder",
                    text=f"n{n}",
                    created_at=services.clock(),
                )
            )
    [batch] = batches
    assert not batch.complete and batch.kinds == {"notification"}
    assert len(batch.to_payload()) < 8000
    again = ChangeBatch.from_payload(batch.to_payload())
    assert again is not None and not again.complete and again.kinds == {"notification"}


def test_a_failing_subscriber_neither_undoes_nor_hides_the_commit(services, team, make_patient):
    def broken(_batch):
        raise ValueError("subscriber bug")

    unsubscribe = services.changes.subscribe(broken)
    try:
        patient = make_patient("Petit", "Noé")
        rid = send_referral(services, team, patient)
    finally:
        unsubscribe()
    assert services.referrals.get(team.gp, rid).id == rid


def test_everything_and_unreadable_payloads(services):
    everything = ChangeBatch.everything()
    assert not everything.complete and everything.touches(PATIENT_KINDS)
    assert everything.touches_patient(12)
    assert ChangeBatch.from_payload("pas du json") is None
    assert services.changes.receive('{"o": "x", "c": [["referral", 3, 4]]}') is not None
    own = ChangeBatch(origin=services.changes.origin).to_payload()
    assert services.changes.receive(own) is None  # already told after our own commit
