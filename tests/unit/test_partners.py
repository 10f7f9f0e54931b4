"""The partners directory: pre-filled at setup, searchable, editable by its maintainers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, func, select

from app.models import Partner
from app.models.enums import AuditOutcome, Role
from app.services.kernel import policy
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.partners.defaults import DEFAULT_PARTNERS
from app.services.partners.records import (
    PARTNER_KIND_LABELS,
    PartnerContactInput,
    PartnerInput,
    PartnerKind,
)
from app.services.patient_file.records import PatientInput
from app.services.referrals.orientation_guide import ORIENTATION_KIND, Service

CARSAT = PartnerInput(
    "CARSAT Normandie",
    PartnerKind.CARSAT,
    "Service social — secteur Rouen",
    "5 avenue du Grand Cours, 76100 Rouen",
    "02 35 00 10 10",
    "as.rouen@example.org",
    "Rouen\nBihorel; Bois-Guillaume, rouen",
    "Accès aux droits, prévention de la désinsertion professionnelle.",
)
WRITE_REFUSED = "Votre rôle ne permet pas de modifier l'annuaire des partenaires."

PHONE_INVALID = (
    "Le numéro de téléphone n'est pas valide (par exemple 02 35 12 34 56, "
    "ou +32 2 500 12 34 pour l'étranger)."
)
EMAIL_INVALID = "L'adresse e-mail n'est pas valide (par exemple prenom.nom@exemple.fr)."


def _refused(audit_log, actor, since):
    return [
        (r.action, r.object_type)
        for r in audit_log.since(since, user_id=actor.user_id)
        if r.outcome == str(AuditOutcome.REFUSED)
    ]


def test_setup_prefills_one_entry_per_usual_kind(services, team):
    listed = services.partners.list(team.gp)
    kinds = {p.kind for p in listed}
    assert kinds == set(PartnerKind) - {PartnerKind.OTHER}
    assert len(listed) == len(DEFAULT_PARTNERS)
    assert all(p.handles for p in listed)
    assert next(p for p in listed if p.kind is PartnerKind.SIAO_115).phone == "115"
    assert [p.kind for p in listed] == sorted(kinds, key=list(PartnerKind).index)


def test_every_kind_has_a_label_and_every_orientation_service_a_kind():
    assert set(PARTNER_KIND_LABELS) == set(PartnerKind)
    assert set(ORIENTATION_KIND) == set(Service)
    assert all(str(ORIENTATION_KIND[s]) == str(s) for s in Service)


def test_ensure_defaults_restores_missing_kinds_only(services, team, audit_log):
    with services.db.session() as session:
        session.execute(delete(Partner).where(Partner.kind.in_(["mdph", "caf"])))
    since = audit_log.last_id()
    assert services.partners.ensure_defaults(team.coordinator) == 2
    assert services.partners.ensure_defaults(team.coordinator) == 0
    rows = audit_log.since(since, user_id=team.coordinator.user_id)
    assert [(r.action, r.detail) for r in rows] == [("partner_create", "annuaire pré-rempli")] * 2
    with services.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Partner)) == len(DEFAULT_PARTNERS)


def test_create_cleans_and_lists_communes(services, team, audit_log):
    since = audit_log.last_id()
    created = services.partners.create(team.social_worker, CARSAT)
    assert created.communes == ["Rouen", "Bihorel", "Bois-Guillaume"]
    assert created.version == 1 and created.active and created.contacts == []
    assert [(r.action, r.object_type, r.object_id) for r in audit_log.since(since)] == [
        ("partner_create", "partner", created.id)
    ]
    assert services.partners.get(team.paramedical, created.id) == created


def test_filters_by_kind_commune_and_query(services, team):
    created = services.partners.create(team.secretary, CARSAT)
    services.partners.add_contact(
        team.secretary, created.id, PartnerContactInput("Hélène Vasseur", social_worker=True)
    )
    carsat = services.partners.list(team.gp, kind="carsat")
    assert {p.name for p in carsat} == {"CARSAT Normandie", "CARSAT — service social"}
    # A partner serving listed communes only; generic entries (no commune) serve everywhere.
    assert created.id in {p.id for p in services.partners.list(team.gp, commune="BIHOREL")}
    assert created.id not in {p.id for p in services.partners.list(team.gp, commune="Elbeuf")}
    assert len(services.partners.list(team.gp, commune="Elbeuf")) == len(DEFAULT_PARTNERS)
    assert [p.id for p in services.partners.list(team.gp, query="helene vass")] == [created.id]
    assert [p.id for p in services.partners.list(team.gp, query="désinsertion norm")] == [
        created.id
    ]
    assert services.partners.list(team.gp, query="introuvable") == []


def test_update_with_optimistic_locking(services, team, audit_log):
    created = services.partners.create(team.coordinator, CARSAT)
    data = created.as_input()
    updated = services.partners.update(
        team.secretary,
        created.id,
        PartnerInput(**{**data.__dict__, "phone": "02 35 99 99 99"}),
        created.version,
    )
    assert updated.phone == "02 35 99 99 99" and updated.version == created.version + 1
    with pytest.raises(ConflictError) as info:
        services.partners.update(
            team.social_worker,
            created.id,
            PartnerInput(**{**data.__dict__, "phone": "02 35 11 11 11"}),
            created.version,
        )
    assert info.value.theirs.phone == "02 35 99 99 99"
    assert info.value.mine.phone == "02 35 11 11 11"
    assert "quelqu'un d'autre" in info.value.message
    assert services.partners.get(team.gp, created.id).phone == "02 35 99 99 99"


def test_deactivated_partners_and_contacts_are_hidden_unless_asked(services, team):
    created = services.partners.create(team.coordinator, CARSAT)
    contact = services.partners.add_contact(
        team.coordinator, created.id, PartnerContactInput("Karim Benali", "AS", social_worker=True)
    )
    services.partners.set_contact_active(team.secretary, contact.id, False)
    assert services.partners.list(team.gp, kind="carsat", query="normandie")[0].contacts == []
    assert not services.partners.get(team.gp, created.id).contacts[0].active
    services.partners.set_active(team.secretary, created.id, False)
    assert created.id not in {p.id for p in services.partners.list(team.gp)}
    assert created.id in {p.id for p in services.partners.list(team.gp, include_inactive=True)}
    assert services.partners.set_active(team.secretary, created.id, True).active


def test_contacts_update_with_optimistic_locking(services, team):
    created = services.partners.create(team.coordinator, CARSAT)
    contact = services.partners.add_contact(
        team.social_worker, created.id, PartnerContactInput("Hélène Vasseur", "AS de secteur")
    )
    assert (contact.partner_id, contact.version, contact.social_worker) == (created.id, 1, False)
    updated = services.partners.update_contact(
        team.social_worker,
        contact.id,
        PartnerContactInput("Hélène Vasseur", "AS de secteur", "02 35 00 10 11", "", True),
        contact.version,
    )
    assert updated.social_worker and updated.version == 2
    with pytest.raises(ConflictError) as info:
        services.partners.update_contact(
            team.secretary, contact.id, PartnerContactInput("H. Vasseur"), contact.version
        )
    assert info.value.theirs.phone == "02 35 00 10 11"
    with pytest.raises(NotFound):
        services.partners.add_contact(team.secretary, 999_999, PartnerContactInput("X"))


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"name": "  "}, {"name": "Le nom est obligatoire."}),
        ({"kind": "banque"}, {"kind": "Type de partenaire inconnu."}),
        (
            {"phone": "appeler le matin"},
            {"phone": PHONE_INVALID},
        ),
        (
            {"email": "pas-une-adresse"},
            {"email": EMAIL_INVALID},
        ),
        ({"name": "x" * 201}, {"name": "Le nom est trop long (200 caractères au plus)."}),
    ],
)
def test_partner_validation_in_french(services, team, db_state, change, fields):
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.partners.create(team.coordinator, PartnerInput(**{**CARSAT.__dict__, **change}))
    assert info.value.fields == fields
    assert db_state() == before


def test_short_national_numbers_are_valid_phones(services, team):
    for phone in ("115", "3919", "119"):
        data = PartnerInput(f"Ligne {phone}", "other", phone=phone)
        assert services.partners.create(team.coordinator, data).phone == phone


def test_contact_validation_in_french(services, team):
    created = services.partners.create(team.coordinator, CARSAT)
    with pytest.raises(ValidationError) as info:
        services.partners.add_contact(
            team.coordinator, created.id, PartnerContactInput("", email="@")
        )
    assert info.value.fields == {
        "name": "Le nom est obligatoire.",
        "email": EMAIL_INVALID,
    }


def test_policy_row_matches_the_design():
    # DESIGN.md §3: « partners directory … R for gp and paramedical, R W for social_worker,
    # secretary, coordinator ».
    assert policy.POLICY[Resource.PARTNERS] == {
        Role.GP: policy.R,
        Role.PARAMEDICAL: policy.R,
        Role.SOCIAL_WORKER: policy.RW,
        Role.SECRETARY: policy.RW,
        Role.COORDINATOR: policy.RW,
    }


MAINTAINERS = (Role.SOCIAL_WORKER, Role.SECRETARY, Role.COORDINATOR)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_reads_the_directory_without_refusal(services, team, audit_log, role):
    actor = team.by_role(role)
    created = services.partners.create(team.coordinator, CARSAT)
    contact = services.partners.add_contact(
        team.coordinator, created.id, PartnerContactInput("Hélène Vasseur", social_worker=True)
    )
    since = audit_log.last_id()
    assert "CARSAT Normandie" in {p.name for p in services.partners.list(actor)}
    assert services.partners.list(actor, query="carsat", commune="Bihorel")
    assert services.partners.get(actor, created.id).contacts[0].name == "Hélène Vasseur"
    assert services.partners.contact(actor, contact.id).social_worker
    assert _refused(audit_log, actor, since) == []


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_directory_permissions_follow_the_table(services, team, audit_log, db_state, role):
    actor = team.by_role(role)
    assert policy.allows(role, Resource.PARTNERS, Action.READ)  # everyone refers
    assert services.partners.list(actor)
    existing = services.partners.list(team.coordinator)[0]
    if role in MAINTAINERS:
        assert policy.allows(role, Resource.PARTNERS, Action.WRITE)
        since = audit_log.last_id()
        created = services.partners.create(actor, CARSAT)
        assert created.name == "CARSAT Normandie"
        updated = services.partners.update(
            actor, created.id, replace(CARSAT, service="Secteur Est"), created.version
        )
        assert updated.service == "Secteur Est"
        contact = services.partners.add_contact(actor, created.id, PartnerContactInput("X"))
        services.partners.set_contact_active(actor, contact.id, False)
        assert not services.partners.set_active(actor, created.id, False).active
        assert _refused(audit_log, actor, since) == []
        return
    assert role in (Role.GP, Role.PARAMEDICAL)
    assert not policy.allows(role, Resource.PARTNERS, Action.WRITE)
    contact = PartnerContactInput("X")
    calls = [
        (lambda: services.partners.create(actor, CARSAT), "partner"),
        (
            lambda: services.partners.update(actor, existing.id, CARSAT, existing.version),
            "partner",
        ),
        (lambda: services.partners.set_active(actor, existing.id, False), "partner"),
        (lambda: services.partners.ensure_defaults(actor), "partner"),
        (lambda: services.partners.add_contact(actor, existing.id, contact), "partner_contact"),
        (lambda: services.partners.update_contact(actor, 1, contact, 1), "partner_contact"),
        (lambda: services.partners.set_contact_active(actor, 1, False), "partner_contact"),
    ]
    before = db_state()
    for call, object_type in calls:
        since = audit_log.last_id()
        result = None
        with pytest.raises(PermissionDenied) as info:
            result = call()
        assert result is None
        assert info.value.message == WRITE_REFUSED
        assert _refused(audit_log, actor, since) == [("partner_update", object_type)]
    assert db_state() == before


# ---- the patient's référent social outside the clinic --------------------------------------


def test_patient_referent_can_be_a_partners_contact(services, team, make_patient):
    created = services.partners.create(team.coordinator, CARSAT)
    contact = services.partners.add_contact(
        team.coordinator, created.id, PartnerContactInput("Hélène Vasseur", social_worker=True)
    )
    patient_id = make_patient()
    record = services.patients.get(team.secretary, patient_id, audit_open=False)
    data = PatientInput(**{**record.as_input().__dict__, "social_referent_contact_id": contact.id})
    updated = services.patients.update(team.secretary, patient_id, data, record.version)
    assert updated.social_referent_contact_id == contact.id
    assert updated.social_referent_name == "Hélène Vasseur (CARSAT Normandie)"
    assert updated.as_input().social_referent_contact_id == contact.id
    # Deactivating the contact later keeps the référent (no silent change of the file).
    services.partners.set_contact_active(team.coordinator, contact.id, False)
    again = services.patients.update(
        team.secretary, patient_id, updated.as_input(), updated.version
    )
    assert again.social_referent_contact_id == contact.id


def test_patient_referent_validation(services, team, make_patient):
    created = services.partners.create(team.coordinator, CARSAT)
    contact = services.partners.add_contact(
        team.coordinator, created.id, PartnerContactInput("Hélène Vasseur")
    )
    inactive = services.partners.add_contact(
        team.coordinator, created.id, PartnerContactInput("Ancienne AS")
    )
    services.partners.set_contact_active(team.coordinator, inactive.id, False)
    patient_id = make_patient()
    record = services.patients.get(team.secretary, patient_id, audit_open=False)
    base = record.as_input().__dict__
    cases = [
        (
            {
                "social_referent_contact_id": contact.id,
                "social_referent_id": team.social_worker.user_id,
            },
            "Un seul référent social : l'assistant(e) social(e) de la maison de santé ou un "
            "contact de l'annuaire des partenaires, pas les deux.",
        ),
        (
            {"social_referent_contact_id": 999_999},
            "Ce contact n'existe pas dans l'annuaire des partenaires.",
        ),
        (
            {"social_referent_contact_id": inactive.id},
            "Ce contact est désactivé dans l'annuaire des partenaires.",
        ),
    ]
    for change, message in cases:
        with pytest.raises(ValidationError) as info:
            services.patients.update(
                team.secretary, patient_id, PatientInput(**{**base, **change}), record.version
            )
        assert info.value.fields == {"social_referent_contact_id": message}
