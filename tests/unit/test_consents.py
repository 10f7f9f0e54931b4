"""Consent records: validation, history, current state, permissions, audit, withdrawal hooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from suite_clock import TODAY, days, dmy

from app.models import Consent, Document
from app.models.enums import AuditOutcome, Role
from app.services.kernel import policy
from app.services.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.partners.records import PartnerInput, PartnerKind
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentMethod, ConsentScope, ConsentStatus


@pytest.fixture
def partner_id(services, team) -> int:
    return services.partners.create(
        team.coordinator, PartnerInput("CCAS de Bihorel", PartnerKind.CCAS)
    ).id


def _refused(audit_log, actor, since):
    return [
        r
        for r in audit_log.since(since, user_id=actor.user_id)
        if r.outcome == str(AuditOutcome.REFUSED)
    ]


def test_record_given_refused_withdrawn_keeps_the_history(services, team, make_patient, clock):
    patient_id = make_patient()
    given = services.consents.record(team.gp, patient_id, "liaison", "given")
    assert (given.scope, given.status, given.method) == (
        ConsentScope.LIAISON,
        ConsentStatus.GIVEN,
        ConsentMethod.ORAL,
    )
    assert given.decided_on == TODAY and given.recorded_by_name == "Paul Durand"
    assert given.recorded_at == clock() and given.active
    clock.advance(days=3)
    withdrawn = services.consents.record(
        team.secretary, patient_id, ConsentScope.LIAISON, ConsentStatus.WITHDRAWN
    )
    history = services.consents.history(team.social_worker, patient_id)
    assert [r.id for r in history] == [withdrawn.id, given.id]
    assert [r.status_label for r in history] == ["Retiré", "Donné"]
    summary = services.consents.current(team.coordinator, patient_id)
    assert [r.id for r in summary.current] == [withdrawn.id]
    assert summary.status_of("liaison") is ConsentStatus.WITHDRAWN
    assert not summary.is_active("liaison")
    assert summary.status_of("referral_carsat") is None  # never asked: no record


def test_a_refusal_is_data_not_missing_data(services, team, make_patient):
    patient_id = make_patient()
    refused = services.consents.record(team.gp, patient_id, "referral_carsat", "refused")
    summary = services.consents.current(team.gp, patient_id)
    assert summary.status_of(ConsentScope.REFERRAL_CARSAT) is ConsentStatus.REFUSED
    assert not summary.is_active("referral_carsat")
    assert refused.status_label == "Refusé"
    with services.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Consent)) == 1
        assert not consent_active(session, patient_id, "referral_carsat")


def test_partner_scope_is_per_partner(services, team, make_patient, partner_id):
    other = services.partners.create(team.coordinator, PartnerInput("MDPH 76", PartnerKind.MDPH)).id
    patient_id = make_patient()
    record = services.consents.record(
        team.social_worker, patient_id, "partner", "given", partner_id=partner_id
    )
    assert record.partner_name == "CCAS de Bihorel"
    assert record.scope_label.endswith(": CCAS de Bihorel")
    summary = services.consents.current(team.social_worker, patient_id)
    assert summary.is_active("partner", partner_id)
    assert not summary.is_active("partner", other)
    assert not summary.is_active("partner")
    with services.db.session(write=False) as session:
        assert consent_active(session, patient_id, "partner", partner_id)
        assert not consent_active(session, patient_id, "partner", other)
        assert not consent_active(session, patient_id, "partner")


def test_signed_form_links_the_printed_document(services, team, make_patient, clock):
    patient_id = make_patient()
    with services.db.session() as session:
        doc = Document(
            number="2026-000001",
            kind="consent_form",
            title="Formulaire de consentement",
            patient_id=patient_id,
            compartment="administrative",
            author_id=team.gp.user_id,
            created_at=clock(),
            sha256="0" * 64,
            size=1,
            content=b"x",
        )
        session.add(doc)
        session.flush()
        document_id = doc.id
    record = services.consents.record(
        team.secretary,
        patient_id,
        "liaison",
        "given",
        method="signed_form",
        decided_on=dmy(days(-2)),
        document_id=document_id,
    )
    assert record.document_id == document_id and record.method_label == "Formulaire signé"
    assert record.decided_on == days(-2)
    other = make_patient("Autre", "Patient")
    with pytest.raises(ValidationError) as info:
        services.consents.record(
            team.secretary, other, "liaison", "given", method="signed_form", document_id=document_id
        )
    assert info.value.fields == {
        "document_id": "Ce formulaire imprimé n'appartient pas à ce patient."
    }


@pytest.mark.parametrize(
    ("kwargs", "fields"),
    [
        (
            {"decided_on": TODAY + timedelta(days=1)},
            {"decided_on": "La date de la décision ne peut pas être future."},
        ),
        (
            {"decided_on": "31/02/2026"},
            {"decided_on": "La date n'existe pas ou n'est pas au format jj/mm/aaaa."},
        ),
        (
            {"scope": "partner"},
            {"partner_id": "Choisissez le partenaire concerné par ce consentement."},
        ),
        (
            {"partner_id": "PARTNER"},
            {"partner_id": "Ce consentement ne concerne pas un partenaire en particulier."},
        ),
        (
            {"document_id": 1},
            {
                "document_id": "Un formulaire imprimé ne peut être joint qu'à un consentement "
                "par formulaire signé."
            },
        ),
        ({"scope": "tout"}, {"scope": "Type de consentement inconnu."}),
        ({"status": "peut-être"}, {"status": "La décision doit être : donné, refusé ou retiré."}),
        ({"method": "email"}, {"method": "Le recueil doit être oral ou par formulaire signé."}),
        (
            {"status": "withdrawn"},
            {
                "status": "Aucun consentement donné n'est en cours pour ce partage : il n'y a "
                "rien à retirer (enregistrez plutôt un refus)."
            },
        ),
    ],
)
def test_validation_in_french_writes_nothing(
    services, team, make_patient, partner_id, db_state, kwargs, fields
):
    patient_id = make_patient()
    args = {"scope": "liaison", "status": "given", **kwargs}
    if args.get("partner_id") == "PARTNER":
        args["partner_id"] = partner_id
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.consents.record(team.gp, patient_id, args.pop("scope"), args.pop("status"), **args)
    assert info.value.fields == fields
    assert db_state() == before


def test_unknown_patient_and_inactive_partner(services, team, make_patient, partner_id):
    with pytest.raises(NotFound):
        services.consents.record(team.gp, 999_999, "liaison", "given")
    services.partners.set_active(team.coordinator, partner_id, False)
    patient_id = make_patient()
    with pytest.raises(ValidationError) as info:
        services.consents.record(team.gp, patient_id, "partner", "given", partner_id=partner_id)
    assert info.value.fields == {"partner_id": "Ce partenaire est désactivé dans l'annuaire."}
    # A refusal about an inactive partner is still the patient's word: recorded.
    refused = services.consents.record(
        team.gp, patient_id, "partner", "refused", partner_id=partner_id
    )
    assert refused.status is ConsentStatus.REFUSED


def test_archived_file_refuses_new_consent(services, team, make_patient, database):
    from sqlalchemy import update

    from app.models import Patient

    patient_id = make_patient()
    with database.sessions() as session:
        session.execute(
            update(Patient).where(Patient.id == patient_id).values(archived_at=func.now())
        )
        session.commit()
    with pytest.raises(PermissionDenied) as info:
        services.consents.record(team.gp, patient_id, "liaison", "given")
    assert info.value.message == "Ce dossier est archivé : il ne peut plus être modifié."


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_write_follows_the_policy_table(services, team, make_patient, audit_log, db_state, role):
    actor = team.by_role(role)
    patient_id = make_patient()
    before, since = db_state(), audit_log.last_id()
    if policy.allows(role, Resource.CONSENT, Action.WRITE):
        record = services.consents.record(actor, patient_id, "liaison", "refused")
        ok = audit_log.since(since, user_id=actor.user_id)
        assert [(r.action, r.outcome, r.patient_id, r.object_id, r.detail) for r in ok] == [
            (
                "consent_record",
                "ok",
                patient_id,
                record.id,
                "Partage entre médecins et assistante sociale (notes de liaison) : refusé (oral)",
            )
        ]
        return
    assert role is Role.COORDINATOR
    with pytest.raises(PermissionDenied) as info:
        services.consents.record(actor, patient_id, "liaison", "given")
    assert info.value.message == (
        "Votre rôle ne permet pas d'enregistrer le consentement du patient."
    )
    refused = _refused(audit_log, actor, since)
    assert [(r.action, r.patient_id, r.object_type) for r in refused] == [
        ("consent_record", patient_id, "consent")
    ]
    assert db_state() == before


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_reads_the_consent_without_audit(services, team, make_patient, audit_log, role):
    patient_id = make_patient()
    services.consents.record(team.gp, patient_id, "liaison", "given")
    since = audit_log.last_id()
    actor = team.by_role(role)
    assert services.consents.current(actor, patient_id).is_active("liaison")
    assert len(services.consents.history(actor, patient_id)) == 1
    assert audit_log.since(since) == []  # administrative read: the file opening is audited


def test_read_refusal_is_audited_when_the_table_says_so(
    services, team, make_patient, audit_log, monkeypatch
):
    """No role lacks the read today; if the table changes, the service refuses and audits."""
    patient_id = make_patient()
    grants = dict(policy.POLICY[Resource.CONSENT])
    grants[Role.COORDINATOR] = policy.NONE
    monkeypatch.setitem(policy.POLICY, Resource.CONSENT, grants)
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as info:
        services.consents.current(team.coordinator, patient_id)
    assert info.value.message == (
        "Votre rôle ne permet pas de consulter le consentement du patient."
    )
    assert [(r.action, r.object_type) for r in _refused(audit_log, team.coordinator, since)] == [
        ("read", "consent")
    ]


def test_withdrawal_hooks_run_in_the_same_unit_of_work(services, team, make_patient):
    patient_id = make_patient()
    calls = []

    def hook(session, actor, pid, scope, partner):
        # The new record is visible in the unit of work the hook runs in.
        calls.append((actor.username, pid, scope, partner, consent_active(session, pid, scope)))

    services.consents.on_withdrawal.append(hook)
    services.consents.record(team.gp, patient_id, "liaison", "given")
    assert calls == []
    services.consents.record(team.gp, patient_id, "liaison", "withdrawn")
    services.consents.record(team.gp, patient_id, "referral_carsat", "refused")
    assert calls == [
        ("dr.durand", patient_id, ConsentScope.LIAISON, None, False),
        ("dr.durand", patient_id, ConsentScope.REFERRAL_CARSAT, None, False),
    ]


def test_a_failing_hook_rolls_the_withdrawal_back(services, team, make_patient, db_state):
    patient_id = make_patient()
    services.consents.record(team.gp, patient_id, "liaison", "given")

    def hook(*_args):
        raise RuntimeError("boom")

    services.consents.on_withdrawal.append(hook)
    before = db_state()
    with pytest.raises(RuntimeError):
        services.consents.record(team.gp, patient_id, "liaison", "withdrawn")
    assert db_state() == before
    assert services.consents.current(team.gp, patient_id).is_active("liaison")
