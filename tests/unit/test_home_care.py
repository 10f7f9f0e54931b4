"""Home-care requests: validation (RPPS, availability windows, acts, partner kind), the
lifecycle as data (legal and illegal transitions, events, audit), refused → another partner,
optimistic locking, overdue items in the creator's inbox, visibility per role (refusals
audited, nothing written), the request form read back with pypdf."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from suite_clock import TODAY, at, days, dmy

from app.models import HomeCareEvent
from app.services.home_care.documents import PRINT_REFUSED
from app.services.home_care.records import HomeCareInput
from app.services.home_care.request_checks import TransitionRefused
from app.services.home_care.requests import READ_REFUSED, WRITE_REFUSED
from app.services.home_care.rules import (
    ACTION_TARGET,
    CARE_ACTS,
    HOME_CARE_TRANSITIONS,
    CareKind,
    Frequency,
    FrequencyPeriod,
    HomeCareAction,
    HomeCareStatus,
    allowed_actions,
    validate_availability,
)
from app.services.kernel.errors import ConflictError, PermissionDenied, ValidationError
from app.services.partners.records import PartnerContactInput, PartnerInput

S = HomeCareStatus


@pytest.fixture
def patient(make_patient):
    return make_patient(
        "Lemoine",
        "Odette",
        sex="F",
        birth_date="12/05/1941",
        phone="02 35 11 22 33",
        address="8 rue du Gros-Horloge",
        postal_code="76000",
        city="Rouen",
    )


@pytest.fixture
def nurses(services, team):
    rouen = services.partners.create(
        team.secretary,
        PartnerInput("Cabinet infirmier du Robec", "home_nurse", communes=["Rouen", "Darnétal"]),
    )
    services.partners.add_contact(team.secretary, rouen.id, PartnerContactInput("Antoine Leclerc"))
    elbeuf = services.partners.create(
        team.secretary, PartnerInput("Infirmières d'Elbeuf", "home_nurse", communes=["Elbeuf"])
    )
    anywhere = services.partners.create(
        team.secretary, PartnerInput("SSIAD du secteur", "home_nurse")
    )
    physio = services.partners.create(
        team.secretary, PartnerInput("Kiné des Carmes", "home_physio", communes=["Rouen"])
    )
    return rouen, elbeuf, anywhere, physio


def nurse_input(patient, partner_id=None, **kw) -> HomeCareInput:
    values = dict(
        patient_id=patient,
        care_kind=CareKind.NURSE,
        acts=("dressing", "injection"),
        care_detail="Pansement de cicatrice abdominale",
        start_date=TODAY + timedelta(days=5),
        frequency=Frequency(2, FrequencyPeriod.DAY),
        duration_days=15,
        prescriber_name="Dr Paul Durand",
        prescriber_rpps=helpers_rpps(),
        address="8 rue du Gros-Horloge, 76000 Rouen",
        phone="02 35 11 22 33",
        door_code="4521B",
        floor="3e sans ascenseur",
        availability={0: [("8:00", "10:00"), ("17:00", "19:00")], 3: [("09:00", "11:00")]},
        discharge_date=TODAY + timedelta(days=4),
        hospital="CHU de Rouen",
        ward="Chirurgie digestive",
        partner_id=partner_id,
    )
    values.update(kw)
    return HomeCareInput(**values)


def helpers_rpps() -> str:
    from stdnum import luhn

    body = "1000000001"
    return body + luhn.calc_check_digit(body)


def events(services, request_id):
    with services.db.session(write=False) as session:
        return [
            (e.from_status, e.to_status, e.actor_id, e.detail)
            for e in session.scalars(
                select(HomeCareEvent)
                .where(HomeCareEvent.request_id == request_id)
                .order_by(HomeCareEvent.id)
            )
        ]


# ---- rules as data ------------------------------------------------------------------------
def test_transition_table_is_the_lifecycle():
    assert HOME_CARE_TRANSITIONS[S.TO_SEND] == {S.SENT, S.CANCELLED}
    assert HOME_CARE_TRANSITIONS[S.SENT] == {S.ACCEPTED, S.REFUSED, S.CANCELLED}
    assert HOME_CARE_TRANSITIONS[S.ACCEPTED] == {S.IN_PROGRESS, S.CANCELLED}
    assert HOME_CARE_TRANSITIONS[S.IN_PROGRESS] == {S.FINISHED}
    for end in (S.FINISHED, S.REFUSED, S.CANCELLED):
        assert HOME_CARE_TRANSITIONS[end] == frozenset()
    assert allowed_actions(S.REFUSED) == [HomeCareAction.READDRESS]
    assert allowed_actions(S.REFUSED, readdressed=True) == []
    assert allowed_actions(S.TO_SEND) == [
        HomeCareAction.EDIT,
        HomeCareAction.SEND,
        HomeCareAction.CANCEL,
    ]
    assert set(ACTION_TARGET.values()) == {s for s in S if s is not S.TO_SEND}


def test_care_kinds_name_the_acts_of_the_issue():
    nurse = set(CARE_ACTS[CareKind.NURSE].values())
    assert {"Pansements", "Injections", "Prises de sang", "Soins d'hygiène"} <= nurse
    assert any("médicaments" in label for label in nurse)
    assert "Rééducation" in CARE_ACTS[CareKind.PHYSIOTHERAPIST].values()
    assert any("post-natal" in x for x in CARE_ACTS[CareKind.MIDWIFE].values())


@pytest.mark.parametrize(
    ("windows", "error"),
    [
        ({0: [("10:00", "8:00")]}, "finit avant de commencer"),
        ({0: [("8:00", "8:00")]}, "finit avant de commencer"),
        ({1: [("8:00", "10:00"), ("9:30", "11:00")]}, "se chevauchent"),
        ({2: [("8h", "midi")]}, "heure non reconnue"),
        ({2: [("25:00", "26:00")]}, "heure non reconnue"),
        ({7: [("8:00", "9:00")]}, "Jour de la semaine inconnu"),
        ({4: [(f"{h}:00", f"{h}:30") for h in range(8, 13)]}, "4 créneaux au plus"),
    ],
)
def test_availability_windows_are_validated(windows, error):
    _clean, errors = validate_availability(windows)
    assert any(error in message for message in errors.values()), errors


def test_availability_windows_are_normalised_and_sorted():
    clean, errors = validate_availability(
        {"0": [("17h", "19h"), ("8:00", "10h00")], 6: [], 2: [("8:00", "10:00"), ("10:00", "11")]}
    )
    assert errors == {}
    assert clean == {
        0: (("08:00", "10:00"), ("17:00", "19:00")),
        2: (("08:00", "10:00"), ("10:00", "11:00")),
    }


# ---- validation ---------------------------------------------------------------------------
def test_bad_rpps_acts_frequency_windows_and_partner_kind_are_refused_in_french(
    services, team, patient, nurses, db_state
):
    _rouen, _elbeuf, _anywhere, physio = nurses
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        services.home_care.create(
            team.gp,
            nurse_input(
                patient,
                partner_id=physio.id,
                acts=("rehabilitation",),
                prescriber_rpps="10000000012",
                frequency=Frequency(9, FrequencyPeriod.DAY),
                availability={0: [("10:00", "9:00")]},
            ),
        )
    fields = caught.value.fields
    assert fields["prescriber_rpps"] == "Le numéro RPPS est incorrect (clé de contrôle)."
    assert "ne correspond pas à ce type de soins" in fields["acts"]
    assert "entre 1 et 6 fois par jour" in fields["frequency"]
    assert "finit avant de commencer" in fields["availability_0"]
    assert "ne donne pas ce type de soins" in fields["partner_id"]
    with pytest.raises(ValidationError) as caught:
        services.home_care.create(
            team.gp,
            nurse_input(patient, acts=(), prescriber_rpps="123", start_date=None, frequency=None),
        )
    fields = caught.value.fields
    assert fields["prescriber_rpps"] == "Le numéro RPPS doit comporter 11 chiffres."
    assert fields["acts"] == "Cochez au moins un acte à réaliser."
    assert "date de début" in fields["start_date"]
    assert "fréquence" in fields["frequency"]
    assert db_state() == before


def test_prefill_takes_the_patients_coordinates(services, team, patient):
    data = services.home_care.prefill(team.gp, patient)
    assert data.address == "8 rue du Gros-Horloge, 76000 Rouen"
    assert data.phone == "02 35 11 22 33"
    assert services.home_care.commune_of(team.gp, patient) == "Rouen"


def test_partner_choices_filter_by_care_kind_and_commune(services, team, nurses):
    rouen, elbeuf, anywhere, physio = nurses
    names = {p.name for p in services.home_care.partner_choices(team.gp, CareKind.NURSE, "Rouen")}
    assert rouen.name in names and anywhere.name in names
    assert elbeuf.name not in names and physio.name not in names
    physios = services.home_care.partner_choices(team.gp, CareKind.PHYSIOTHERAPIST, "Rouen")
    assert physio.name in {p.name for p in physios}
    assert {p.kind for p in physios} == {"home_physio"}


# ---- lifecycle ----------------------------------------------------------------------------
def test_full_lifecycle_writes_events_timestamps_and_audit(
    services, team, patient, nurses, clock, audit_log
):
    rouen = nurses[0]
    r = services.home_care.create(team.gp, nurse_input(patient, rouen.id))
    assert r.status is S.TO_SEND and r.created_by_name == "Paul Durand"
    assert r.act_labels == ("Pansements", "Injections")
    assert r.frequency_label == "2 fois par jour"
    assert r.availability == {0: (("08:00", "10:00"), ("17:00", "19:00")), 3: (("09:00", "11:00"),)}
    clock.advance(hours=1)
    r = services.home_care.send(team.gp, r.id, expected_version=r.version)
    assert r.status is S.SENT and r.sent_at == clock()
    clock.advance(hours=3)
    r = services.home_care.accept(team.social_worker, r.id, "Antoine Leclerc")
    assert r.status is S.ACCEPTED and r.accepted_by == "Antoine Leclerc"
    r = services.home_care.start(team.paramedical, r.id)
    r = services.home_care.finish(team.paramedical, r.id)
    assert r.status is S.FINISHED and r.allowed_actions == ()
    steps = events(services, r.id)
    assert [(a, b) for a, b, _, _ in steps] == [
        ("", "to_send"),
        ("to_send", "sent"),
        ("sent", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "finished"),
    ]
    # The detail is sealed (« care » key): empty in clear, read back through the service.
    assert steps[2][2] == team.social_worker.user_id and steps[2][3] == ""
    assert r.events[2].detail == "par Antoine Leclerc"
    assert [e.to_label for e in r.events][-1] == "Terminée"
    audit = audit_log.rows(object_type="home_care_request", object_id=r.id)
    # Each step in words, as the audit journal shows it (never a status code).
    assert [a.detail for a in audit if a.action == "home_care_step"] == [
        "À envoyer → Envoyée",
        "Envoyée → Acceptée",
        "Acceptée → En cours",
        "En cours → Terminée",
    ]
    # No content (acts, detail, accepted-by name) in any audit detail.
    for entry in audit_log.rows(patient_id=patient):
        assert "Pansement" not in entry.detail and "Leclerc" not in entry.detail


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), "accept"),
        ((), "start"),
        (("send",), "start"),
        (("send",), "finish"),
        (("send", "accept"), "refuse"),
        (("send", "accept", "start"), "cancel"),
        (("cancel",), "send"),
        (("send", "refuse"), "accept"),
    ],
)
def test_illegal_transitions_are_refused_in_french_and_write_nothing(
    services, team, patient, nurses, path, illegal, db_state
):
    r = services.home_care.create(team.gp, nurse_input(patient, nurses[0].id))
    calls = {
        "send": lambda: services.home_care.send(team.gp, r.id),
        "accept": lambda: services.home_care.accept(team.gp, r.id, "Mme X"),
        "start": lambda: services.home_care.start(team.gp, r.id),
        "finish": lambda: services.home_care.finish(team.gp, r.id),
        "refuse": lambda: services.home_care.refuse(team.gp, r.id, "Tournée complète"),
        "cancel": lambda: services.home_care.cancel(team.gp, r.id),
    }
    for step in path:
        calls[step]()
    before = db_state()
    with pytest.raises(TransitionRefused) as caught:
        calls[illegal]()
    assert caught.value.message.startswith("Impossible : une demande de soins «")
    assert db_state() == before


def test_sending_needs_a_partner(services, team, patient):
    r = services.home_care.create(team.gp, nurse_input(patient))
    with pytest.raises(ValidationError) as caught:
        services.home_care.send(team.gp, r.id)
    assert caught.value.fields["partner_id"].startswith("Choisissez le partenaire")


def test_refused_request_goes_to_another_partner_as_a_copy(services, team, patient, nurses):
    rouen, elbeuf, anywhere, physio = nurses
    r = services.home_care.create(team.gp, nurse_input(patient, rouen.id))
    services.home_care.send(team.gp, r.id)
    refused = services.home_care.refuse(team.gp, r.id, "Tournée complète jusqu'en janvier")
    assert refused.status is S.REFUSED and refused.refusal_reason.startswith("Tournée")
    assert refused.allowed_actions == (HomeCareAction.READDRESS,)
    with pytest.raises(ValidationError) as caught:
        services.home_care.readdress(team.gp, r.id, physio.id)
    assert "ne donne pas ce type de soins" in caught.value.fields["partner_id"]
    with pytest.raises(ValidationError):
        services.home_care.readdress(team.gp, r.id, rouen.id)
    copy = services.home_care.readdress(team.social_worker, r.id, anywhere.id)
    assert copy.status is S.TO_SEND and copy.previous_id == r.id
    assert copy.partner_name == anywhere.name and copy.acts == refused.acts
    assert copy.availability == refused.availability and copy.start_date == refused.start_date
    assert copy.created_by_id == team.social_worker.user_id
    assert services.home_care.get(team.gp, r.id).readdressed_id == copy.id
    assert services.home_care.get(team.gp, r.id).allowed_actions == ()
    with pytest.raises(Exception, match="déjà été adressée"):
        services.home_care.readdress(team.gp, r.id, elbeuf.id)
    assert events(services, copy.id)[0][3] == ""  # sealed
    assert copy.events[0].detail == f"après le refus de la demande n° {r.id}"


def test_update_only_before_sending_and_with_the_right_version(
    services, team, patient, nurses, audit_log
):
    r = services.home_care.create(team.gp, nurse_input(patient))
    edited = services.home_care.update(
        team.gp, r.id, nurse_input(patient, nurses[0].id, door_code="1234"), r.version
    )
    assert edited.door_code == "1234" and edited.partner_id == nurses[0].id
    with pytest.raises(ConflictError) as caught:
        services.home_care.update(team.gp2, r.id, nurse_input(patient, floor="RDC"), r.version)
    assert caught.value.theirs.door_code == "1234"
    assert audit_log.rows(action="conflict", object_id=r.id)
    with pytest.raises(ConflictError):
        services.home_care.send(team.gp2, r.id, expected_version=r.version)
    services.home_care.send(team.gp, r.id, expected_version=edited.version)
    with pytest.raises(ValidationError) as caught:
        services.home_care.update(
            team.gp, r.id, nurse_input(patient), services.home_care.get(team.gp, r.id).version
        )
    assert "déjà envoyée" in caught.value.fields["status"]


# ---- visibility ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["secretary", "coordinator"])
def test_secretary_and_coordinator_read_but_every_write_is_refused_and_audited(
    services, team, patient, nurses, who, db_state, audit_log
):
    actor = getattr(team, who)
    r = services.home_care.create(team.gp, nurse_input(patient, nurses[0].id))
    assert [x.id for x in services.home_care.for_patient(actor, patient)] == [r.id]
    assert services.home_care.get(actor, r.id).acts == ("dressing", "injection")
    before = db_state()
    calls = [
        lambda: services.home_care.create(actor, nurse_input(patient)),
        lambda: services.home_care.update(actor, r.id, nurse_input(patient), r.version),
        lambda: services.home_care.send(actor, r.id),
        lambda: services.home_care.cancel(actor, r.id),
        lambda: services.home_care.prefill(actor, patient),
    ]
    for call in calls:
        last = audit_log.last_id()
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert caught.value.message == WRITE_REFUSED
        refused = audit_log.since(last)
        assert [(e.outcome, e.patient_id, e.username) for e in refused] == [
            ("refused", patient, actor.username)
        ]
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.home_care_documents.request_form(actor, r.id)
    assert caught.value.message == PRINT_REFUSED
    assert [e.outcome for e in audit_log.since(last)] == ["refused"]
    assert db_state() == before


def test_reads_are_audited(services, team, patient, nurses, audit_log):
    r = services.home_care.create(team.gp, nurse_input(patient, nurses[0].id))
    last = audit_log.last_id()
    services.home_care.for_patient(team.paramedical, patient)
    services.home_care.get(team.secretary, r.id)
    reads = audit_log.since(last, action="read")
    assert [(e.username, e.object_type, e.object_id) for e in reads] == [
        ("ide.bernard", "home_care_request", None),
        ("sec.roux", "home_care_request", r.id),
    ]


def test_read_refusal_message_exists_for_roles_without_the_resource(
    monkeypatch, services, team, patient, audit_log
):
    """The policy grants every role read access today; if a role loses it, the service
    refuses in French and audits (checked by removing the grant)."""
    from app.models.enums import Role
    from app.services.kernel import policy

    table = dict(policy.POLICY[policy.Resource.HOME_CARE])
    table[Role.SECRETARY] = policy.NONE
    monkeypatch.setitem(policy.POLICY, policy.Resource.HOME_CARE, table)
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.home_care.for_patient(team.secretary, patient)
    assert caught.value.message == READ_REFUSED
    assert [e.outcome for e in audit_log.since(last)] == ["refused"]
    assert services.home_care.inbox_items(team.secretary) == []


# ---- overdue items ------------------------------------------------------------------------
def inbox(services, actor):
    return [i for i in services.inbox.items(actor) if i.source == "home_care"]


def test_to_send_for_more_than_a_day_reaches_the_creators_inbox(
    services, team, patient, nurses, clock
):
    r = services.home_care.create(team.gp, nurse_input(patient, nurses[0].id))
    clock.advance(hours=23)
    assert inbox(services, team.gp) == []
    clock.advance(hours=2)
    items = inbox(services, team.gp)
    assert [(i.id, i.kind, i.read) for i in items] == [(r.id, "home_care_overdue", False)]
    assert items[0].text.startswith("Soins à domicile (infirmier(ère)) — Cabinet infirmier")
    assert "à envoyer depuis le" in items[0].text
    assert "Pansement" not in items[0].text and "injection" not in items[0].text.lower()
    assert items[0].patient_name.startswith("LEMOINE")
    assert inbox(services, team.gp2) == [] and inbox(services, team.secretary) == []
    unread = services.inbox.unread_count(team.gp)
    version = services.home_care.get(team.gp, r.id).version
    assert services.inbox.mark_read(team.gp, items) == 1
    assert inbox(services, team.gp)[0].read
    assert services.inbox.unread_count(team.gp) == unread - 1
    # Marking read does not bump the version (an open dialog stays valid).
    assert services.home_care.get(team.gp, r.id).version == version
    assert services.inbox.mark_read(team.gp2, items) == 0
    services.home_care.send(team.gp, r.id)
    assert inbox(services, team.gp) == []


def test_sent_without_answer_or_start_close_then_accepted_not_started(
    services, team, patient, nurses, clock
):
    far = services.home_care.create(
        team.gp, nurse_input(patient, nurses[0].id, start_date=TODAY + timedelta(days=10))
    )
    soon = services.home_care.create(
        team.gp,
        nurse_input(
            patient,
            nurses[0].id,
            start_date=TODAY + timedelta(days=2),
            discharge_date=TODAY + timedelta(days=1),
        ),
    )
    services.home_care.send(team.gp, far.id)
    services.home_care.send(team.gp, soon.id)
    items = {i.id: i for i in inbox(services, team.gp)}
    assert set(items) == {soon.id}
    assert "sans réponse du partenaire" in items[soon.id].text
    clock.advance(days=2, hours=1)
    items = {i.id: i for i in inbox(services, team.gp)}
    assert set(items) == {soon.id, far.id}
    assert f"envoyée le {dmy(TODAY)}, sans réponse" in items[far.id].text
    services.home_care.accept(team.gp, far.id, "Mme Leroy")
    assert far.id not in {i.id for i in inbox(services, team.gp)}
    start = far.start_date
    clock.now = at(start, 23, 59)  # the start date has come (clinic time): not overdue yet
    assert far.id not in {i.id for i in inbox(services, team.gp)}
    clock.now = at(start + timedelta(days=1), 0, 1)  # the start date passed, not in progress
    items = {i.id: i for i in inbox(services, team.gp)}
    assert "pas encore commencés" in items[far.id].text
    services.home_care.start(team.gp, far.id)
    assert far.id not in {i.id for i in inbox(services, team.gp)}


def test_reminder_comes_back_unread_when_a_new_delay_starts(services, team, patient, nurses, clock):
    r = services.home_care.create(
        team.gp, nurse_input(patient, nurses[0].id, start_date=TODAY + timedelta(days=10))
    )
    clock.advance(days=2)
    services.inbox.mark_read(team.gp, inbox(services, team.gp))
    services.home_care.send(team.gp, r.id)
    clock.advance(days=3)
    (item,) = inbox(services, team.gp)
    assert not item.read and "sans réponse" in item.text


# ---- PDF ----------------------------------------------------------------------------------
def test_request_form_read_back_and_archived(services, team, patient, nurses, audit_log):
    rouen = nurses[0]
    r = services.home_care.create(team.gp, nurse_input(patient, rouen.id))
    services.home_care.send(team.gp, r.id)
    last = audit_log.last_id()
    doc = services.home_care_documents.request_form(team.gp, r.id)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages)
    for expected in (
        "Demande de soins à domicile",
        "LEMOINE",
        "Odette",
        "12/05/1941",
        "8 rue du Gros-Horloge",
        "76000 Rouen",
        "02 35 11 22 33",
        "4521B",
        "3e sans ascenseur",
        "Lundi",
        "08h00–10h00, 17h00–19h00",
        "Jeudi",
        "Infirmier(ère)",
        "Pansements",
        "Injections",
        "Dr Paul Durand",
        helpers_rpps(),
        dmy(days(5)),
        "2 fois par jour",
        "15 jours",
        f"le {dmy(days(4))} — CHU de Rouen — Chirurgie digestive",
        "CHU de Rouen",
        "Chirurgie digestive",
        "Cabinet infirmier du Robec",
        "Paul Durand (Médecin généraliste)",
        "Page 1 / 1",
        doc.number,
    ):
        assert expected in text, expected
    prints = audit_log.since(last, action="print")
    assert len(prints) == 1 and prints[0].detail.startswith(f"home_care_request {doc.number}")
    listed = services.documents.list_documents(team.secretary, patient)
    assert [d.number for d in listed] == [doc.number]
    assert services.documents.open_document(team.secretary, doc.id) == doc.pdf
