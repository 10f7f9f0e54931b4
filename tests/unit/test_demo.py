"""The demo generator: realistic, valid, deterministic, readable through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app.container import Services
from app.demo import generator as demo
from app.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo
from app.models import AuditEntry, Note, Patient, PatientToken, User
from app.models.db import Database
from app.models.enums import Compartment, Role, Sex
from app.services.kernel import policy
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.policy import Action
from app.services.kernel.text import search_key
from app.services.kernel.validation import nir_coherence_error, nir_error, rpps_error
from app.services.patient_file.identity_checks import patient_tokens, sort_key, validate_patient
from app.services.patient_file.records import PatientInput
from app.services.security.codec import note_context
from app.services.security.passwords import PasswordContext, password_problem

LIGHT_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def _patients(services: Services) -> list[Patient]:
    with services.db.session(write=False) as session:
        return list(session.scalars(select(Patient).order_by(Patient.id)))


def _count(services: Services, model) -> int:
    with services.db.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _login(services: Services, username: str):
    return services.auth.login(username, DEMO_PASSWORD)


def test_demo_accounts_cover_every_role_and_are_marked():
    roles = [a.role for a in DEMO_ACCOUNTS]
    assert set(roles) == set(Role)
    assert roles.count(Role.GP) == 2
    assert len({a.profession for a in DEMO_ACCOUNTS if a.role == Role.PARAMEDICAL}) == 3
    assert all("(démo)" in a.display_name for a in DEMO_ACCOUNTS)
    assert len({a.username for a in DEMO_ACCOUNTS}) == len(DEMO_ACCOUNTS)
    # The shared demo password passes the password policy for every demo account.
    for username, first_name, last_name, *_ in demo._PEOPLE:
        context = PasswordContext(username, first_name, last_name, demo.DEMO_CLINIC.name)
        assert password_problem(DEMO_PASSWORD, context) is None


def test_demo_sets_up_a_demo_clinic_with_its_accounts(services: Services):
    progress: list[tuple[int, int]] = []
    summary = create_demo(
        services, patients=30, notes_per_patient=3, progress=lambda d, t: progress.append((d, t))
    )
    assert (summary.patients, summary.notes, summary.users) == (30, 90, len(DEMO_ACCOUNTS))
    assert summary.seconds > 0
    assert progress[0] == (0, 30) and progress[-1] == (30, 30)
    clinic = services.clinic.public()
    assert clinic is not None and clinic.demo and "démonstration" in clinic.name
    coordinator = _login(services, DEMO_ACCOUNTS[0].username)
    assert coordinator.role == Role.COORDINATOR
    users = {u.username: u for u in services.accounts.list_users(coordinator)}
    assert set(users) == {a.username for a in DEMO_ACCOUNTS}
    for account in DEMO_ACCOUNTS:
        user = users[account.username]
        assert (user.role, user.profession) == (account.role, account.profession)
        assert user.active and not user.must_change_password
        if account.role in (Role.GP, Role.PARAMEDICAL):
            assert user.rpps and rpps_error(user.rpps) is None
    assert _count(services, Patient) == 30
    assert _count(services, Note) == 90


def test_identities_are_valid_coherent_and_french(services: Services, clock):
    create_demo(services, patients=400, notes_per_patient=0)
    patients = _patients(services)
    assert len(patients) == 400
    today = clock().date()
    with_nir = [p for p in patients if p.nir]
    assert len(with_nir) >= 360
    assert len({p.nir for p in with_nir}) == len(with_nir)
    for p in patients:
        if p.nir:
            assert nir_error(p.nir) is None, p.nir
            assert nir_coherence_error(p.nir, p.sex, p.birth_date) is None, p.nir
            assert p.nir[5:10] == p.birth_place_code
        assert 1930 <= p.birth_date.year <= 2024
        # The whole identity passes the identity form's validation unchanged.
        data = PatientInput(
            birth_name=p.birth_name,
            first_names=p.first_names,
            sex=p.sex,
            birth_date=p.birth_date,
            used_name=p.used_name,
            birth_place_code=p.birth_place_code,
            identity_status=p.identity_status,
            identity_document=p.identity_document,
            nir=p.nir or "",
            phone=p.phone,
            email=p.email,
            address=p.address,
            postal_code=p.postal_code,
            city=p.city,
        )
        clean = validate_patient(data, today)
        assert (clean.birth_name, clean.first_names, clean.address) == (
            p.birth_name,
            p.first_names,
            p.address,
        )
    names = " ".join(f"{p.birth_name} {p.used_name} {p.first_names}" for p in patients)
    assert any(not c.isascii() for c in names)
    assert "-" in names
    assert any(p.sex == Sex.FEMALE and p.used_name for p in patients)
    assert {p.sex for p in patients} == {"F", "M"}
    assert {p.identity_status for p in patients} == {"provisional", "validated"}
    assert any(p.birth_place_code.startswith(("2A", "2B")) for p in patients)
    assert any(p.birth_place_code.startswith("99") for p in patients)
    assert all(p.postal_code[:2] in {"14", "27", "50", "61", "76"} for p in patients)
    gps = {u.id for u in _users(services, Role.GP)}
    assert {p.attending_gp_id for p in patients} - {None} == gps
    social = {u.id for u in _users(services, Role.SOCIAL_WORKER)}
    assert any(p.social_referent_id in social for p in patients)


def _users(services: Services, role: Role) -> list[User]:
    with services.db.session(write=False) as session:
        return list(session.scalars(select(User).where(User.role == str(role))))


def test_notes_exist_in_every_compartment_and_read_back(services: Services):
    create_demo(services, patients=60, notes_per_patient=8)
    with services.db.session(write=False) as session:
        rows = session.execute(
            select(Note.compartment, User.role).join(User, User.id == Note.author_id)
        )
        pairs = {(c, r) for c, r in rows}
    assert {c for c, _ in pairs} == {"medical", "social", "liaison"}
    for compartment, role in pairs:
        assert policy.allows(role, Compartment(compartment), Action.WRITE, is_own=True)

    gp = _login(services, "dr.durand")
    social_worker = _login(services, "as.moreau")
    followed = [p for p in _patients(services) if p.social_referent_id is not None]
    assert followed
    seen: set[Compartment] = set()
    for patient in followed:
        for actor, compartments in (
            (gp, (Compartment.MEDICAL, Compartment.LIAISON)),
            (social_worker, (Compartment.SOCIAL, Compartment.LIAISON)),
        ):
            for compartment in compartments:
                shared = services.consents.current(actor, patient.id).is_active("liaison")
                if compartment is Compartment.LIAISON and not shared:
                    continue  # hidden without the patient's consent (test_liaison_consent)
                notes = services.notes.list(actor, patient.id, compartment)
                for note in notes:
                    assert len(note.text) > 20 and note.text[0].isupper()
                    seen.add(compartment)
    assert seen == {Compartment.MEDICAL, Compartment.SOCIAL, Compartment.LIAISON}
    # Stored sealed, bound to the patient, and opened with the author role's key.
    with services.db.session(write=False) as session:
        row = session.execute(
            select(Note.patient_id, Note.content).where(Note.compartment == "medical").limit(1)
        ).one()
    assert row.content.startswith(b"E1:")
    text = services.codec.open(
        gp, Compartment.MEDICAL, row.content, context=note_context(row.patient_id)
    )
    assert len(text) > 20


def test_tokens_and_sort_key_make_patients_findable(services: Services):
    create_demo(services, patients=80, notes_per_patient=0)
    secretary = _login(services, "sec.roux")
    with services.db.session(write=False) as session:
        tokens: dict[int, set[str]] = {}
        for patient_id, token in session.execute(
            select(PatientToken.patient_id, PatientToken.token)
        ):
            tokens.setdefault(patient_id, set()).add(token)
    for p in _patients(services):
        assert tokens[p.id] == patient_tokens(p.birth_name, p.used_name, p.first_names)
        assert p.sort_key == sort_key(p.birth_name, p.used_name, p.first_names)
    accented = next(p for p in _patients(services) if not p.birth_name.isascii())
    query = f"{search_key(accented.birth_name)[:5]} {search_key(accented.first_names)[:3]}"
    found = services.patients.search(secretary, query)
    assert accented.id in {s.id for s in found.patients}
    with_nir = next(p for p in _patients(services) if p.nir)
    assert with_nir.id in {s.id for s in services.patients.search(secretary, with_nir.nir).patients}
    by_date = services.patients.search(secretary, f"{with_nir.birth_date:%d/%m/%Y}")
    assert with_nir.id in {s.id for s in by_date.patients}


def test_audit_has_creations_and_reads_but_no_content(services: Services):
    create_demo(services, patients=40, notes_per_patient=5)
    with services.db.session(write=False) as session:
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.patient_id.is_not(None)))
        )
    creations = [e for e in entries if e.action == "create" and e.object_type == "patient"]
    assert len(creations) == 40
    assert all(e.role == Role.SECRETARY for e in creations)
    assert sum(1 for e in entries if e.action == "create" and e.object_type == "note") == 200
    assert any(e.action == "read" for e in entries)
    assert all(e.detail == "" for e in entries if e.object_type in ("patient", "note"))
    # Referral and consent steps log which items were shared or which state was reached —
    # never a message, a feedback or a note text.
    from app.demo.referrals import FEEDBACKS, MESSAGES

    texts = [*MESSAGES.values(), *FEEDBACKS]
    assert not any(text[:30] in e.detail for e in entries for text in texts)
    gp = _login(services, "dr.durand")
    history = services.patients.history(gp, _patients(services)[0].id)
    assert any(h.compartment == "administrative" for h in history)


def _other_services(path: Path, clock) -> Services:
    return Services.build(Database.open(f"sqlite:///{path}"), clock=clock, hasher=LIGHT_HASHER)


def _identities(services: Services) -> list[tuple]:
    return [
        (p.birth_name, p.used_name, p.first_names, p.sex, p.birth_date, p.nir, p.address)
        for p in _patients(services)
    ]


def test_same_seed_gives_same_data(services: Services, tmp_path: Path, clock):
    create_demo(services, patients=25, notes_per_patient=2, seed=7)
    twin = _other_services(tmp_path / "twin.sqlite", clock)
    other = _other_services(tmp_path / "other.sqlite", clock)
    try:
        create_demo(twin, patients=25, notes_per_patient=2, seed=7)
        create_demo(other, patients=25, notes_per_patient=2, seed=8)
        assert _identities(twin) == _identities(services)
        assert _identities(other) != _identities(services)
    finally:
        twin.db.dispose()
        other.db.dispose()


def test_running_again_on_a_demo_database_adds_patients(services: Services):
    create_demo(services, patients=20, notes_per_patient=1)
    summary = create_demo(services, patients=15, notes_per_patient=1)
    assert summary.patients == 15
    patients = _patients(services)
    assert len(patients) == 35
    nirs = [p.nir for p in patients if p.nir]
    assert len(set(nirs)) == len(nirs)
    assert _count(services, User) == len(DEMO_ACCOUNTS)


def test_refuses_a_real_clinic(services: Services, team):
    with pytest.raises(RelaisError) as error:
        create_demo(services, patients=5)
    assert "réelle" in error.value.message
    assert _count(services, Patient) == 0


def test_refuses_silly_counts(services: Services):
    with pytest.raises(ValidationError):
        create_demo(services, patients=-1)
    with pytest.raises(ValidationError):
        create_demo(services, patients=1, notes_per_patient=10_000)
    assert not services.accounts.has_accounts()


def test_the_index_walk_gives_the_pages_of_every_match_sorted(services: Services):
    """Searches walk the name-prefix index in sort order and stop at the page: each page must
    be the page of every match collected and sorted (one word, several, dense or rare)."""
    from app.services.kernel.text import search_tokens

    create_demo(services, patients=150, notes_per_patient=0)
    secretary = _login(services, "sec.roux")
    queries = ["l", "m", "le", "d", "b", "ma", "jean", "le g", "z", "m a", "ma je"]
    patients = sorted(_patients(services), key=lambda p: (p.sort_key, p.id))
    words = {p.id: patient_tokens(p.birth_name, p.used_name, p.first_names) for p in patients}

    def expected(query: str) -> list[int]:
        typed = search_tokens(query)
        return [
            p.id
            for p in patients
            if p.archived_at is None
            and all(any(w.startswith(t) for w in words[p.id]) for t in typed)
        ]

    full_pages = 0
    for query in queries:
        every = expected(query)
        for offset in (0, 5, 10):
            page = services.patients.search(secretary, query, limit=10, offset=offset)
            assert [p.id for p in page.patients] == every[offset : offset + 10], query
            assert page.has_more == (len(every) > offset + 10)
            full_pages += len(page.patients) == 10
    assert full_pages


def test_demo_partners_referents_and_consents(services: Services):
    from app.models import Consent

    create_demo(services, patients=300, notes_per_patient=4)
    coordinator = _login(services, "coord.martin")
    carsat = services.partners.list(coordinator, kind="carsat", commune="Bihorel")
    named = [c for p in carsat for c in p.contacts if c.social_worker]
    assert any(c.name == "Mme Hélène Vasseur" for c in named)
    referents = [p for p in _patients(services) if p.social_referent_contact_id is not None]
    assert referents and all(p.social_referent_id is None for p in referents)
    record = services.patients.get(coordinator, referents[0].id, audit_open=False)
    assert "(" in record.social_referent_name  # "name (partner)"
    with services.db.session(write=False) as session:
        rows = session.execute(select(Consent.scope, Consent.status, Consent.method)).all()
    assert {s for s, _, _ in rows} == {"liaison", "referral_carsat"}
    assert {st for _, st, _ in rows} == {"given", "refused", "withdrawn"}
    assert {m for _, _, m in rows} == {"oral", "signed_form"}
    # Running again reuses the demo partners.
    before = len(services.partners.list(coordinator, include_inactive=True))
    create_demo(services, patients=1, notes_per_patient=0)
    assert len(services.partners.list(coordinator, include_inactive=True)) == before


def test_demo_referrals_show_the_workflow_in_every_state(services: Services):
    from app.models import Referral, ReferralEvent

    summary = create_demo(services, patients=200, notes_per_patient=2)
    with services.db.session(write=False) as session:
        states = set(session.scalars(select(Referral.status)))
        events = session.scalar(select(func.count()).select_from(ReferralEvent))
        sealed = session.scalars(select(Referral.content).where(Referral.content.is_not(None)))
        # Each under the referral's own key (its sender and receiver only).
        assert all(blob.startswith(b"R1:") for blob in sealed)
    assert summary.referrals >= 9
    assert {"sent", "received", "appointment_booked", "seen", "closed"} <= states
    assert {"reoriented", "refused_by_patient"} <= states
    assert events and events >= summary.referrals
    social_worker = _login(services, "as.moreau")
    kinds = {item.kind for item in services.inbox.items(social_worker)}
    assert "referral_new" in kinds
