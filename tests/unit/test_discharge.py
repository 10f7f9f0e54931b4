"""Discharge plans: the ARDH rule (a table of situations), follow-up dates (J+7 and J+90 by
default, editable) that come back as reminders in the owner's inbox until done, home-care
requests created from the plan, optimistic locking, visibility per role (refusals audited,
nothing written), the one-page summary read back with pypdf."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from stdnum import luhn
from suite_clock import days, dmy

from app.services.home_care.discharge_plans import READ_REFUSED, WRITE_REFUSED
from app.services.home_care.records import DischargePlanInput, FollowUpInput
from app.services.home_care.rules import (
    ARDH_MIN_AGE,
    PLAN_STATUS_LABELS,
    ArdhVerdict,
    CareKind,
    Destination,
    Frequency,
    FrequencyPeriod,
    PlanStatus,
    ardh_check,
)
from app.services.kernel.errors import ConflictError, PermissionDenied, ValidationError
from app.services.partners.records import PartnerInput

TARGET = days(8)  # the target discharge day, a week ahead
ADMITTED = days(-7)
V = ArdhVerdict


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


def plan_input(patient, **kw) -> DischargePlanInput:
    values = dict(
        patient_id=patient,
        target_date=TARGET,
        destination=Destination.HOME,
        hospital="CHU de Rouen",
        ward="Orthopédie",
        admitted_on=ADMITTED,
        aids=("ardh", "meals", "telecare"),
        retired=True,
        gir=5,
        child_care="Sans objet (vit seule)",
        equipment=("Lit médicalisé", "Déambulateur"),
    )
    values.update(kw)
    return DischargePlanInput(**values)


# ---- ARDH rule ----------------------------------------------------------------------------
BORN_1950 = date(1950, 6, 1)


def years_on(birth: date, day: date) -> int:
    """Age in whole years on ``day`` (written out here, not taken from the code under test)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@pytest.mark.parametrize(
    ("situation", "verdict", "in_reasons"),
    [
        (dict(), V.ELIGIBLE, f"✓ {years_on(BORN_1950, TARGET)} ans"),
        (dict(gir=6), V.ELIGIBLE, "✓ GIR 6"),
        (dict(gir=4), V.NOT_ELIGIBLE, "APA"),
        (dict(gir=1), V.NOT_ELIGIBLE, "GIR 1"),
        (dict(retired=False), V.NOT_ELIGIBLE, "réservée aux retraités du régime général"),
        (dict(birth_date=date(1975, 1, 1)), V.NOT_ELIGIBLE, f"moins de {ARDH_MIN_AGE} ans"),
        (dict(destination=Destination.EHPAD), V.NOT_ELIGIBLE, "aide le retour à domicile"),
        (dict(destination=Destination.SMR), V.NOT_ELIGIBLE, "SMR"),
        (dict(destination=Destination.HAD), V.NOT_ELIGIBLE, "HAD"),
        (dict(aids=("apa",)), V.NOT_ELIGIBLE, "ne se cumule pas avec l'APA"),
        (dict(gir=None), V.UNKNOWN, "✓ Retraité"),
        (dict(retired=None), V.UNKNOWN, "✓ GIR 5"),
        (dict(birth_date=None), V.UNKNOWN, "✓ GIR 5"),
        # A criterion that fails wins over one that is unknown.
        (dict(gir=None, retired=False), V.NOT_ELIGIBLE, "✗"),
    ],
)
def test_ardh_rule_table(situation, verdict, in_reasons):
    facts = dict(
        retired=True,
        birth_date=BORN_1950,
        gir=5,
        destination=Destination.HOME,
        target_date=TARGET,
        aids=("ardh",),
    )
    facts.update(situation)
    result = ardh_check(**facts)
    assert result.verdict is verdict, result.explanation()
    assert any(in_reasons in r for r in result.reasons), result.reasons
    if verdict is V.ELIGIBLE:
        assert result.eligible is True and "3 mois au plus" in result.reasons[-1]
        assert "plafonné" in result.reasons[-1]
    elif verdict is V.UNKNOWN:
        assert result.eligible is None and result.missing
        assert "À renseigner" in result.explanation()
    else:
        assert result.eligible is False


def test_ardh_says_what_is_unknown():
    result = ardh_check(
        retired=None, birth_date=None, gir=None, destination="home", target_date=TARGET
    )
    assert result.verdict is V.UNKNOWN
    assert result.missing == (
        "retraite du régime général",
        "date de naissance",
        "GIR (degré d'autonomie)",
    )


