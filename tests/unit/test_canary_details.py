"""Canary over every form that tells about a person's situation (issue 10): a unique marker in
every free-text field, and the sensitive coded values (a violence referral, home-care acts,
aids, a social step's kind), are found in no file Relais writes (database, WAL, backups, logs,
temporary files, archived PDFs); and a copied database with the secretary's password reads no
referral reason. Every other user, holding the file and their own password, decrypts no
referral they are not a party of."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import time, timedelta
from pathlib import Path

import pytest
from canary_support import hits
from sqlalchemy import select
from stdnum import luhn
from suite_clock import TODAY, next_weekday

from app.models import Referral
from app.models.db import Database, backup_sqlite
from app.models.enums import Role
from app.models.security import RecordKeyGrant
from app.models.user import User
from app.services.home_care.records import DischargePlanInput, HomeCareInput
from app.services.home_care.rules import CareKind, Frequency, FrequencyPeriod
from app.services.kernel.actor import Actor
from app.services.partners.records import PartnerInput
from app.services.referrals.records import ReferralInput
from app.services.scheduling.records import SessionInput
from app.services.security import crypto
from app.services.security.keys import KeyService
from app.services.security.record_keys import REFERRAL, RecordKeys
from app.services.social.records import ActionKind, SocialActionInput

# Coded values that tell a situation and must not appear in clear anywhere.
CODES = ("domestic_violence", "blood_test", "telecare", "social_housing")
RPPS = "1000000001" + luhn.calc_check_digit("1000000001")


@pytest.fixture
def db_url(world: Path) -> str:  # the database under the world, like test_canary
    return f"sqlite:///{world / 'base' / 'relais.sqlite'}"


def _fill_every_form(services, team, make_patient, liaison_consent, helpers, marker: str):
    """Every service that stores something about a person's situation, with the marker."""
    patient = make_patient("Canari", "Alice", sex="F")
    liaison_consent(patient)
    sw, gp = team.social_worker, team.gp
    # A referral for domestic violence, sent, then its history and papers.
    draft = services.referrals.create(
        gp,
        ReferralInput(
            patient_id=patient,
            reason="domestic_violence",
            urgency="urgent",
            message=f"message {marker}",
            receiver_id=sw.user_id,
        ),
    )
    referral = services.referrals.send(gp, draft.id, patient_agrees=True)
    services.referrals.acknowledge(sw, referral.id)
    services.referral_documents.referral_form(gp, referral.id)
    # Another one, reoriented, and a third cancelled with a reason.
    other = services.referrals.create(
        gp, ReferralInput(patient_id=patient, reason="child_in_danger", receiver_id=sw.user_id)
    )
    services.referrals.send(gp, other.id, patient_agrees=True)
    partner = services.partners.create(team.secretary, PartnerInput("CCAS de Bihorel", "ccas"))
    services.referrals.reorient(
        sw, other.id, partner_id=partner.id, reason=f"réorientation {marker}", rule="C1"
    )
    third = services.referrals.create(
        gp, ReferralInput(patient_id=patient, reason="housing", receiver_id=sw.user_id)
    )
    services.referrals.cancel(gp, third.id, f"annulation {marker}")
    # The social worker's consultation: a session, an appointment, its slip, a cancellation.
    first = next_weekday(1, gap=2)
    services.scheduling.create_session(
        sw,
        SessionInput(
            professional_id=sw.user_id,
            label="Permanence CARSAT",
            place="MSP",
            room="2",
            weekday=first.weekday(),
            opens=time(9),
            closes=time(12),
            slot_minutes=30,
            every_weeks=1,
            first_date=first,
            last_date=None,
        ),
    )
    slots = services.scheduling.free_slots(team.secretary, sw.user_id, start=first)
    booked = services.scheduling.book(
        team.secretary,
        patient_id=patient,
        professional_id=sw.user_id,
        starts_at=slots[0].starts_at,
        referral_id=referral.id,
    )
    services.scheduling.slip_pdf(team.secretary, booked.id)
    services.scheduling.cancel(
        team.secretary, booked.id, by_patient=True, reason=f"hospitalisée {marker}"
    )
    services.scheduling.add_to_waiting_list(
        team.secretary,
        patient_id=patient,
        professional_id=sw.user_id,
        preferences=f"mardi matin {marker}",
    )
    # The assessment and a social step.
    services.consultations.add_action(
        sw,
        patient,
        SocialActionInput(ActionKind.SOCIAL_HOUSING, partner_id=partner.id, detail=marker),
    )
    # Home care after a discharge, refused then cancelled, and the printed forms.
    plan = services.discharge.create(
        sw,
        DischargePlanInput(
            patient_id=patient,
            target_date=TODAY + timedelta(days=3),
            hospital=f"hôpital {marker}",
            ward=f"service {marker}",
            admitted_on=TODAY - timedelta(days=4),
            destination_detail=f"chez sa fille {marker}",
            aids=("telecare",),
            retired=True,
            gir=5,
            child_care=f"garde {marker}",
            equipment=(f"lit {marker}",),
            comments=f"commentaire {marker}",
        ),
    )
    nurse = services.partners.create(team.secretary, PartnerInput("IDE du Robec", "home_nurse"))
    request = services.home_care.create(
        gp,
        HomeCareInput(
            patient_id=patient,
            care_kind=CareKind.NURSE,
            acts=("blood_test",),
            care_detail=f"soins {marker}",
            start_date=TODAY + timedelta(days=5),
            frequency=Frequency(2, FrequencyPeriod.DAY),
            prescriber_name=f"Dr {marker}",
            prescriber_rpps=RPPS,
            address=f"adresse {marker}",
            phone="02 35 11 22 33",
            door_code=f"code{marker}"[:30],
            floor=f"étage {marker}"[:30],
            access_notes=f"accès {marker}",
            availability={0: [("08:00", "10:00")]},
            hospital=f"hôpital {marker}",
            ward=f"service {marker}",
            discharge_plan_id=plan.id,
            partner_id=nurse.id,
        ),
    )
    services.home_care.send(gp, request.id)
    services.home_care.refuse(gp, request.id, f"refus {marker}")
    services.home_care_documents.request_form(gp, request.id)
    services.home_care_documents.discharge_summary(sw, plan.id)
    # An exceptional access, with its justification.
    clinic = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator, replace(clinic.as_input(), break_glass_enabled=True), clinic.version
    )
    services.auth.grant_pending(team.social_worker)
    gp_again = services.auth.login("dr.durand", helpers.password)
    services.exceptional.start(gp_again, patient, "social", f"urgence vitale {marker}")
    return patient, referral.id


