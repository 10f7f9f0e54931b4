"""What the referral form is given in advance (issue 14): the capabilities the views show, the
items a reason usually needs and the sender's last choices for it, the guide's reasons, and
the French labels of what was shared."""

from __future__ import annotations

import pytest

from app.services.referrals.orientation_guide import Activity, Need, Situation, reasons_for
from app.services.referrals.reading import legacy_detail, shared_detail
from app.services.referrals.records import (
    REASON_DEFAULT_ITEMS,
    ReferralInput,
    ReferralReason,
    SharedItem,
)


@pytest.fixture
def patient(make_patient):
    return make_patient("Lefèvre", "Martine", phone="06 11 22 33 44", address="2 rue Haute")


def draft(services, actor, team, patient, reason, items):
    return services.referrals.create(
        actor,
        ReferralInput(
            patient_id=patient,
            reason=reason,
            receiver_id=team.social_worker.user_id,
            items=frozenset(items),
        ),
    )


@pytest.mark.parametrize(
    ("role", "refer", "handle", "book"),
    [
        ("gp", True, True, False),
        ("paramedical", True, True, False),
        ("social_worker", True, True, True),
        ("secretary", False, False, True),
        ("coordinator", False, False, False),
    ],
)
def test_capabilities_follow_the_policy(services, team, role, refer, handle, book):
    caps = services.referrals.capabilities(getattr(team, role))
    assert (caps.can_refer, caps.can_handle, caps.can_book_appointments) == (refer, handle, book)


def test_every_reason_has_defaults_and_violence_never_proposes_the_address():
    assert set(REASON_DEFAULT_ITEMS) == set(ReferralReason)
    assert all(SharedItem.LIAISON_NOTES not in items for items in REASON_DEFAULT_ITEMS.values())
    assert SharedItem.ADDRESS not in REASON_DEFAULT_ITEMS[ReferralReason.DOMESTIC_VIOLENCE]


def test_item_defaults_start_from_the_reason_then_remember_the_senders_choice(
    services, team, patient
):
    refs = services.referrals
    housing = ReferralReason.HOUSING
    assert refs.item_defaults(team.gp, housing) == REASON_DEFAULT_ITEMS[housing]
    draft(services, team.gp, team, patient, housing, {SharedItem.CONTACT, SharedItem.NIR})
    # This GP's last choice for this reason, as a draft, then as sent.
    assert refs.item_defaults(team.gp, housing) == {SharedItem.CONTACT, SharedItem.NIR}
    sent = draft(services, team.gp, team, patient, housing, {SharedItem.ADDRESS})
    refs.send(team.gp, sent.id, patient_agrees=True)
    assert refs.item_defaults(team.gp, housing) == {SharedItem.ADDRESS}
    # Another reason of the same category, and another GP: untouched.
    family = ReferralReason.FAMILY_CHILD_CARE
    assert refs.item_defaults(team.gp, family) == REASON_DEFAULT_ITEMS[family]
    assert refs.item_defaults(team.gp2, housing) == REASON_DEFAULT_ITEMS[housing]
    # Someone who may not refer gets the table, nothing of anyone's referrals.
    assert refs.item_defaults(team.secretary, housing) == REASON_DEFAULT_ITEMS[housing]


def test_a_refused_referral_leaves_no_choice_behind(services, team, patient):
    refs = services.referrals
    reason = ReferralReason.RESOURCES
    refused = draft(services, team.gp, team, patient, reason, {SharedItem.BIRTH_DATE})
    refs.send(team.gp, refused.id, patient_agrees=False)
    assert refs.item_defaults(team.gp, reason) == REASON_DEFAULT_ITEMS[reason]


def test_the_guide_proposes_both_coverage_reasons():
    situation = Situation(40, Activity.EMPLOYED, frozenset({Need.HEALTH_COVERAGE}))
    assert reasons_for(situation) == (
        ReferralReason.HEALTH_COVERAGE,
        ReferralReason.COMPLEMENTARY_INSURANCE,
    )
    assert reasons_for(Situation(40, Activity.EMPLOYED, frozenset())) == (ReferralReason.OTHER,)


def test_shared_items_are_shown_by_their_french_labels(services, team, patient):
    assert shared_detail(["attending_gp", "contact"]) == (
        "partagé : Coordonnées (téléphone, e-mail), Médecin traitant"
    )
    # Details written before the codes were stored show no internal identifier either.
    assert legacy_detail("partagé : attending_gp, contact") == shared_detail(
        ["attending_gp", "contact"]
    )
    assert legacy_detail("guide d'orientation : règle C2") == "guide d'orientation : règle C2"
    sent = draft(services, team.gp, team, patient, ReferralReason.HOUSING, {SharedItem.ADDRESS})
    view = services.referrals.send(team.gp, sent.id, patient_agrees=True)
    details = [e.detail for e in view.events]
    assert "partagé : Adresse" in details
    assert not any("address" in d or "attending_gp" in d for d in details)