def test_ardh_age_threshold_is_the_constant_on_the_target_date():
    def at(birth: date) -> ArdhVerdict:
        return ardh_check(
            retired=True, birth_date=birth, gir=6, destination="home", target_date=TARGET
        ).verdict

    # The last birth date old enough on the target day (28 February for a 29 February).
    leap = (TARGET.month, TARGET.day) == (2, 29)
    birthday = date(TARGET.year - ARDH_MIN_AGE, TARGET.month, 28 if leap else TARGET.day)
    assert at(birthday) is V.ELIGIBLE
    assert at(birthday + timedelta(days=1)) is V.NOT_ELIGIBLE


# ---- plans --------------------------------------------------------------------------------
def test_plan_with_default_follow_ups_and_ardh_from_the_birth_date(
    services, team, patient, audit_log
):
    plan = services.discharge.create(team.social_worker, plan_input(patient))
    assert plan.status is PlanStatus.OPEN and plan.destination_label == "Retour à domicile"
    assert [(f.due_on, f.label) for f in plan.follow_ups] == [
        (TARGET + timedelta(days=7), "Suivi à J+7"),
        (TARGET + timedelta(days=90), "Suivi à J+90"),
    ]
    assert plan.ardh.verdict is V.ELIGIBLE
    assert f"{years_on(date(1941, 5, 12), TARGET)} ans" in plan.ardh.reasons[1]
    assert plan.equipment == ("Lit médicalisé", "Déambulateur")
    assert plan.aid_labels[1] == "Portage de repas"
    with services.db.session(write=False) as session:
        from app.models import DischargePlan

        assert session.get(DischargePlan, plan.id).ardh_eligible is True
    edited = services.discharge.update(
        team.gp,
        plan.id,
        plan_input(
            patient,
            gir=3,
            follow_ups=(FollowUpInput(TARGET + timedelta(days=3)), FollowUpInput(TARGET)),
        ),
        plan.version,
    )
    assert edited.ardh.verdict is V.NOT_ELIGIBLE
    assert [(f.due_on, f.label) for f in edited.follow_ups] == [
        (TARGET, "Suivi à J+0"),
        (TARGET + timedelta(days=3), "Suivi à J+3"),
    ]
    with pytest.raises(ConflictError):
        services.discharge.update(team.gp2, plan.id, plan_input(patient), plan.version)
    done = services.discharge.set_status(team.gp, plan.id, "done")
    assert done.status_label == "Sortie réalisée"
    # The audit journal says the change in words, never a status code.
    [step] = [
        entry.detail
        for entry in audit_log.rows(object_type="discharge_plan", object_id=plan.id)
        if "→" in entry.detail
    ]
    assert step == f"{PLAN_STATUS_LABELS[PlanStatus.OPEN]} → Sortie réalisée"


def test_plan_validation_in_french(services, team, patient, db_state):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        services.discharge.create(
            team.gp,
            plan_input(
                patient,
                destination="maison",
                gir=7,
                aids=("ardh", "jackpot"),
                admitted_on=TARGET + timedelta(days=1),
                follow_ups=(FollowUpInput(TARGET - timedelta(days=1)),),
            ),
        )
    fields = caught.value.fields
    assert "destination" in fields["destination"]
    assert fields["gir"].startswith("Le GIR est un chiffre de 1")
    assert fields["aids"] == "Une des aides choisies est inconnue."
    assert "précède" in fields["admitted_on"]
    assert "avant la sortie prévue" in fields["follow_ups"]
    with pytest.raises(ValidationError) as caught:
        services.discharge.create(team.gp, plan_input(patient, target_date=None))
    assert caught.value.fields["target_date"] == "Indiquez la date de sortie prévue."
    assert db_state() == before