def test_no_marker_nor_sensitive_code_in_any_file(
    world: Path, services, team, make_patient, liaison_consent, helpers
):
    marker = f"CANARI{uuid.uuid4().hex[:12]}"
    patient, referral_id = _fill_every_form(
        services, team, make_patient, liaison_consent, helpers, marker
    )
    # Everything went through: the parties read it back.
    view = services.referrals.get(team.social_worker, referral_id)
    assert marker in view.message and str(view.reason) == "domestic_violence"
    plans = services.discharge.plans_for(team.gp, patient)
    assert marker in plans[0].comments and plans[0].gir == 5
    assert marker in plans[0].requests[0].care_detail
    services.backups.create(team.coordinator, folder=world / "sauvegardes")
    assert (world / "base" / "relais.sqlite").stat().st_size > 0
    assert list((world / "sauvegardes").iterdir())
    found = {needle: hits(world, needle) for needle in (marker, *CODES)}
    assert found == {needle: [] for needle in found}


def test_a_copied_database_and_the_secretarys_password_read_no_referral_reason(
    services, team, make_patient, liaison_consent, helpers, tmp_path
):
    marker = f"CANARI{uuid.uuid4().hex[:12]}"
    _fill_every_form(services, team, make_patient, liaison_consent, helpers, marker)
    copy = tmp_path / "vol" / "relais.sqlite"
    backup_sqlite(Path(str(services.db.url.database)), copy)
    stolen = Database.open(f"sqlite:///{copy}")
    try:
        assert _readable_referrals(stolen, "sec.roux", helpers) == set()
    finally:
        stolen.dispose()


def _readable_referrals(db: Database, username: str, helpers) -> set[int]:
    """The referrals whose content the holder of the file and of ``username``'s password can
    decrypt, trying her private key on every referral key copy in the file."""
    keys = KeyService.__new__(KeyService)
    keys._kdf = helpers.kdf  # only the unlocking of the user's key is used
    opened: set[int] = set()
    with db.session(write=False) as session:
        user = session.scalar(select(User).where(User.username == username))
        password = helpers.coordinator_password if username == "coord" else helpers.password
        mine = KeyService.unlock_user_key(keys, session, user.id, password)
        actor = Actor(user.id, username, "", Role(user.role), user.profession, keys=mine)
        grants = session.execute(
            select(RecordKeyGrant.record_key_id, RecordKeyGrant.user_id, RecordKeyGrant.wrapped_key)
        ).all()
        for key_id, owner, wrapped in grants:
            aad = f"relais-record-grant:{key_id}:{owner}".encode()
            try:
                mine.record_keys[key_id] = crypto.unseal_with(mine.private_key, wrapped, aad)
            except crypto.CryptoError:
                continue
        records = RecordKeys(lambda: None)  # type: ignore[arg-type]
        for r in session.scalars(select(Referral).where(Referral.content.is_not(None))):
            try:
                text = records.open(session, actor, REFERRAL, r.id, r.content, "content")
            except Exception:
                continue
            assert "reason" in json.loads(text)
            opened.add(r.id)
    return opened


def test_every_other_user_decrypts_no_referral(
    services, team, make_patient, liaison_consent, helpers, tmp_path
):
    """Referrals between Dr Durand and the social worker: with the file and her own password,
    each other user (another GP included: she holds the liaison key) decrypts none."""
    patients = [make_patient(f"Orienté{i}") for i in range(3)]
    sent = set()
    for patient in patients:
        liaison_consent(patient)
        draft = services.referrals.create(
            team.gp,
            ReferralInput(
                patient_id=patient,
                reason="domestic_violence",
                receiver_id=team.social_worker.user_id,
            ),
        )
        sent.add(services.referrals.send(team.gp, draft.id, patient_agrees=True).id)
    copy = tmp_path / "vol" / "relais.sqlite"
    backup_sqlite(Path(str(services.db.url.database)), copy)
    stolen = Database.open(f"sqlite:///{copy}")
    try:
        for username in ("dr.lefevre", "ide.bernard", "kine.petit", "sec.roux", "coord"):
            assert _readable_referrals(stolen, username, helpers) == set(), username
        # The same code opens them for their parties.
        assert _readable_referrals(stolen, "dr.durand", helpers) == sent
        assert _readable_referrals(stolen, "as.moreau", helpers) == sent
    finally:
        stolen.dispose()
