"""The social worker's consultation records: assessment history (versions, latest, diff), sealed
content, the action plan and its inbox reminders, and refusals for every other role."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, update
from suite_clock import TODAY

from app.clock import clinic_today
from app.models import Patient, SocialAction, SocialAssessment
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.security.codec import SEALED_TAG, UnreadableContent
from app.services.social.consultations import SOURCE, action_context, assessment_context
from app.services.social.records import ActionKind, ActionStatus, AssessmentInput, SocialActionInput

REFUSED = "Le suivi social (évaluation, démarches) est réservé à l'assistante sociale."
OTHERS = ["gp", "gp2", "paramedical", "secretary", "coordinator"]


def _first() -> AssessmentInput:
    return AssessmentInput(
        values={
            "resources": {"main_income": "daily_allowance", "minima": ("aah", "rsa")},
            "work": {
                "status": "employee",
                "employer": "Boulangerie Martin",
                "sick_leave_since": "03/09/2026",
                "job_loss_risk": "high",
            },
            "coverage": {"complementary": "none"},
        },
        texts={"resources": "Loyer de 540 € ; IJ en retard depuis août."},
    )


def _second() -> AssessmentInput:
    return AssessmentInput(
        values={
            "resources": {"main_income": "daily_allowance", "minima": ("rsa",)},
            "work": {
                "status": "employee",
                "employer": "Boulangerie Martin",
                "sick_leave_since": "2026-09-03",
                "job_loss_risk": "medium",
            },
            "coverage": {"complementary": "c2s"},
            "protection": {"measure": "none"},
        },
        texts={"resources": "Loyer de 540 € ; IJ régularisées."},
    )


# ---- assessment ---------------------------------------------------------------------------
def test_assessment_versions_latest_history_and_diff(services, team, make_patient, clock):
    sw = team.social_worker
    patient = make_patient()
    assert services.consultations.assessment(sw, patient) is None
    first = services.consultations.save_assessment(sw, patient, _first(), based_on=None)
    assert first.version.number == 1 and first.is_latest
    assert first.value("work", "sick_leave_since") == "2026-09-03"  # stored as ISO
    assert first.value("resources", "minima") == ("rsa", "aah")  # in the table's order
    clock.advance(days=30)
    second = services.consultations.save_assessment(sw, patient, _second(), based_on=first.id)
    assert second.version.number == 2
    clock.advance(days=30)
    third_input = _second()
    third_input.texts["housing"] = "Demande de logement social déposée."
    third = services.consultations.save_assessment(sw, patient, third_input, based_on=second.id)

    latest = services.consultations.assessment(sw, patient)
    assert latest is not None and latest.id == third.id and latest.is_latest
    assert latest.texts["housing"] == "Demande de logement social déposée."
    history = services.consultations.history(sw, patient)
    assert [v.number for v in history] == [3, 2, 1]
    assert [v.author_name for v in history] == ["Sophie Moreau"] * 3
    assert history[2].created_at < history[1].created_at < history[0].created_at
    old = services.consultations.version(sw, first.id)
    assert not old.is_latest and old.value("coverage", "complementary") == "none"

    changes = services.consultations.changes(sw, second.id)
    by_section = {c.label: c.lines() for c in changes}
    assert by_section == {
        "Ressources": [
            "Minima sociaux et prestations : « RSA, AAH » → « RSA »",
            "Commentaire : « Loyer de 540 € ; IJ en retard depuis août. » → "
            "« Loyer de 540 € ; IJ régularisées. »",
        ],
        "Travail et arrêt maladie": [
            "Risque de désinsertion professionnelle : « Élevé » → « Modéré »"
        ],
        "Couverture santé et complémentaire": [
            "Complémentaire santé : « Aucune » → « C2S sans participation »"
        ],
        "Mesures de protection": ["Mesure : non renseigné → « Aucune »"],
    }
    assert [c.key for c in changes] == ["resources", "work", "coverage", "protection"]
    third_changes = services.consultations.changes(sw, third.id)
    assert [(c.label, c.lines()) for c in third_changes] == [
        ("Logement", ["Commentaire : non renseigné → « Demande de logement social déposée. »"])
    ]
    first_changes = services.consultations.changes(sw, first.id)  # everything filled in
    assert {c.key for c in first_changes} == {"resources", "work", "coverage"}


def test_assessment_conflict_and_no_change(services, team, make_patient, db_state):
    sw = team.social_worker
    patient = make_patient()
    first = services.consultations.save_assessment(sw, patient, _first(), based_on=None)
    before = db_state()
    with pytest.raises(ConflictError) as info:  # opened before the first save
        services.consultations.save_assessment(sw, patient, _second(), based_on=None)
    assert info.value.theirs.id == first.id and info.value.theirs_by == "Sophie Moreau"
    assert "quelqu'un d'autre" in info.value.message
    with pytest.raises(ValidationError) as same:
        services.consultations.save_assessment(sw, patient, _first(), based_on=first.id)
    assert same.value.fields == {"assessment": "Rien n'a changé depuis la dernière version."}
    with pytest.raises(ValidationError) as empty:
        services.consultations.save_assessment(sw, patient, AssessmentInput(), based_on=first.id)
    assert "vide" in empty.value.fields["assessment"]
    assert db_state() == before


@pytest.mark.parametrize(
    "values, texts, key",
    [
        ({"resources": {"main_income": "lottery"}}, {}, "resources.main_income"),
        ({"resources": {"minima": ("rsa", "bitcoin")}}, {}, "resources.minima"),
        ({"work": {"sick_leave_since": "31/02/2026"}}, {}, "work.sick_leave_since"),
        ({"work": {"employer": "x" * 201}}, {}, "work.employer"),
        ({"work": {"shoe_size": "42"}}, {}, "work.shoe_size"),
        ({"hobbies": {"x": "y"}}, {}, "hobbies"),
        ({}, {"family": "x" * 5001}, "family.text"),
    ],
)
def test_assessment_validation(services, team, make_patient, db_state, values, texts, key):
    patient = make_patient()
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.consultations.save_assessment(
            team.social_worker, patient, AssessmentInput(values, texts), based_on=None
        )
    assert key in info.value.fields
    assert db_state() == before


def test_assessment_text_is_cleaned(services, team, make_patient):
    patient = make_patient()
    saved = services.consultations.save_assessment(
        team.social_worker,
        patient,
        AssessmentInput(
            {"work": {"employer": "  Garage\tdu\x00 Centre  "}}, {"family": "  Deux enfants.\r\n"}
        ),
        based_on=None,
    )
    assert saved.value("work", "employer") == "Garage du Centre"
    assert saved.texts == {"family": "Deux enfants."}


def test_assessment_is_sealed_and_bound_to_its_row(services, team, make_patient, database):
    sw = team.social_worker
    patient = make_patient()
    saved = services.consultations.save_assessment(sw, patient, _first(), based_on=None)
    with database.sessions() as session:
        row = session.get(SocialAssessment, saved.id)
        blob = row.content
    assert blob.startswith(SEALED_TAG) and b"Boulangerie" not in blob
    opened = services.codec.open(sw, "social", blob, context=assessment_context(patient, saved.id))
    assert "Boulangerie Martin" in opened
    with pytest.raises(UnreadableContent):  # moved to another row, it no longer opens
        services.codec.open(sw, "social", blob, context=assessment_context(patient, saved.id + 1))


def test_assessment_and_action_text_not_in_clear_in_the_database_file(
    services, team, make_patient, database
):
    marker = f"CANARI-{uuid.uuid4().hex}"
    sw = team.social_worker
    patient = make_patient()
    services.consultations.save_assessment(
        sw,
        patient,
        AssessmentInput({"work": {"employer": f"Employeur {marker}"}}, {"housing": marker}),
        based_on=None,
    )
    services.consultations.add_action(
        sw, patient, SocialActionInput(ActionKind.FSL, detail=f"Détail {marker}")
    )
    assert services.consultations.assessment(sw, patient).texts["housing"] == marker
    database.dispose()  # flush the WAL into the file
    folder = Path(str(services.db.url.database)).parent
    needles = [marker.encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be")]
    files = [p for p in folder.iterdir() if p.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert not any(n in data for n in needles), path.name


def test_reads_and_writes_are_audited_without_content(services, team, make_patient, audit_log):
    sw = team.social_worker
    patient = make_patient()
    start = audit_log.last_id()
    saved = services.consultations.save_assessment(sw, patient, _first(), based_on=None)
    services.consultations.assessment(sw, patient)
    services.consultations.history(sw, patient)
    services.consultations.changes(sw, saved.id)
    action = services.consultations.add_action(
        sw, patient, SocialActionInput(ActionKind.MDPH, detail="Certificat médical à demander")
    )
    services.consultations.actions(sw, patient)
    entries = audit_log.since(start)
    assert [(e.action, e.object_type) for e in entries] == [
        ("create", "social_assessment"),
        ("read", "social_assessment"),
        ("read", "social_assessment"),
        ("read", "social_assessment"),
        ("create", "social_action"),
        ("read", "social_action"),
    ]
    assert all(e.patient_id == patient and e.compartment == "social" for e in entries)
    assert all(e.outcome == "ok" and e.username == "as.moreau" for e in entries)
    assert entries[4].object_id == action.id
    for e in entries:
        for secret in ("Boulangerie", "Loyer", "Certificat", "daily_allowance"):
            assert secret not in e.detail


# ---- refusals -----------------------------------------------------------------------------
def _calls(patient: int, assessment_id: int, action_id: int, version: int):
    data = SocialActionInput(ActionKind.C2S)
    return {
        "assessment": lambda s, a: s.consultations.assessment(a, patient),
        "history": lambda s, a: s.consultations.history(a, patient),
        "version": lambda s, a: s.consultations.version(a, assessment_id),
        "changes": lambda s, a: s.consultations.changes(a, assessment_id),
        "save": lambda s, a: s.consultations.save_assessment(
            a, patient, _second(), based_on=assessment_id
        ),
        "actions": lambda s, a: s.consultations.actions(a, patient),
        "add_action": lambda s, a: s.consultations.add_action(a, patient, data),
        "update_action": lambda s, a: s.consultations.update_action(
            a, action_id, data, expected_version=version
        ),
        "set_status": lambda s, a: s.consultations.set_action_status(
            a, action_id, "done", expected_version=version
        ),
    }


CALLS = list(_calls(0, 0, 0, 0))
EXPECTED = {
    "assessment": ("read", "social_assessment"),
    "history": ("read", "social_assessment"),
    "version": ("read", "social_assessment"),
    "changes": ("read", "social_assessment"),
    "save": ("create", "social_assessment"),
    "actions": ("read", "social_action"),
    "add_action": ("create", "social_action"),
    "update_action": ("update", "social_action"),
    "set_status": ("update", "social_action"),
}


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("call", CALLS)
def test_every_other_role_is_refused_audited_and_nothing_written(
    services, team, make_patient, audit_log, db_state, role, call
):
    sw = team.social_worker
    patient = make_patient()
    saved = services.consultations.save_assessment(sw, patient, _first(), based_on=None)
    action = services.consultations.add_action(sw, patient, SocialActionInput(ActionKind.APA))
    actor = getattr(team, role)
    before = db_state()
    start = audit_log.last_id()
    with pytest.raises(PermissionDenied) as info:
        _calls(patient, saved.id, action.id, action.version)[call](services, actor)
    assert info.value.message == REFUSED
    assert db_state() == before
    [entry] = audit_log.since(start)
    assert (entry.action, entry.object_type) == EXPECTED[call]
    assert entry.outcome == "refused" and entry.username == actor.username
    assert (entry.patient_id, entry.compartment) == (patient, "social")


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_no_inbox_item(services, team, make_patient, clock, role):
    patient = make_patient()
    services.consultations.add_action(
        team.social_worker,
        patient,
        SocialActionInput(ActionKind.C2S, due_on=clock().date() - timedelta(days=3)),
    )
    actor = getattr(team, role)
    assert services.consultations.inbox_items(actor) == []
    assert all(i.source != SOURCE for i in services.inbox.items(actor))


def test_archived_file_refuses_writes(services, team, make_patient, db_state, database):
    patient = make_patient()
    with database.sessions.begin() as session:
        session.execute(update(Patient).where(Patient.id == patient).values(archived_at=func.now()))
    before = db_state()
    with pytest.raises(PermissionDenied) as info:
        services.consultations.save_assessment(team.social_worker, patient, _first(), based_on=None)
    assert "archivé" in info.value.message
    with pytest.raises(PermissionDenied):
        services.consultations.add_action(
            team.social_worker, patient, SocialActionInput(ActionKind.C2S)
        )
    assert db_state() == before


def test_unknown_patient_and_objects(services, team):
    sw = team.social_worker
    with pytest.raises(NotFound):
        services.consultations.assessment(sw, 999)
    with pytest.raises(NotFound):
        services.consultations.version(sw, 999)
    with pytest.raises(NotFound):
        services.consultations.update_action(
            sw, 999, SocialActionInput(ActionKind.C2S), expected_version=1
        )


# ---- action plan --------------------------------------------------------------------------
def test_action_plan_add_update_status_and_order(
    services, team, make_patient, clock, database, db_state
):
    sw = team.social_worker
    patient = make_patient()
    cpam = next(p for p in services.partners.list(sw) if p.kind == "cpam")
    today = clock().date()
    c2s = services.consultations.add_action(
        sw,
        patient,
        SocialActionInput(
            ActionKind.C2S,
            partner_id=cpam.id,
            due_on=today + timedelta(days=10),
            detail="Avis d'imposition à fournir.",
        ),
    )
    assert (c2s.kind_label, c2s.status_label, c2s.partner_name) == (
        "Demande de complémentaire santé solidaire (CPAM)",
        "À faire",
        cpam.name,
    )
    assert c2s.owner_name == "Sophie Moreau" and not c2s.overdue and not c2s.reminder_due
    mdph = services.consultations.add_action(
        sw, patient, SocialActionInput(ActionKind.MDPH, due_on=today + timedelta(days=2))
    )
    other = services.consultations.add_action(sw, patient, SocialActionInput(ActionKind.OTHER))
    with database.sessions() as session:
        raw = session.get(SocialAction, c2s.id).detail
    assert raw.startswith(SEALED_TAG) and b"imposition" not in raw
    assert (
        services.codec.open(sw, "social", raw, context=action_context(patient, c2s.id))
        == "Avis d'imposition à fournir."
    )

    clock.advance(hours=1)
    waiting = services.consultations.update_action(
        sw,
        c2s.id,
        SocialActionInput(
            ActionKind.C2S,
            cpam.id,
            ActionStatus.WAITING,
            today + timedelta(days=60),
            today + timedelta(days=30),
            "Dossier envoyé à la CPAM.",
        ),
        expected_version=c2s.version,
    )
    assert waiting.status_label == "En attente de réponse" and waiting.version == c2s.version + 1
    assert waiting.detail == "Dossier envoyé à la CPAM."
    done = services.consultations.set_action_status(
        sw, mdph.id, "done", expected_version=mdph.version
    )
    assert done.status is ActionStatus.DONE and done.done_at == clock() and done.closed
    listed = services.consultations.actions(sw, patient)
    assert [a.id for a in listed] == [waiting.id, other.id, done.id]  # open by due date
    assert [a.id for a in services.consultations.actions(sw, patient, include_closed=False)] == [
        waiting.id,
        other.id,
    ]

    before = db_state()
    with pytest.raises(ConflictError) as conflict:  # an older version
        services.consultations.set_action_status(
            sw, c2s.id, "cancelled", expected_version=c2s.version
        )
    assert conflict.value.extra["action"].status is ActionStatus.WAITING
    with pytest.raises(ValidationError) as bad:
        services.consultations.add_action(
            sw, patient, SocialActionInput("lottery", partner_id=99_999, status="lost")
        )
    assert set(bad.value.fields) == {"kind", "partner_id", "status"}
    assert db_state() == before


def _source_items(services, actor):
    return [i for i in services.inbox.items(actor) if i.source == SOURCE]


def test_overdue_and_reminders_reach_the_owner_inbox_and_marking_read(
    services, team, make_patient, clock
):
    sw = team.social_worker
    patient = make_patient("Lenoir", "Marie", sex="F")
    today = clock().date()
    c2s = services.consultations.add_action(
        sw,
        patient,
        SocialActionInput(
            ActionKind.C2S,
            due_on=today + timedelta(days=5),
            remind_on=today + timedelta(days=2),
            detail="Ne jamais afficher ce détail",
        ),
    )
    services.consultations.add_action(  # done: never nags
        sw, patient, SocialActionInput(ActionKind.APA, status=ActionStatus.DONE, due_on=today)
    )
    assert _source_items(services, sw) == []
    unread_before = services.inbox.unread_count(sw)

    clock.advance(days=2)  # the reminder date has come
    [item] = _source_items(services, sw)
    assert item.kind == "social_action_reminder" and item.kind_label == "Rappel de démarche"
    assert item.id == c2s.id and item.patient_id == patient and not item.read
    assert item.patient_name == "LENOIR Marie"
    assert item.text == (
        "Demande de complémentaire santé solidaire (CPAM) : rappel du "
        f"{(today + timedelta(days=2)).strftime('%d/%m/%Y')}."
    )
    assert "détail" not in item.text
    assert services.inbox.unread_count(sw) == unread_before + 1
    version = services.consultations.actions(sw, patient)[0].version
    assert services.inbox.mark_read(sw, [item]) == 1
    [item] = _source_items(services, sw)
    assert item.read and services.inbox.unread_count(sw) == unread_before
    assert services.consultations.actions(sw, patient)[0].version == version  # no conflict

    clock.advance(days=2)  # still read: nothing new
    assert _source_items(services, sw)[0].read
    clock.advance(days=2)  # due date passed: overdue, unread again
    [item] = _source_items(services, sw)
    assert item.kind == "social_action_overdue" and not item.read
    assert "échéance du" in item.text and "dépassée" in item.text
    assert services.consultations.actions(sw, patient)[0].overdue
    services.inbox.mark_read(sw, [item])
    clock.advance(days=1)
    assert _source_items(services, sw)[0].read  # not nagging every day

    # A new reminder date brings it back; finishing it removes it.
    current = services.consultations.actions(sw, patient)[0]
    changed = services.consultations.update_action(
        sw,
        c2s.id,
        SocialActionInput(
            ActionKind.C2S,
            status=ActionStatus.WAITING,
            due_on=clock().date() + timedelta(days=30),
            remind_on=clock().date() + timedelta(days=7),
        ),
        expected_version=current.version,
    )
    assert _source_items(services, sw) == []
    clock.advance(days=7)
    assert not _source_items(services, sw)[0].read
    services.consultations.set_action_status(sw, c2s.id, "done", expected_version=changed.version)
    assert _source_items(services, sw) == []


def test_inbox_items_are_the_owner_s_only(services, team, make_patient, clock):
    patient = make_patient()
    action = services.consultations.add_action(
        team.social_worker,
        patient,
        SocialActionInput(ActionKind.FSL, due_on=clock().date() - timedelta(days=1)),
    )
    assert [i.id for i in _source_items(services, team.social_worker)] == [action.id]
    # Another user cannot mark it read.
    assert services.consultations.mark_item_read(team.gp, action.id) is False
    assert not _source_items(services, team.social_worker)[0].read


def test_due_today_is_not_overdue(services, team, make_patient, clock):
    patient = make_patient()
    services.consultations.add_action(
        team.social_worker, patient, SocialActionInput(ActionKind.FSL, due_on=TODAY)
    )
    assert _source_items(services, team.social_worker) == []
    view = services.consultations.actions(team.social_worker, patient)[0]
    assert not view.overdue
    assert view.due_on == TODAY == clinic_today(clock)  # the clinic's day, not UTC's


# ---- demo ---------------------------------------------------------------------------------
def test_demo_social_follow_up(services):
    from sqlalchemy import select as sql_select

    from app.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo

    create_demo(services, patients=120, notes_per_patient=0)
    account = next(a for a in DEMO_ACCOUNTS if a.role == "social_worker")
    sw = services.auth.login(account.username, DEMO_PASSWORD)
    with services.db.session(write=False) as session:
        patients = sorted(set(session.scalars(sql_select(SocialAssessment.patient_id))))
    assert 2 <= len(patients) <= 4
    counts = {len(services.consultations.history(sw, p)) for p in patients}
    assert counts == {2, 3}
    for p in patients:
        history = services.consultations.history(sw, p)
        assert history[0].created_at > history[-1].created_at  # spread over time
        assert services.consultations.changes(sw, history[0].id)  # something changed
    actions = [a for p in patients for a in services.consultations.actions(sw, p)]
    assert {a.status for a in actions} == set(ActionStatus)
    assert any(a.overdue for a in actions) and any(a.reminder_due for a in actions)
    items = [i for i in services.inbox.items(sw) if i.source == SOURCE]
    assert {i.kind for i in items} == {"social_action_overdue", "social_action_reminder"}