def test_requests_created_from_the_plan_are_linked(services, team, patient):
    nurse = services.partners.create(
        team.secretary, PartnerInput("Cabinet infirmier du Robec", "home_nurse")
    )
    plan = services.discharge.create(team.gp, plan_input(patient))
    data = services.discharge.request_defaults(team.gp, plan.id)
    assert data.discharge_plan_id == plan.id and data.discharge_date == TARGET
    assert data.hospital == "CHU de Rouen" and data.ward == "Orthopédie"
    assert data.start_date == TARGET and data.address == "8 rue du Gros-Horloge, 76000 Rouen"
    body = "1000000001"
    from dataclasses import replace

    request = services.home_care.create(
        team.gp,
        replace(
            data,
            care_kind=CareKind.NURSE,
            acts=("injection",),
            frequency=Frequency(1, FrequencyPeriod.DAY),
            prescriber_name="Dr Durand",
            prescriber_rpps=body + luhn.calc_check_digit(body),
            partner_id=nurse.id,
        ),
    )
    assert request.discharge_plan_id == plan.id
    again = services.discharge.get(team.secretary, plan.id)
    assert [(r.id, r.partner_name, r.status_label) for r in again.requests] == [
        (request.id, "Cabinet infirmier du Robec", "À envoyer")
    ]
    other = services.discharge.create(team.gp, plan_input(make_other(services, team)))
    with pytest.raises(ValidationError) as caught:
        services.home_care.create(team.gp, replace(data, discharge_plan_id=other.id))
    assert "pas celui de ce patient" in caught.value.fields["discharge_plan_id"]


def make_other(services, team):
    from app.services.patient_file.records import PatientInput

    return services.patients.create(
        team.secretary,
        PatientInput("Autre", "Personne", "M", "01/01/1950"),
        confirm_duplicate=True,
    ).id


# ---- reminders ----------------------------------------------------------------------------
def reminders(services, actor):
    return [i for i in services.inbox.items(actor) if i.source == "discharge"]


def test_follow_ups_come_back_as_reminders_to_the_owner_until_done(services, team, patient, clock):
    plan = services.discharge.create(team.social_worker, plan_input(patient))
    assert reminders(services, team.social_worker) == []
    clock.advance(days=8 + 6)  # J+6: nothing due yet
    assert reminders(services, team.social_worker) == []
    clock.advance(days=1)  # J+7
    (item,) = reminders(services, team.social_worker)
    assert item.kind == "discharge_follow_up" and not item.read
    assert item.text == (
        f"Sortie d'hospitalisation du {dmy(TARGET)} : "
        f"Suivi à J+7 prévu le {dmy(TARGET + timedelta(days=7))}."
    )
    assert item.patient_id == patient and item.kind_label == "Suivi de sortie d'hospitalisation"
    assert reminders(services, team.gp) == []  # the plan's owner only
    assert services.inbox.mark_read(team.gp, [item]) == 0
    assert services.inbox.mark_read(team.social_worker, [item]) == 1
    assert reminders(services, team.social_worker)[0].read
    version = services.discharge.get(team.gp, plan.id).version
    services.discharge.complete_follow_up(team.gp, plan.follow_ups[0].id)
    assert reminders(services, team.social_worker) == []
    again = services.discharge.get(team.gp, plan.id)
    assert again.follow_ups[0].done and again.version == version
    clock.advance(days=90)
    (item,) = reminders(services, team.social_worker)
    assert "J+90" in item.text
    services.discharge.set_status(team.social_worker, plan.id, PlanStatus.CANCELLED)
    assert reminders(services, team.social_worker) == []


def test_done_follow_ups_survive_an_edit_of_the_dates(services, team, patient, clock):
    plan = services.discharge.create(team.gp, plan_input(patient))
    services.discharge.complete_follow_up(team.gp, plan.follow_ups[0].id)
    plan = services.discharge.get(team.gp, plan.id)
    edited = services.discharge.update(
        team.gp,
        plan.id,
        plan_input(patient, follow_ups=(FollowUpInput(TARGET + timedelta(days=30)),)),
        plan.version,
    )
    assert [(f.label, f.done) for f in edited.follow_ups] == [
        ("Suivi à J+7", True),
        ("Suivi à J+30", False),
    ]


# ---- visibility ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["secretary", "coordinator"])
def test_secretary_and_coordinator_read_plans_but_cannot_write_refusals_audited(
    services, team, patient, who, db_state, audit_log
):
    actor = getattr(team, who)
    plan = services.discharge.create(team.gp, plan_input(patient))
    assert [p.id for p in services.discharge.plans_for(actor, patient)] == [plan.id]
    before = db_state()
    calls = [
        lambda: services.discharge.create(actor, plan_input(patient)),
        lambda: services.discharge.update(actor, plan.id, plan_input(patient), plan.version),
        lambda: services.discharge.set_status(actor, plan.id, "done"),
        lambda: services.discharge.complete_follow_up(actor, plan.follow_ups[0].id),
        lambda: services.discharge.request_defaults(actor, plan.id),
    ]
    for call in calls:
        last = audit_log.last_id()
        with pytest.raises(PermissionDenied) as caught:
            call()
        assert caught.value.message == WRITE_REFUSED
        assert [(e.outcome, e.patient_id) for e in audit_log.since(last)] == [("refused", patient)]
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied):
        services.home_care_documents.discharge_summary(actor, plan.id)
    assert [e.outcome for e in audit_log.since(last)] == ["refused"]
    assert db_state() == before


