"""Referrals: every transition (legal and illegal), consent gating, feedback, reorientation,
timestamps, conflicts and the aggregates — on a real SQLite file, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Consent, Referral, ReferralEvent
from app.services.kernel.errors import ConflictError, PermissionDenied, ValidationError
from app.services.partners.records import PartnerInput
from app.services.patient_file.records import ConsentScope, ConsentStatus
from app.services.referrals.errors import (
    AGGREGATES_ONLY,
    CONSENT_WITHDRAWN,
    DRAFT_PRIVATE,
    LIAISON_REFUSED,
    NOT_HANDLER,
    NOT_SENDER,
    STATS_REFUSED,
    WRITE_REFUSED,
    FeedbackNotShared,
    TransitionRefused,
)
from app.services.referrals.records import (
    TRANSITIONS,
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    SharedItem,
    Urgency,
    user_transition,
)

S = ReferralStatus


@pytest.fixture
def patient(make_patient, helpers):
    return make_patient(
        "Dupré",
        "Jean",
        sex="M",
        birth_date="01/03/1960",
        nir=helpers.make_nir("M", 1960, 3),
        phone="06 12 34 56 78",
        email="jean.dupre@example.fr",
        address="3 rue des Lilas",
        postal_code="76000",
        city="Rouen",
    )


@pytest.fixture
def partner(services, team):
    return services.partners.create(team.secretary, PartnerInput("MDPH de Seine-Maritime", "mdph"))


@pytest.fixture
def partner2(services, team):
    return services.partners.create(team.secretary, PartnerInput("CCAS de Rouen", "ccas"))


def to_sw(team, patient, **kw) -> ReferralInput:
    kw.setdefault("reason", ReferralReason.HOUSING)
    return ReferralInput(patient_id=patient, receiver_id=team.social_worker.user_id, **kw)


def give(services, team, patient, scope, partner_id=None, status=ConsentStatus.GIVEN):
    return services.consents.record(team.gp, patient, scope, status, partner_id=partner_id)


def events(services, referral_id):
    with services.db.session(write=False) as session:
        return [
            (e.from_status, e.to_status, e.at, e.actor_id, e.detail)
            for e in session.scalars(
                select(ReferralEvent)
                .where(ReferralEvent.referral_id == referral_id)
                .order_by(ReferralEvent.id)
            )
        ]


def row(services, referral_id) -> Referral:
    with services.db.session(write=False) as session:
        r = session.get(Referral, referral_id)
        session.expunge(r)
        return r


# ---- bringing a referral to each state -----------------------------------------------------
def reach(services, team, patient, partner, status: ReferralStatus) -> int:
    r = services.referrals.create(team.gp, to_sw(team, patient, message="Loyer impayé."))
    rid = r.id
    refs = services.referrals
    if status is S.DRAFT:
        return rid
    if status is S.REFUSED_BY_PATIENT:
        refs.send(team.gp, rid, patient_agrees=False)
        return rid
    if status is S.CANCELLED:
        refs.cancel(team.gp, rid)
        return rid
    refs.send(team.gp, rid, patient_agrees=True)
    if status is S.SENT:
        return rid
    if status is S.REORIENTED:
        refs.reorient(team.social_worker, rid, partner_id=partner.id, reason="Handicap", rule="")
        return rid
    refs.acknowledge(team.social_worker, rid)
    if status is S.RECEIVED:
        return rid
    if status is S.CLOSED:
        refs.close(team.social_worker, rid, outcome="Droits ouverts")
        return rid
    refs.book(team.social_worker, rid)
    if status is S.APPOINTMENT_BOOKED:
        return rid
    refs.record_seen(team.social_worker, rid)
    assert status is S.SEEN
    return rid


def attempt(services, team, rid, partner, target: ReferralStatus):
    refs = services.referrals
    return {
        S.SENT: lambda: refs.send(team.gp, rid, patient_agrees=True),
        S.REFUSED_BY_PATIENT: lambda: refs.send(team.gp, rid, patient_agrees=False),
        S.CANCELLED: lambda: refs.cancel(team.gp, rid),
        S.RECEIVED: lambda: refs.acknowledge(team.social_worker, rid),
        S.APPOINTMENT_BOOKED: lambda: refs.book(team.social_worker, rid),
        S.SEEN: lambda: refs.record_seen(team.social_worker, rid),
        S.CLOSED: lambda: refs.close(team.social_worker, rid, outcome="Fin"),
        S.REORIENTED: lambda: refs.reorient(
            team.social_worker, rid, partner_id=partner.id, reason="Pas le bon service"
        ),
    }[target]()


PAIRS = [(a, b) for a in ReferralStatus for b in ReferralStatus if b is not S.DRAFT]


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_transition_legal_or_refused(
    services, team, patient, partner, current, target, audit_log, db_state
):
    rid = reach(services, team, patient, partner, current)
    assert row(services, rid).status == current
    if user_transition(current, target):
        view = attempt(services, team, rid, partner, target)
        assert view.status is target
        assert events(services, rid)[-1][:2] == (str(current), str(target))
        return
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(TransitionRefused) as caught:
        attempt(services, team, rid, partner, target)
    assert caught.value.message.startswith("Impossible : une orientation")
    assert db_state() == before
    [refusal] = audit_log.since(last)
    assert refusal.outcome == "refused" and refusal.object_id == rid


def test_transition_table_reaches_every_state_from_draft():
    reached, todo = {S.DRAFT}, [S.DRAFT]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    assert reached == set(ReferralStatus)
    assert all(not TRANSITIONS[s] for s in (S.CLOSED, S.CANCELLED, S.REORIENTED))


# ---- the normal path, with its timestamps ---------------------------------------------------
def test_full_path_timestamps_events_audit_and_delays(services, team, patient, clock, audit_log):
    give(services, team, patient, ConsentScope.LIAISON)
    refs = services.referrals
    created_at = clock()
    draft = refs.create(team.gp, to_sw(team, patient, urgency=Urgency.URGENT, message="Aide"))
    assert draft.status is S.DRAFT and draft.summary.created_at == created_at
    assert draft.allowed_actions == ["update_draft", "send", "cancel"]
    clock.advance(hours=1)
    sent = refs.send(team.gp, draft.id, patient_agrees=True)
    sent_at = clock()
    assert sent.summary.sent_at == sent_at and sent.allowed_actions == ["cancel"]
    clock.advance(days=2)
    received = refs.acknowledge(team.social_worker, draft.id)
    assert received.feedback_summary == "pris en charge"
    clock.advance(days=1)
    booked = refs.book(team.social_worker, draft.id, when=clock() + timedelta(days=3))
    assert "rendez-vous le" in booked.events[-1].detail
    clock.advance(days=3)
    refs.record_seen(team.social_worker, draft.id)
    seen_at = clock()
    clock.advance(days=10)
    closed = refs.close(
        team.social_worker, draft.id, outcome="Dossier FSL déposé", feedback="Vue, dossier fait."
    )
    assert closed.status is S.CLOSED and closed.outcome == "Dossier FSL déposé"
    r = row(services, draft.id)
    assert r.sent_at == sent_at and r.seen_at == seen_at and r.closed_at == clock()
    assert r.received_at == sent_at + timedelta(days=2)
    assert r.booked_at == sent_at + timedelta(days=3)
    trail = events(services, draft.id)
    assert [(a, b) for a, b, *_ in trail] == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "received"),
        ("received", "appointment_booked"),
        ("appointment_booked", "seen"),
        ("seen", "closed"),
    ]
    assert [e[3] for e in trail] == [team.gp.user_id] * 2 + [team.social_worker.user_id] * 4
    actions = [e.action for e in audit_log.rows(object_type="referral", object_id=draft.id)]
    for action in (
        "referral_create",
        "referral_send",
        "referral_acknowledge",
        "referral_book",
        "referral_seen",
        "referral_close",
        "referral_feedback",
    ):
        assert action in actions
    gp_view = refs.get(team.gp, draft.id)
    assert gp_view.feedback == "Vue, dossier fait." and gp_view.feedback_summary == "clôturé"
    delays = refs.delays(team.coordinator)
    assert delays.measured == 1 and delays.median_days == 6.0 and delays.mean_days == 6.0
    assert delays.median_ack_days == 2.0 and delays.waiting == 0


# ---- who may do what ------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["secretary", "coordinator"])
def test_secretary_and_coordinator_cannot_refer(services, team, patient, role, audit_log):
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.referrals.create(getattr(team, role), to_sw(team, patient))
    assert caught.value.message == WRITE_REFUSED
    [refusal] = audit_log.since(last)
    assert refusal.outcome == "refused" and refusal.action == "referral_create"


def test_paramedical_refers_and_social_worker_refers_to_a_partner(services, team, patient, partner):
    view = services.referrals.create(team.paramedical, to_sw(team, patient))
    assert view.summary.sender_name == "Luc Bernard"
    assert view.summary.destination_name == "Sophie Moreau"
    to_partner = services.referrals.create(
        team.social_worker,
        ReferralInput(patient, ReferralReason.AUTONOMY, partner_id=partner.id),
    )
    assert to_partner.summary.destination_name == "MDPH de Seine-Maritime"
    # A partner does not use Relais: the sender records its steps.
    refs = services.referrals
    refs.send(team.social_worker, to_partner.id, patient_agrees=True)
    view = refs.acknowledge(team.social_worker, to_partner.id)
    assert view.status is S.RECEIVED


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reason": "nope"}, "reason"),
        ({"urgency": "later"}, "urgency"),
        ({"receiver_id": None}, "destination"),
        ({"orientation_rule": "Z9"}, "orientation_rule"),
        ({"items": frozenset({SharedItem.LIAISON_NOTES})}, "note_ids"),
        ({"message": "x" * 20_001}, "message"),
    ],
)
def test_bad_input_is_refused_in_french(services, team, patient, data, field, db_state):
    base = {"reason": ReferralReason.HOUSING, "receiver_id": team.social_worker.user_id}
    base.update(data)
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        services.referrals.create(team.gp, ReferralInput(patient_id=patient, **base))
    assert field in caught.value.fields
    assert db_state() == before


def test_receiver_must_be_the_social_worker_and_one_destination(services, team, patient, partner):
    with pytest.raises(ValidationError) as caught:
        services.referrals.create(
            team.gp, ReferralInput(patient, "housing", receiver_id=team.gp2.user_id)
        )
    assert "assistante sociale" in caught.value.fields["receiver_id"]
    with pytest.raises(ValidationError) as caught:
        services.referrals.create(
            team.gp,
            ReferralInput(
                patient, "housing", receiver_id=team.social_worker.user_id, partner_id=partner.id
            ),
        )
    assert "une seule destination" in caught.value.fields["destination"]


def test_only_the_sender_sends_and_only_the_receiver_acknowledges(
    services, team, patient, audit_log
):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient))
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        refs.send(team.gp2, view.id, patient_agrees=True)
    assert caught.value.message == NOT_SENDER
    refs.send(team.gp, view.id, patient_agrees=True)
    for other in (team.gp, team.gp2, team.paramedical):
        with pytest.raises(PermissionDenied) as caught:
            refs.acknowledge(other, view.id)
        assert caught.value.message == NOT_HANDLER
    with pytest.raises(PermissionDenied):
        refs.cancel(team.social_worker, view.id)
    with pytest.raises(PermissionDenied) as caught:
        refs.acknowledge(team.secretary, view.id)
    assert caught.value.message == WRITE_REFUSED
    refused = [e for e in audit_log.since(last) if e.outcome == "refused"]
    assert len(refused) == 6 and all(e.object_id == view.id for e in refused)


def test_drafts_are_their_authors_only(services, team, patient, audit_log):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient))
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        refs.get(team.social_worker, view.id)
    assert caught.value.message == DRAFT_PRIVATE
    assert [e.outcome for e in audit_log.since(last)] == ["refused"]
    assert refs.for_patient(team.gp2, patient) == []
    assert [s.id for s in refs.for_patient(team.gp, patient)] == [view.id]


def test_update_draft_and_conflict(services, team, patient, audit_log):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient, message="Premier jet"))
    updated = refs.update_draft(
        team.gp, view.id, to_sw(team, patient, message="Second jet"), view.version
    )
    assert updated.message == "Second jet" and updated.version > view.version
    assert updated.draft is not None and updated.draft.message == "Second jet"
    with pytest.raises(ConflictError) as caught:
        refs.update_draft(team.gp, view.id, to_sw(team, patient, message="Trop tard"), view.version)
    assert caught.value.extra["current_version"] == updated.version
    assert caught.value.extra["expected_version"] == view.version
    assert caught.value.theirs.message == "Second jet"
    assert caught.value.mine.message == "Trop tard"
    assert "quelqu'un d'autre" in caught.value.message
    assert audit_log.rows(action="conflict", object_id=view.id)
    sent = refs.send(team.gp, view.id, patient_agrees=True)
    with pytest.raises(ConflictError):
        refs.acknowledge(team.social_worker, view.id, expected_version=sent.version - 1)
    assert row(services, view.id).status == "sent"
    assert refs.acknowledge(team.social_worker, view.id, expected_version=sent.version)


# ---- consent ----------------------------------------------------------------------------
def consents(services, patient):
    with services.db.session(write=False) as session:
        return [
            (c.scope, c.partner_id, c.status, c.method)
            for c in session.scalars(
                select(Consent).where(Consent.patient_id == patient).order_by(Consent.id)
            )
        ]


def test_patient_refusal_ends_the_referral_and_is_recorded(services, team, patient, partner):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient, message="Secret"))
    other = refs.create(team.gp2, to_sw(team, patient))
    refused = refs.send(team.gp, view.id, patient_agrees=False)
    assert refused.status is S.REFUSED_BY_PATIENT and refused.allowed_actions == []
    # Nothing was shared: the message is gone, only the reason stays, for the sender.
    assert refused.message == "" and str(refused.reason) == "housing"
    assert b"Secret" not in row(services, view.id).content
    assert consents(services, patient) == [("referral_carsat", None, "refused", "oral")]
    # Refusing CARSAT cancels the colleague's draft to CARSAT too.
    assert row(services, other.id).status == "cancelled"
    to_partner = refs.create(team.gp, ReferralInput(patient, "autonomy", partner_id=partner.id))
    refs.send(team.gp, to_partner.id, patient_agrees=False)
    assert consents(services, patient)[-1] == ("partner", partner.id, "refused", "oral")


def test_agreement_is_recorded_once(services, team, patient, partner):
    refs = services.referrals
    first = refs.create(team.gp, to_sw(team, patient))
    refs.send(team.gp, first.id, patient_agrees=True)
    second = refs.create(team.gp2, to_sw(team, patient))
    refs.send(team.gp2, second.id, patient_agrees=True)
    assert consents(services, patient) == [("referral_carsat", None, "given", "oral")]
    to_partner = refs.create(team.gp, ReferralInput(patient, "autonomy", partner_id=partner.id))
    refs.send(team.gp, to_partner.id, patient_agrees=True)
    assert consents(services, patient)[-1] == ("partner", partner.id, "given", "oral")


def test_items_are_snapshot_at_sending_only_those_chosen(services, team, patient):
    refs = services.referrals
    items = frozenset({SharedItem.CONTACT, SharedItem.NIR, SharedItem.BIRTH_DATE})
    view = refs.create(team.gp, to_sw(team, patient, items=items))
    assert view.items == {}  # nothing shared before sending
    refs.send(team.gp, view.id, patient_agrees=True)
    received = refs.get(team.social_worker, view.id)
    assert set(received.items) == items
    assert received.items[SharedItem.CONTACT] == "Tél. 06 12 34 56 78 — jean.dupre@example.fr"
    assert received.items[SharedItem.BIRTH_DATE] == "01/03/1960"
    assert received.items[SharedItem.NIR].startswith("1 60 03 75")
    assert SharedItem.ADDRESS not in received.items
    assert "Lilas" not in repr(received)


def liaison_note(services, team, patient, text="Situation familiale difficile."):
    return services.notes.add(team.gp, patient, "liaison", text).id


def test_liaison_notes_need_liaison_consent(services, team, patient, audit_log, db_state):
    give(services, team, patient, ConsentScope.LIAISON)
    note = liaison_note(services, team, patient)
    give(services, team, patient, ConsentScope.LIAISON, status=ConsentStatus.WITHDRAWN)
    data = to_sw(team, patient, items=frozenset({SharedItem.LIAISON_NOTES}), note_ids=(note,))
    before, last = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.referrals.create(team.gp, data)
    assert caught.value.message == LIAISON_REFUSED
    assert db_state() == before
    [refusal] = audit_log.since(last)
    assert refusal.outcome == "refused" and refusal.action == "referral_create"
    give(services, team, patient, ConsentScope.LIAISON)
    view = services.referrals.create(team.gp, data)
    # Withdrawn between the draft and the sending: refused at sending.
    give(services, team, patient, ConsentScope.LIAISON, status=ConsentStatus.WITHDRAWN)
    with pytest.raises(PermissionDenied) as caught:
        services.referrals.send(team.gp, view.id, patient_agrees=True)
    assert caught.value.message == LIAISON_REFUSED
    assert row(services, view.id).status == "draft"


def test_liaison_notes_travel_with_consent_and_vanish_when_withdrawn(services, team, patient):
    give(services, team, patient, ConsentScope.LIAISON)
    note = liaison_note(services, team, patient)
    data = to_sw(
        team,
        patient,
        items=frozenset({SharedItem.LIAISON_NOTES, SharedItem.ADDRESS}),
        note_ids=(note,),
    )
    refs = services.referrals
    view = refs.create(team.gp, data)
    refs.send(team.gp, view.id, patient_agrees=True)
    refs.acknowledge(team.social_worker, view.id)
    received = refs.get(team.social_worker, view.id)
    assert [n[1:] for n in received.notes] == [("Paul Durand", "Situation familiale difficile.")]
    assert received.items[SharedItem.LIAISON_NOTES] == "1 note de liaison"
    give(services, team, patient, ConsentScope.LIAISON, status=ConsentStatus.WITHDRAWN)
    after = refs.get(team.social_worker, view.id)
    assert after.notes == [] and SharedItem.LIAISON_NOTES not in after.items
    assert after.withheld == ["Notes de liaison choisies"]
    assert after.items[SharedItem.ADDRESS] == "3 rue des Lilas, 76000 Rouen"
    assert after.status is S.RECEIVED  # already received: not cancelled


@pytest.mark.parametrize("status", [S.DRAFT, S.SENT])
def test_withdrawal_cancels_referrals_not_yet_received(services, team, patient, partner, status):
    rid = reach(services, team, patient, partner, status)
    give(services, team, patient, ConsentScope.REFERRAL_CARSAT)
    give(services, team, patient, ConsentScope.REFERRAL_CARSAT, status=ConsentStatus.WITHDRAWN)
    r = row(services, rid)
    assert r.status == "cancelled" and r.content is None
    last = events(services, rid)[-1]
    assert last[:2] == (str(status), "cancelled") and last[4] == CONSENT_WITHDRAWN
    assert last[3] == team.gp.user_id  # who recorded the withdrawal
    with pytest.raises(TransitionRefused):
        services.referrals.acknowledge(team.social_worker, rid)


def test_withdrawal_of_a_partner_consent_cancels_only_that_partner(
    services, team, patient, partner, partner2
):
    refs = services.referrals
    one = refs.create(team.gp, ReferralInput(patient, "autonomy", partner_id=partner.id))
    two = refs.create(team.gp, ReferralInput(patient, "housing", partner_id=partner2.id))
    sw = refs.create(team.gp, to_sw(team, patient))
    for view in (one, two, sw):
        refs.send(team.gp, view.id, patient_agrees=True)
    give(
        services,
        team,
        patient,
        ConsentScope.PARTNER,
        partner_id=partner.id,
        status=ConsentStatus.WITHDRAWN,
    )
    assert [row(services, v.id).status for v in (one, two, sw)] == ["cancelled", "sent", "sent"]


def test_withdrawal_after_reception_keeps_it_but_withholds_the_items(
    services, team, patient, audit_log
):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient, items=frozenset({SharedItem.CONTACT})))
    refs.send(team.gp, view.id, patient_agrees=True)
    refs.acknowledge(team.social_worker, view.id)
    give(services, team, patient, ConsentScope.REFERRAL_CARSAT, status=ConsentStatus.WITHDRAWN)
    after = refs.get(team.social_worker, view.id)
    assert after.status is S.RECEIVED and after.items == {}
    assert after.withheld == ["Coordonnées (téléphone, e-mail)"]


def test_acknowledging_checks_consent_again(services, team, patient, audit_log):
    """Even without the consent hook (e.g. a withdrawal written by another workstation's
    older version), a referral whose consent is gone cannot be received."""
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient))
    refs.send(team.gp, view.id, patient_agrees=True)
    with services.db.session() as session:
        session.add(
            Consent(
                patient_id=patient,
                scope="referral_carsat",
                status="withdrawn",
                decided_on=services.clock().date(),
                method="oral",
                recorded_at=services.clock() + timedelta(seconds=1),
            )
        )
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        refs.acknowledge(team.social_worker, view.id)
    assert "retiré son consentement" in caught.value.message
    assert row(services, view.id).status == "cancelled"
    assert any(e.outcome == "refused" for e in audit_log.since(last))


# ---- feedback --------------------------------------------------------------------------
def received(services, team, patient):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient))
    refs.send(team.gp, view.id, patient_agrees=True)
    refs.acknowledge(team.social_worker, view.id)
    return view.id


def test_feedback_with_liaison_consent(services, team, patient):
    give(services, team, patient, ConsentScope.LIAISON)
    rid = received(services, team, patient)
    services.referrals.send_feedback(team.social_worker, rid, "RDV pris, dossier APA en cours.")
    assert services.referrals.get(team.gp, rid).feedback == "RDV pris, dossier APA en cours."
    assert services.referrals.get(team.gp2, rid).feedback is None


def test_feedback_reduced_without_liaison_consent(services, team, patient, audit_log):
    rid = received(services, team, patient)
    last = audit_log.last_id()
    with pytest.raises(FeedbackNotShared) as caught:
        services.referrals.send_feedback(team.social_worker, rid, "Texte détaillé")
    assert "consentement" in caught.value.message and "« pris en charge »" in caught.value.message
    [refusal] = audit_log.since(last)
    assert refusal.outcome == "refused" and refusal.action == "referral_feedback"
    gp = services.referrals.get(team.gp, rid)
    assert gp.feedback is None and gp.feedback_summary == "pris en charge"
    assert row(services, rid).feedback is None
    with pytest.raises(FeedbackNotShared) as caught:
        services.referrals.close(team.social_worker, rid, outcome="Fin", feedback="Détail")
    assert "« clôturé »" in caught.value.message
    gp = services.referrals.get(team.gp, rid)
    assert gp.status is S.CLOSED and gp.feedback is None and gp.feedback_summary == "clôturé"


def test_feedback_only_by_the_receiver_once_received(services, team, patient):
    refs = services.referrals
    view = refs.create(team.gp, to_sw(team, patient))
    refs.send(team.gp, view.id, patient_agrees=True)
    with pytest.raises(Exception) as caught:
        refs.send_feedback(team.social_worker, view.id, "Trop tôt")
    assert "une fois l'orientation reçue" in str(caught.value)
    refs.acknowledge(team.social_worker, view.id)
    with pytest.raises(PermissionDenied) as caught:
        refs.send_feedback(team.gp, view.id, "Pas moi")
    assert caught.value.message == NOT_HANDLER


# ---- reorientation ---------------------------------------------------------------------
def test_reorientation_is_recorded_as_an_orientation_error(services, team, patient, partner):
    rid = received(services, team, patient)
    view = services.referrals.reorient(
        team.social_worker,
        rid,
        partner_id=partner.id,
        reason="Handicap reconnu avant 60 ans : relève de la MDPH.",
        rule="C1",
    )
    assert view.status is S.REORIENTED and view.reoriented_to_name == "MDPH de Seine-Maritime"
    assert view.orientation_error_rule == "C1" and view.feedback_summary == "réorienté"
    r = row(services, rid)
    assert r.reoriented_to_id == partner.id and r.orientation_error_rule == "C1"
    # The detail is sealed under the referral's key: its parties read it, nobody else.
    assert events(services, rid)[-1][4] == ""
    detail = "vers MDPH de Seine-Maritime — règle C1"
    assert services.referrals.get(team.social_worker, rid).events[-1].detail == detail
    assert services.referrals.get(team.gp, rid).events[-1].detail == detail
    assert services.referrals.get(team.gp2, rid).events[-1].detail == ""
    gp = services.referrals.get(team.gp, rid)
    assert gp.reorientation_reason.startswith("Handicap reconnu")
    assert services.referrals.get(team.gp2, rid).reorientation_reason == ""
    with pytest.raises(ValidationError) as caught:
        services.referrals.reorient(
            team.social_worker,
            received(services, team, patient),
            partner_id=partner.id,
            reason="x",
            rule="ZZ",
        )
    assert "règle" in caught.value.fields["rule"]


# ---- aggregates --------------------------------------------------------------------------
def test_counts_and_delays_are_aggregates_without_names(services, team, patient, partner):
    for status in (S.SENT, S.SENT, S.CLOSED, S.DRAFT):
        reach(services, team, patient, partner, status)
    counts = services.referrals.counts(team.coordinator)
    assert counts[S.SENT] == 2 and counts[S.CLOSED] == 1 and counts[S.DRAFT] == 1
    assert set(counts) == set(ReferralStatus)
    assert all(isinstance(v, int) for v in counts.values())
    delays = services.referrals.delays(team.coordinator)
    text = repr(counts) + repr(delays)
    for name in ("Dupré", "DUPRÉ", "Durand", "Moreau", "Jean"):
        assert name not in text
    assert delays.waiting == 3 and delays.measured == 0 and delays.median_days is None


@pytest.mark.parametrize("role", ["secretary", "paramedical"])
def test_statistics_refused_to_secretary_and_paramedical(services, team, role, audit_log):
    last = audit_log.last_id()
    for call in (services.referrals.counts, services.referrals.delays):
        with pytest.raises(PermissionDenied) as caught:
            call(getattr(team, role))
        assert caught.value.message == STATS_REFUSED
    assert [e.outcome for e in audit_log.since(last)] == ["refused", "refused"]


def test_coordinator_never_opens_a_referral(services, team, patient, audit_log):
    rid = received(services, team, patient)
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.referrals.get(team.coordinator, rid)
    assert caught.value.message == AGGREGATES_ONLY
    with pytest.raises(PermissionDenied):
        services.referrals.for_patient(team.coordinator, patient)
    assert [e.outcome for e in audit_log.since(last)] == ["refused", "refused"]


def test_reason_title_names_the_axis_once():
    from app.services.referrals.records import (
        REASON_AXIS,
        REFERRAL_REASON_LABELS,
        ReferralReason,
        reason_title,
    )

    job = ReferralReason.JOB_RETENTION
    assert reason_title(job) == REFERRAL_REASON_LABELS[job]  # already starts with its axis
    cost = ReferralReason.CARE_COST
    assert reason_title(cost) == f"{REASON_AXIS[cost]} — {REFERRAL_REASON_LABELS[cost]}"
    for reason in ReferralReason:
        assert reason_title(reason).count(REASON_AXIS[reason]) == 1


def test_each_step_is_audited_in_words(services, team, patient, audit_log):
    """The audit journal says « Brouillon → Envoyée », never the status codes."""
    view = services.referrals.create(team.gp, to_sw(team, patient))
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    services.referrals.acknowledge(team.social_worker, view.id)
    steps = [
        entry.detail
        for entry in audit_log.rows(object_type="referral", object_id=view.id)
        if "→" in entry.detail
    ]
    assert "Brouillon → Envoyée" in steps and "Envoyée → Reçue" in steps
    assert not any(code in " ".join(steps) for code in ("draft", "sent", "received"))
