"""The access-policy table (DESIGN.md §3), checked cell by cell and through the real services.

The first half checks ``POLICY`` against the design's table (transcribed below as the
specification) and ``allows``/``require`` against ``POLICY``. The second half is generated from
``POLICY`` too: for every role, compartment and action it calls the service a view would call
and checks that an allowed call works and a refused one raises ``PermissionDenied`` with a French
message, leaves an audit entry with outcome ``refused`` and writes nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import fields

import pytest

from app.models.enums import AuditOutcome, Compartment, Profession, Role
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInfo, ClinicInput, ClinicPublic
from app.services.kernel import policy
from app.services.kernel.errors import PermissionDenied
from app.services.kernel.policy import POLICY, Action, Resource, Scope
from app.services.patient_file.records import PatientInput

A, OWN, PARTY, AGG, SCHED = Scope.ALL, Scope.OWN, Scope.PARTY, Scope.AGGREGATE, Scope.SCHEDULING
GP, PARA, SW, SEC, COORD = (
    Role.GP,
    Role.PARAMEDICAL,
    Role.SOCIAL_WORKER,
    Role.SECRETARY,
    Role.COORDINATOR,
)

# DESIGN.md §3, transcribed: resource -> role -> (read scope, write scope); None is "–".
# Partners directory: GPs and paramedical staff read it to refer patients to partners (R);
# social workers, secretaries and the coordinator maintain it (R W). Accounts and settings:
# the coordinator only.
SPEC: dict[Resource, dict[Role, tuple[Scope | None, Scope | None]]] = {
    Resource.ADMINISTRATIVE: {
        GP: (A, A),
        PARA: (A, None),
        SW: (A, A),
        SEC: (A, A),
        COORD: (A, A),
    },
    Resource.MEDICAL: {
        GP: (A, A),
        PARA: (A, OWN),
        SW: (None, None),
        SEC: (None, None),
        COORD: (None, None),
    },
    Resource.SOCIAL: {
        GP: (None, None),
        PARA: (None, None),
        SW: (A, A),
        SEC: (None, None),
        COORD: (None, None),
    },
    Resource.LIAISON: {
        GP: (A, A),
        PARA: (A, None),
        SW: (A, A),
        SEC: (None, None),
        COORD: (None, None),
    },
    # DESIGN.md §4: who records the patient's word (secretaries collect signed forms).
    Resource.CONSENT: {
        GP: (A, A),
        PARA: (A, A),
        SW: (A, A),
        SEC: (A, A),
        COORD: (A, None),
    },
    Resource.REFERRAL: {
        GP: (A, A),
        PARA: (A, A),
        SW: (A, A),
        SEC: (SCHED, None),
        COORD: (AGG, None),
    },
    Resource.REFERRAL_CONTENT: {
        GP: (PARTY, PARTY),
        PARA: (PARTY, PARTY),
        SW: (PARTY, PARTY),
        SEC: (None, None),
        COORD: (None, None),
    },
    # Not a row of its own in the design (§5: "the coordinator or the social worker defines
    # recurring sessions"); everyone reads them to know when the social worker is there.
    Resource.SESSIONS: {
        GP: (A, None),
        PARA: (A, None),
        SW: (A, A),
        SEC: (A, None),
        COORD: (A, A),
    },
    Resource.APPOINTMENT: {
        GP: (A, None),
        PARA: (A, None),
        SW: (A, A),
        SEC: (A, A),
        COORD: (A, None),
    },
    Resource.APPOINTMENT_REASON: {
        GP: (OWN, OWN),
        PARA: (OWN, OWN),
        SW: (OWN, OWN),
        SEC: (None, None),
        COORD: (None, None),
    },
    Resource.HOME_CARE: {
        GP: (A, A),
        PARA: (A, A),
        SW: (A, A),
        SEC: (A, None),
        COORD: (A, None),
    },
    Resource.STATISTICS: {
        GP: (AGG, None),
        PARA: (None, None),
        SW: (AGG, None),
        SEC: (None, None),
        COORD: (AGG, None),
    },
    Resource.AUDIT: {
        GP: (None, None),
        PARA: (None, None),
        SW: (None, None),
        SEC: (None, None),
        COORD: (A, None),
    },
    Resource.ACCOUNTS: {
        GP: (None, None),
        PARA: (None, None),
        SW: (None, None),
        SEC: (None, None),
        COORD: (A, A),
    },
    Resource.SETTINGS: {
        GP: (None, None),
        PARA: (None, None),
        SW: (None, None),
        SEC: (None, None),
        COORD: (A, A),
    },
    Resource.PARTNERS: {
        GP: (A, None),
        PARA: (A, None),
        SW: (A, A),
        SEC: (A, A),
        COORD: (A, A),
    },
}

CELLS = [
    pytest.param(resource, role, action, id=f"{resource}-{role}-{action}")
    for resource, by_role in POLICY.items()
    for role in by_role
    for action in Action
]


def test_table_covers_every_resource_and_role():
    assert set(POLICY) == set(Resource)
    for resource, by_role in POLICY.items():
        assert set(by_role) == set(Role), resource
    assert set(SPEC) == set(POLICY)


@pytest.mark.parametrize(("resource", "role", "action"), CELLS)
def test_table_cell_matches_design(resource, role, action):
    read, write = SPEC[resource][role]
    expected = read if action is Action.READ else write
    assert POLICY[resource][role].scope(action) is expected
    assert policy.scope_of(role, resource, action) is expected


@pytest.mark.parametrize(("resource", "role", "action"), CELLS)
def test_allows_and_require_follow_the_table(resource, role, action):
    scope = POLICY[resource][role].scope(action)
    for is_own, is_party in itertools.product((False, True), repeat=2):
        if scope is None:
            expected = False
        elif scope is Scope.OWN:
            expected = is_own
        elif scope is Scope.PARTY:
            expected = is_party
        else:
            expected = True
        got = policy.allows(role, resource, action, is_own=is_own, is_party=is_party)
        assert got is expected, (is_own, is_party)
        if expected:
            policy.require(role, resource, action, is_own=is_own, is_party=is_party)
        else:
            with pytest.raises(PermissionDenied) as info:
                policy.require(role, resource, action, is_own=is_own, is_party=is_party)
            assert info.value.message == "Vous n'avez pas accès à cette information."


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_compartment_names_are_accepted_like_resources(role):
    for compartment in Compartment:
        for action in Action:
            assert policy.allows(role, compartment, action, is_own=True) == policy.allows(
                role, Resource(str(compartment)), action, is_own=True
            )


def test_secretary_and_coordinator_see_no_clinical_or_social_compartment():
    for role in (Role.SECRETARY, Role.COORDINATOR):
        readable = policy.readable_compartments(role)
        assert readable == [Compartment.ADMINISTRATIVE]
        assert not {Compartment.MEDICAL, Compartment.SOCIAL, Compartment.LIAISON} & set(readable)


def test_readable_and_writable_compartments_follow_the_table():
    for role in Role:
        assert policy.readable_compartments(role) == [
            c for c in Compartment if SPEC[Resource(str(c))][role][0] is not None
        ]
        assert policy.writable_compartments(role) == [
            c for c in Compartment if SPEC[Resource(str(c))][role][1] is not None
        ]


def test_printable_table_has_one_row_per_resource_in_french():
    rows = policy.table_rows()
    assert len(rows) == len(POLICY)
    labels = [label for label, _cells, _condition in rows]
    assert "Notes médicales" in labels
    for _label, cells, _condition in rows:
        assert len(cells) == len(Role)
    medical = dict((label, cells) for label, cells, _ in rows)["Notes médicales"]
    roles = list(Role)
    assert medical[roles.index(Role.PARAMEDICAL)] == "L É (les siens)"
    assert medical[roles.index(Role.SECRETARY)] == "–"


# ---- through the real services --------------------------------------------------------------

NOTE_AUTHOR = {
    Compartment.MEDICAL: "gp",
    Compartment.SOCIAL: "social_worker",
    Compartment.LIAISON: "gp",
}
SERVICE_CELLS = [
    pytest.param(role, compartment, action, id=f"{role}-{compartment}-{action}")
    for role in Role
    for compartment in Compartment
    for action in Action
]


def _refusals(audit_log, actor, since, **where):
    return [
        r
        for r in audit_log.since(since, user_id=actor.user_id, **where)
        if r.outcome == str(AuditOutcome.REFUSED)
    ]


@pytest.mark.parametrize(("role", "compartment", "action"), SERVICE_CELLS)
def test_service_applies_the_table(
    services, team, make_patient, liaison_consent, audit_log, db_state, role, compartment, action
):
    actor = team.by_role(role)
    patient_id = make_patient("Lefèbvre", "Hélène", sex="F")
    liaison_consent(patient_id)  # the role table applies; consent gating: test_liaison_consent
    marker = f"note-{role}-{compartment}-{action}"
    if compartment is not Compartment.ADMINISTRATIVE:
        author = getattr(team, NOTE_AUTHOR[compartment])
        services.notes.add(author, patient_id, compartment, f"{marker} (rédigée par un autre)")
    allowed = policy.allows(role, compartment, action, is_own=True)
    before, since = db_state(), audit_log.last_id()

    def call():
        if compartment is Compartment.ADMINISTRATIVE and action is Action.READ:
            return services.patients.get(actor, patient_id)
        if compartment is Compartment.ADMINISTRATIVE:
            record = services.patients.get(team.secretary, patient_id, audit_open=False)
            data = PatientInput(**{**record.as_input().__dict__, "city": "Rouen"})
            return services.patients.update(actor, patient_id, data, record.version)
        if action is Action.READ:
            return services.notes.list(actor, patient_id, compartment)
        return services.notes.add(actor, patient_id, compartment, f"{marker} (la mienne)")

    if allowed:
        result = call()
        if compartment is Compartment.ADMINISTRATIVE and action is Action.READ:
            assert result.birth_name == "Lefèbvre"
        elif compartment is Compartment.ADMINISTRATIVE:
            assert result.city == "Rouen"
        elif action is Action.READ:
            assert [n.text for n in result] == [f"{marker} (rédigée par un autre)"]
        else:
            assert result.text == f"{marker} (la mienne)"
            assert result.author_id == actor.user_id
        ok = audit_log.since(since, user_id=actor.user_id, outcome=str(AuditOutcome.OK))
        assert [(r.patient_id, r.compartment) for r in ok] == [(patient_id, str(compartment))]
        assert not _refusals(audit_log, actor, since)
        return

    with pytest.raises(PermissionDenied) as info:
        call()
    assert info.value.message in (
        "Vous n'avez pas accès à cette information.",
        "Votre rôle ne permet pas de modifier l'identité du patient.",
    )
    refused = _refusals(audit_log, actor, since)
    assert len(refused) == 1
    assert refused[0].patient_id == patient_id
    assert refused[0].compartment == str(compartment)
    assert refused[0].role == str(role)
    assert db_state() == before


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_accounts_through_the_auth_service(
    services, team, audit_log, db_state, helpers, role, action
):
    actor = team.by_role(role)
    allowed = policy.allows(role, Resource.ACCOUNTS, action)
    before, since = db_state(), audit_log.last_id()

    def call():
        if action is Action.READ:
            return services.accounts.list_users(actor)
        return services.accounts.create_user(
            actor,
            UserInput(
                "ide.nouvelle",
                "Zoé",
                "Nouvelle",
                Role.PARAMEDICAL,
                Profession.MIDWIFE,
                helpers.make_rpps(77),
            ),
            helpers.password,
        )

    if allowed:
        result = call()
        if action is Action.READ:
            assert "dr.durand" in {u.username for u in result}
        else:
            assert result.username == "ide.nouvelle"
        assert not _refusals(audit_log, actor, since)
        return
    with pytest.raises(PermissionDenied) as info:
        call()
    assert info.value.message == "Seule la coordination gère les comptes."
    refused = _refusals(audit_log, actor, since)
    assert len(refused) == 1 and refused[0].object_type == "account"
    assert db_state() == before


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_settings_through_the_clinic_service(services, team, audit_log, db_state, role):
    actor = team.by_role(role)
    allowed = policy.allows(role, Resource.SETTINGS, Action.WRITE)
    current = services.clinic.settings(team.coordinator)
    before, since = db_state(), audit_log.last_id()
    data = ClinicInput(current.name, current.address, inactivity_minutes=10)
    if allowed:
        assert services.clinic.update(actor, data, current.version).inactivity_minutes == 10
        assert services.clinic.public().inactivity_minutes == 10
        return
    with pytest.raises(PermissionDenied) as info:
        services.clinic.update(actor, data, current.version)
    assert info.value.message == "Seule la coordination modifie les paramètres."
    refused = _refusals(audit_log, actor, since)
    assert len(refused) == 1 and refused[0].object_type == "clinic"
    assert db_state() == before


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_full_settings_are_read_by_the_coordinator_only(services, team, audit_log, db_state, role):
    actor = team.by_role(role)
    before, since = db_state(), audit_log.last_id()
    if policy.allows(role, Resource.SETTINGS, Action.READ):
        assert role is Role.COORDINATOR
        info = services.clinic.settings(actor)
        assert info is not None and info.name == "MSP des Tilleuls (test)"
        assert info.retention_years == 5 and info.backup_keep == 14
        assert not _refusals(audit_log, actor, since)
        return
    result = None
    with pytest.raises(PermissionDenied) as info:
        result = services.clinic.settings(actor)
    assert result is None  # nothing returned
    assert info.value.message == "Seule la coordination consulte les paramètres."
    refused = _refusals(audit_log, actor, since)
    assert [(r.action, r.object_type, r.role) for r in refused] == [("read", "clinic", str(role))]
    assert db_state() == before


def test_public_clinic_record_needs_no_actor_and_holds_no_other_setting(services, team):
    public = services.clinic.public()
    assert public == ClinicPublic(
        name="MSP des Tilleuls (test)",
        demo=False,
        inactivity_minutes=5,
        session_hours=12,
        require_totp=False,
    )
    settings_only = {f.name for f in fields(ClinicInfo)} - {f.name for f in fields(ClinicPublic)}
    assert {"backup_dir", "retention_years", "break_glass_enabled", "address"} <= settings_only
    assert not hasattr(services.clinic, "get")  # the unguarded full read is gone


# ---- "own" rules --------------------------------------------------------------------------


def test_paramedical_writes_and_edits_own_medical_note(services, team, make_patient):
    patient_id = make_patient()
    note = services.notes.add(team.paramedical, patient_id, "medical", "Pansement refait.")
    assert note.can_edit
    edited = services.notes.edit(team.paramedical, note.id, "Pansement refait, RAS.", note.version)
    assert edited.text == "Pansement refait, RAS."


def test_paramedical_cannot_edit_another_professionals_note(
    services, team, make_patient, audit_log, db_state
):
    patient_id = make_patient()
    mine = services.notes.add(team.paramedical, patient_id, "medical", "Soins du matin.")
    gps = services.notes.add(team.gp, patient_id, "medical", "Traitement adapté.")
    views = {n.id: n for n in services.notes.list(team.paramedical2, patient_id, "medical")}
    assert not views[mine.id].can_edit and not views[gps.id].can_edit
    for note in (mine, gps):
        before, since = db_state(), audit_log.last_id()
        with pytest.raises(PermissionDenied):
            services.notes.edit(team.paramedical2, note.id, "Réécrit par un autre.", note.version)
        refused = _refusals(audit_log, team.paramedical2, since)
        assert [(r.action, r.object_id, r.compartment) for r in refused] == [
            ("update", note.id, "medical")
        ]
        assert db_state() == before
    texts = {n.id: n.text for n in services.notes.list(team.gp, patient_id, "medical")}
    assert texts == {mine.id: "Soins du matin.", gps.id: "Traitement adapté."}


def test_gp_edits_a_paramedical_note(services, team, make_patient):
    patient_id = make_patient()
    note = services.notes.add(team.paramedical, patient_id, "medical", "Tension 14/8.")
    edited = services.notes.edit(team.gp, note.id, "Tension 14/8, à recontrôler.", note.version)
    assert edited.text == "Tension 14/8, à recontrôler."
    assert edited.author_id == team.paramedical.user_id


def test_author_loses_own_notes_with_the_read_right(
    services, team, make_patient, audit_log, helpers, database
):
    """A GP who becomes coordinator can no longer decrypt the medical compartment, not even
    the notes they wrote: the new role is not entitled to its key, so the key copy sealed to
    the account is deleted (issue 3: secrecy by cryptography, not only by the policy table).
    Given back the GP role, they read again once a colleague holding the key logs in."""
    from sqlalchemy import select

    from app.models import CompartmentKey, KeyGrant
    from app.services.kernel.errors import KeyUnavailable

    patient_id = make_patient()
    own = services.notes.add(team.gp, patient_id, "medical", "Ma note de médecin.")
    services.notes.add(team.gp2, patient_id, "medical", "Note d'une consœur.")

    def change_role(role: Role, profession: Profession, rpps: str = "") -> None:
        account = services.accounts.get_user(team.coordinator, team.gp.user_id)
        services.accounts.update_user(
            team.coordinator,
            account.id,
            UserInput(
                account.username, account.first_name, account.last_name, role, profession, rpps
            ),
            account.version,
        )

    def held_compartments() -> set[str]:
        with database.sessions() as session:
            return set(
                session.scalars(
                    select(CompartmentKey.compartment)
                    .join(KeyGrant, KeyGrant.compartment_key_id == CompartmentKey.id)
                    .where(KeyGrant.user_id == team.gp.user_id, KeyGrant.kind == "role")
                )
            )

    shared = {"administrative", "care"}  # what every role reads
    assert held_compartments() == {"medical", "liaison"} | shared
    change_role(Role.COORDINATOR, Profession.COORDINATOR)
    assert held_compartments() == shared
    former_gp = services.auth.login(team.gp.username, helpers.password)
    assert former_gp.role is Role.COORDINATOR
    assert not policy.allows(former_gp.role, Compartment.MEDICAL, Action.READ)
    with pytest.raises(KeyUnavailable) as info:
        services.notes.list(former_gp, patient_id, "medical")
    assert info.value.message.startswith(
        "La clé du volet médical n'est pas encore disponible pour votre compte."
    )
    # Someone with no note of their own in the compartment is refused (and audited).
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied):
        services.notes.list(team.coordinator, patient_id, "medical")
    assert _refusals(audit_log, team.coordinator, since)

    change_role(Role.GP, Profession.GENERAL_PRACTITIONER, helpers.make_rpps(1))
    services.auth.login(team.gp2.username, helpers.password)  # a holder grants the keys
    again = services.auth.login(team.gp.username, helpers.password)
    texts = {n.id: n.text for n in services.notes.list(again, patient_id, "medical")}
    assert texts[own.id] == "Ma note de médecin." and len(texts) == 2