def test_read_refusal_when_a_role_loses_the_grant(monkeypatch, services, team, patient, audit_log):
    from app.models.enums import Role
    from app.services.kernel import policy

    plan = services.discharge.create(team.gp, plan_input(patient))
    table = dict(policy.POLICY[policy.Resource.HOME_CARE])
    table[Role.COORDINATOR] = policy.NONE
    monkeypatch.setitem(policy.POLICY, policy.Resource.HOME_CARE, table)
    last = audit_log.last_id()
    with pytest.raises(PermissionDenied) as caught:
        services.discharge.get(team.coordinator, plan.id)
    assert caught.value.message == READ_REFUSED
    assert [(e.outcome, e.object_id) for e in audit_log.since(last)] == [("refused", plan.id)]


def test_archived_file_refuses_new_plans(services, team, patient, audit_log, db_state, clock):
    from app.models import Patient

    with services.db.session() as session:
        session.get(Patient, patient).archived_at = clock()
    before = db_state()
    with pytest.raises(PermissionDenied, match="archivé"):
        services.discharge.create(team.gp, plan_input(patient))
    assert audit_log.rows(action="discharge_create", outcome="refused")
    assert db_state() == before


# ---- one-page summary ---------------------------------------------------------------------
def test_discharge_summary_is_one_page_and_says_everything(services, team, patient):
    body = "1000000001"
    rpps = body + luhn.calc_check_digit(body)
    nurse = services.partners.create(
        team.secretary, PartnerInput("Cabinet infirmier du Robec", "home_nurse")
    )
    physio = services.partners.create(
        team.secretary, PartnerInput("Kiné des Carmes", "home_physio")
    )
    plan = services.discharge.create(team.social_worker, plan_input(patient))
    from dataclasses import replace

    defaults = services.discharge.request_defaults(team.gp, plan.id)
    common = dict(prescriber_name="Dr Durand", prescriber_rpps=rpps)
    first = services.home_care.create(
        team.gp,
        replace(
            defaults,
            acts=("dressing", "medication"),
            frequency=Frequency(2, FrequencyPeriod.DAY),
            partner_id=nurse.id,
            **common,
        ),
    )
    services.home_care.send(team.gp, first.id)
    services.home_care.accept(team.gp, first.id, "Antoine Leclerc")
    services.home_care.create(
        team.gp,
        replace(
            defaults,
            care_kind=CareKind.PHYSIOTHERAPIST,
            acts=("walking",),
            frequency=Frequency(3, FrequencyPeriod.WEEK),
            partner_id=physio.id,
            **common,
        ),
    )
    doc = services.home_care_documents.discharge_summary(team.social_worker, plan.id)
    reader = PdfReader(io.BytesIO(doc.pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "Plan de sortie d'hospitalisation",
        "LEMOINE",
        dmy(TARGET),
        "Retour à domicile",
        "CHU de Rouen",
        "Orthopédie",
        dmy(ADMITTED),
        "Cabinet infirmier du Robec",
        "Acceptée",
        "accord : Antoine Leclerc",
        "2 fois par jour",
        "Kiné des Carmes",
        "3 fois par semaine",
        "À envoyer",
        "Portage de repas",
        "Téléassistance",
        "Éligible à l'ARDH",
        "GIR 5",
        "Sans objet (vit seule)",
        "Lit médicalisé, Déambulateur",
        f"Suivi à J+7 le {dmy(TARGET + timedelta(days=7))}",
        f"Suivi à J+90 le {dmy(TARGET + timedelta(days=90))}",
        "Sophie Moreau",
        "Page 1 / 1",
    ):
        assert expected in text, expected
    listed = services.documents.list_documents(team.coordinator, patient)
    assert doc.number in [d.number for d in listed]


def test_discharge_summary_with_unknown_ardh_says_what_is_missing(services, team, patient):
    plan = services.discharge.create(
        team.gp, plan_input(patient, retired=None, gir=None, equipment=(), aids=())
    )
    doc = services.home_care_documents.discharge_summary(team.gp, plan.id)
    reader = PdfReader(io.BytesIO(doc.pdf))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Éligibilité à l'ARDH à vérifier" in text
    assert "retraite du régime général" in text and "GIR (degré d'autonomie)" in text
    assert "Aucune demande de soins à domicile" in text
