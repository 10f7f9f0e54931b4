"""A database from before migration 0005, sealed in place by ``relais-admin keys
encrypt-existing`` (issue 10): the details written in clear are sealed, each referral moves
under a key of its own, the clear columns are emptied, and the file keeps no old value."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from stdnum import luhn
from suite_clock import TODAY

from app import admin
from app.models import Appointment, Document, HomeCareRequest, Referral, WaitingListEntry
from app.models.security import RecordKey
from app.services.home_care.records import HomeCareInput
from app.services.home_care.rules import CareKind, Frequency, FrequencyPeriod
from app.services.partners.records import PartnerInput
from app.services.referrals.records import ReferralInput
from app.services.security.details_migration import legacy_counts
from app.services.security.encryption_migration import EncryptionMigration
from app.services.security.sealed_fields import HOME_CARE_REQUEST

RPPS = "1000000001" + luhn.calc_check_digit("1000000001")
MESSAGE = "Ancien message : violences du conjoint depuis des mois."
CODE = "CODEPORTE-ANCIEN-77"


@pytest.fixture
def legacy(services, team, make_patient, liaison_consent):
    """Rows as the code before 0005 wrote them: details in clear, a referral sealed under the
    liaison key with its reason in clear, an administrative paper stored as it was."""
    patient = make_patient("Ancien", "Dossier", sex="F")
    liaison_consent(patient)
    draft = services.referrals.create(
        team.gp,
        ReferralInput(
            patient_id=patient,
            reason="domestic_violence",
            message=MESSAGE,
            receiver_id=team.social_worker.user_id,
        ),
    )
    referral = services.referrals.send(team.gp, draft.id, patient_agrees=True)
    nurse = services.partners.create(team.secretary, PartnerInput("IDE du Robec", "home_nurse"))
    request = services.home_care.create(
        team.gp,
        HomeCareInput(
            patient_id=patient,
            care_kind=CareKind.NURSE,
            acts=("blood_test",),
            start_date=TODAY + timedelta(days=5),
            frequency=Frequency(1, FrequencyPeriod.DAY),
            prescriber_name="Dr Paul Durand",
            prescriber_rpps=RPPS,
            address="8 rue du Gros-Horloge, 76000 Rouen",
            door_code=CODE,
            partner_id=nurse.id,
        ),
    )
    form = services.referral_documents.consent_form(team.secretary, patient, "liaison")
    with services.db.session() as session:
        # Home care: the details back in the clear columns, nothing sealed.
        row = session.get(HomeCareRequest, request.id)
        details = HOME_CARE_REQUEST.read(services.codec, team.gp, row)
        for name, value in details.items():
            setattr(row, name, value)
        row.sealed_details = None
        # The referral: its content under the liaison key, its reason in clear, no own key.
        r = session.get(Referral, referral.id)
        content = {"message": MESSAGE, "items": {}, "notes": [], "rule": ""}
        r.content = services.codec.seal(
            team.gp, "liaison", json.dumps(content), context=f"referral:{r.id}"
        )
        r.reason = "domestic_violence"
        session.execute(delete(RecordKey).where(RecordKey.record_id == r.id))
        # The consent form: archived as it was, with its title in clear.
        doc = session.get(Document, form.id)
        doc.content = form.pdf
        doc.title = "Formulaire de consentement"
        doc.sealed_title = None
    assert set(legacy_counts(services.db)) == {"home_care_request", "referral", "document"}
    return patient, referral.id, request.id, form


def test_encrypt_existing_seals_the_details_and_gives_each_referral_its_key(
    services, team, helpers, legacy
):
    patient, referral_id, request_id, form = legacy
    report = EncryptionMigration(services.db, services.audit, services.keys, services.codec).run(
        team.recovery_key
    )
    assert report.details.rows_sealed == {"home_care_request": 1}
    assert report.details.referrals == 1 and report.details.documents >= 1
    assert legacy_counts(services.db) == {}
    with services.db.session(write=False) as session:
        row = session.get(HomeCareRequest, request_id)
        assert row.door_code == "" and row.acts == "" and row.sealed_details is not None
        r = session.get(Referral, referral_id)
        assert r.reason == "" and r.content.startswith(b"R1:")
        doc = session.get(Document, form.id)
        assert doc.title == "" and doc.content.startswith(b"E1:")
    # Read back through the services: the parties and every role as before.
    sw = services.auth.login("as.moreau", helpers.password)
    gp = services.auth.login("dr.durand", helpers.password)
    for actor in (sw, gp):
        view = services.referrals.get(actor, referral_id)
        assert view.message == MESSAGE and str(view.reason) == "domestic_violence"
    other = services.auth.login("dr.lefevre", helpers.password)
    assert services.referrals.get(other, referral_id).message == ""
    assert services.home_care.get(team.secretary, request_id).door_code == CODE
    assert services.documents.open_document(team.secretary, form.id) == form.pdf
    titles = [d.title for d in services.documents.list_documents(team.secretary, patient)]
    assert "Formulaire de consentement" in titles
    # Nothing is left in the file (checkpointed and compacted).
    raw = Path(str(services.db.url.database)).read_bytes()
    assert CODE.encode() not in raw and b"domestic_violence" not in raw
    assert MESSAGE.encode() not in raw


def test_encrypt_existing_needs_the_recovery_key_for_existing_keys(services, team, legacy):
    from app.services.security.encryption_migration import MigrationError

    with pytest.raises(MigrationError, match="clé de secours"):
        EncryptionMigration(services.db, services.audit, services.keys, services.codec).run()
    assert set(legacy_counts(services.db)) == {"home_care_request", "referral", "document"}


def test_keys_status_counts_what_is_left_and_the_command_seals_it(
    services, team, legacy, capsys, monkeypatch, tmp_path
):
    url = str(services.db.url)
    assert admin.main(["keys", "status", "--database", url]) == 0
    out, _ = capsys.readouterr()
    assert "Détails encore en clair" in out and "orientations" in out
    monkeypatch.setattr("sys.stdin", _Stdin(team.recovery_key))
    code = admin.main(
        [
            "keys",
            "encrypt-existing",
            "--database",
            url,
            "--recovery-key-stdin",
            "--folder",
            str(tmp_path / "sauvegardes"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1 orientation(s) sous leur propre clé" in out
    assert admin.main(["keys", "status", "--database", url]) == 0
    out, _ = capsys.readouterr()
    assert "Détails encore en clair" not in out


class _Stdin:
    def __init__(self, text: str) -> None:
        self._text = text + "\n"

    def read(self) -> str:
        return self._text

    def readline(self) -> str:
        return self._text

    def isatty(self) -> bool:
        return False


def test_rows_written_after_the_migration_are_left_alone(services, team, legacy):
    EncryptionMigration(services.db, services.audit, services.keys, services.codec).run(
        team.recovery_key
    )
    with services.db.session() as session:
        session.execute(update(WaitingListEntry).values(preferences=""))
        assert session.scalar(select(Appointment.id).where(Appointment.reason != "")) is None
    assert legacy_counts(services.db) == {}
