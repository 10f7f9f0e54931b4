"""Who sees what of a referral (DESIGN.md §3): reason, message, items and feedback for the
sender and the receiver only; who/when/status/destination for the other professionals and the
secretary; aggregates only for the coordinator. Every look is audited."""

from __future__ import annotations

import pytest

from app.services.kernel.errors import PermissionDenied
from app.services.patient_file.records import ConsentScope, ConsentStatus
from app.services.referrals.errors import AGGREGATES_ONLY
from app.services.referrals.records import ReferralInput, ReferralReason, SharedItem

MESSAGE = "Expulsion locative annoncée pour le mois prochain."
FEEDBACK = "Vue en permanence, demande FSL déposée."


@pytest.fixture
def referral(services, team, make_patient):
    patient = make_patient("Lemoine", "Agathe", sex="F", phone="06 11 22 33 44")
    services.consents.record(team.gp, patient, ConsentScope.LIAISON, ConsentStatus.GIVEN)
    refs = services.referrals
    view = refs.create(
        team.gp,
        ReferralInput(
            patient,
            ReferralReason.DOMESTIC_VIOLENCE,
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
            items=frozenset({SharedItem.CONTACT}),
        ),
    )
    refs.send(team.gp, view.id, patient_agrees=True)
    refs.acknowledge(team.social_worker, view.id)
    refs.send_feedback(team.social_worker, view.id, FEEDBACK)
    return view.id


@pytest.mark.parametrize("who", ["gp", "social_worker"])
def test_sender_and_receiver_read_the_content(services, team, referral, who, audit_log):
    last = audit_log.last_id()
    view = services.referrals.get(getattr(team, who), referral)
    assert view.summary.can_read_content
    assert view.reason is ReferralReason.DOMESTIC_VIOLENCE
    assert view.reason_label.startswith("Violences conjugales")
    assert view.message == MESSAGE and view.feedback == FEEDBACK
    assert view.items == {SharedItem.CONTACT: "Tél. 06 11 22 33 44"}
    [entry] = audit_log.since(last)
    assert (entry.action, entry.outcome, entry.object_id) == ("read", "ok", referral)
    assert entry.detail == "" and MESSAGE not in entry.detail


@pytest.mark.parametrize("who", ["gp2", "paramedical", "paramedical2", "secretary"])
def test_others_see_existence_only_and_the_refusal_is_audited(
    services, team, referral, who, audit_log
):
    last = audit_log.last_id()
    view = services.referrals.get(getattr(team, who), referral)
    s = view.summary
    assert not s.can_read_content and view.allowed_actions == []
    assert (s.patient_name, s.sender_name, s.destination_name) == (
        "LEMOINE Agathe",
        "Paul Durand",
        "Sophie Moreau",
    )
    assert s.status_label == "Reçue" and s.sent_at is not None
    assert view.reason is None and view.reason_label == "" and view.message == ""
    assert view.items == {} and view.notes == [] and view.feedback is None
    assert view.feedback_summary == "" and view.outcome == ""
    text = repr(view)
    for secret in ("violence", "Violences", "Expulsion", "FSL", "06 11", "domestic"):
        assert secret not in text
    entries = audit_log.since(last)
    assert [(e.action, e.outcome, e.object_type) for e in entries] == [
        ("read", "ok", "referral"),
        ("read", "refused", "referral_content"),
    ]
    assert entries[0].detail == "sans le contenu"


def test_secretary_lists_referrals_to_schedule_without_reason(services, team, referral, audit_log):
    patient = services.referrals.get(team.gp, referral).summary.patient_id
    [summary] = services.referrals.for_patient(team.secretary, patient)
    assert summary.id == referral and not summary.can_read_content
    assert "violence" not in repr(summary).lower()
    [entry] = audit_log.rows(action="read", object_type="referral", user_id=team.secretary.user_id)
    assert entry.patient_id == patient and entry.detail == "1 orientation(s)"


def test_coordinator_sees_no_referral_only_aggregates(services, team, referral, audit_log):
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.referrals.get(team.coordinator, referral)
    assert caught.value.message == AGGREGATES_ONLY
    [entry] = audit_log.since(last)
    assert entry.outcome == "refused" and entry.object_id == referral
    assert services.referrals.inbox(team.coordinator) == []
    assert services.referrals.counts(team.coordinator)["received"] == 1


def test_feedback_hidden_from_the_sender_once_liaison_consent_is_withdrawn(
    services, team, referral
):
    patient = services.referrals.get(team.gp, referral).summary.patient_id
    services.consents.record(team.gp, patient, ConsentScope.LIAISON, ConsentStatus.WITHDRAWN)
    view = services.referrals.get(team.gp, referral)
    assert view.feedback is None and view.feedback_summary == "pris en charge"
    assert view.message == MESSAGE  # the referral itself was consented to
