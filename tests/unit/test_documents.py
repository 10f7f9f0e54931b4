"""Printed documents: access report, patient export, recovery sheets, archive and its access."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.clock import clinic_today
from app.models import Document
from app.models.enums import Compartment
from app.services.kernel.errors import AuthenticationError, PermissionDenied
from app.services.patient_file.export import archive_compartment
from app.services.security.codec import is_sealed

MEDICAL = "Diabète suivi CANARI-MEDICAL-7731"
SOCIAL = "Dossier APA en cours CANARI-SOCIAL-4412"
LIAISON = "Merci de voir le patient CANARI-LIAISON-9025"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture
def patient(services, team, make_patient, liaison_consent):
    patient_id = make_patient("Dupré", "Jean Marc", phone="06 12 34 56 78")
    liaison_consent(patient_id)
    services.notes.add(team.gp, patient_id, "medical", MEDICAL)
    services.notes.add(team.social_worker, patient_id, "social", SOCIAL)
    services.notes.add(team.gp, patient_id, "liaison", LIAISON)
    return patient_id


def documents_in_db(services) -> list[Document]:
    with services.db.session(write=False) as session:
        return list(session.scalars(select(Document).order_by(Document.id)))


PARIS = ZoneInfo("Europe/Paris")


# ---- access report ---------------------------------------------------------------------------
def test_access_report_lists_who_opened_which_part_and_no_content(
    services, team, patient, clock, audit_log
):
    clock.advance(hours=2)
    read_at = clock()
    services.patients.get(team.secretary, patient)
    services.notes.list(team.paramedical, patient, "medical")
    services.notes.list(team.social_worker, patient, "social")
    clock.advance(minutes=30)
    report = services.documents.access_report(team.coordinator, patient)
    year = clinic_today(clock).year  # numbers count per year of the clinic's calendar
    assert report.number == f"REL-{year}-000001"
    assert report.title == "Relevé des accès au dossier"
    content = flat(pdf_text(report.pdf))
    assert "DUPRÉ Jean Marc" in content
    assert f"REL-{year}-000001" in content and "Page 1 / 1" in content
    for expected in (
        "Nadia Roux",
        "Secrétariat / accueil",
        "Luc Bernard",
        "Infirmier(ère)",
        "Sophie Moreau",
        "Assistante sociale (CARSAT)",
        "Volet administratif",
        "Volet médical",
        "Volet social",
        read_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M"),  # the clinic's time
    ):
        assert expected in content, expected
    assert read_at.strftime("%d/%m/%Y %H:%M") not in content  # not UTC
    for secret in (MEDICAL, SOCIAL, LIAISON, "CANARI"):
        assert secret not in content
    stored = documents_in_db(services)
    assert [(d.number, d.kind, d.compartment, d.patient_id) for d in stored] == [
        (f"REL-{year}-000001", "access_report", "administrative", patient)
    ]
    assert stored[0].sha256 == hashlib.sha256(report.pdf).hexdigest()
    assert stored[0].size == len(report.pdf)
    assert stored[0].content.startswith(b"E1:") and report.pdf not in stored[0].content
    assert services.documents.open_document(team.coordinator, stored[0].id) == report.pdf
    printed = audit_log.rows(action="print")[-1]
    assert (printed.user_id, printed.patient_id, printed.object_id) == (
        team.coordinator.user_id,
        patient,
        report.id,
    )
    second = services.documents.access_report(team.coordinator, patient)
    assert second.number == f"REL-{year}-000002"
    assert "Relevé des accès au dossier" in flat(pdf_text(second.pdf))  # the first print shows


@pytest.mark.parametrize("role", ["gp", "social_worker", "secretary"])
def test_access_report_is_for_the_coordination_only(services, team, patient, audit_log, role):
    actor = getattr(team, role)
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as raised:
        services.documents.access_report(actor, patient)
    assert raised.value.message == (
        "Seule la coordination peut éditer le relevé des accès au dossier d'un patient."
    )
    assert [(r.action, r.outcome, r.patient_id) for r in audit_log.since(since)] == [
        ("print", "refused", patient)
    ]
    assert documents_in_db(services) == []


# ---- export ------------------------------------------------------------------------------------
def test_gp_export_holds_medical_and_liaison_notes_not_social(
    services, team, patient, helpers, audit_log
):
    export = services.documents.export_patient(team.gp, patient, helpers.password)
    assert export.included == [Compartment.ADMINISTRATIVE, Compartment.MEDICAL, Compartment.LIAISON]
    assert export.omitted == [Compartment.SOCIAL]
    content = flat(pdf_text(export.pdf))
    assert MEDICAL in content and LIAISON in content and SOCIAL not in content
    assert "06 12 34 56 78" in content and "Dupré" in content
    assert "Volet social Non inclus" in content
    assert "Peut être exporté par : Assistante sociale (CARSAT)." in content
    assert "archivée dans le volet médical" in content

    data = json.loads(export.json.decode("utf-8"))
    assert data["format"] == "relais-export-1"
    assert data["patient"]["birth_name"] == "Dupré"
    assert data["patient"]["contact"]["phone"] == "06 12 34 56 78"
    assert {(n["compartment"], n["text"]) for n in data["notes"]} == {
        ("medical", MEDICAL),
        ("liaison", LIAISON),
    }
    assert data["compartments"]["included"] == ["administrative", "medical", "liaison"]
    [omitted] = data["compartments"]["omitted"]
    assert omitted["compartment"] == "social"
    assert omitted["exportable_by"] == ["Assistante sociale (CARSAT)"]
    assert "CANARI-SOCIAL" not in export.json.decode("utf-8")
    assert data["generated_at"] == services.clock().isoformat()

    # Archived sealed under the medical compartment: no readable PDF in the database.
    [stored] = documents_in_db(services)
    assert (stored.compartment, stored.kind, stored.number) == (
        "medical",
        "patient_export",
        export.number,
    )
    assert is_sealed(stored.content) and export.pdf not in stored.content
    assert (
        data["archived_copy"] == export.number == f"REL-{clinic_today(services.clock).year}-000001"
    )
    row = audit_log.rows(action="export")[-1]
    assert (row.user_id, row.patient_id, row.compartment, row.object_id) == (
        team.gp.user_id,
        patient,
        "medical",
        export.document_id,
    )
    assert "CANARI" not in row.detail
    # A nurse reads the medical compartment: she may open it; the social worker may not see it.
    assert services.documents.open_document(team.paramedical, export.document_id) == export.pdf
    assert services.documents.list_documents(team.social_worker, patient) == []
    assert [d.number for d in services.documents.list_documents(team.gp2, patient)] == [
        export.number
    ]


def test_social_worker_export_is_archived_under_social(services, team, patient, helpers):
    export = services.documents.export_patient(team.social_worker, patient, helpers.password)
    assert export.included == [Compartment.ADMINISTRATIVE, Compartment.SOCIAL, Compartment.LIAISON]
    assert export.omitted == [Compartment.MEDICAL]
    content = flat(pdf_text(export.pdf))
    assert SOCIAL in content and LIAISON in content and MEDICAL not in content
    assert "Médecin généraliste, Paramédical" in content
    [stored] = documents_in_db(services)
    assert stored.compartment == "social" and is_sealed(stored.content)
    assert services.documents.list_documents(team.gp, patient) == []


def test_coordinator_export_holds_no_note(services, team, patient, helpers):
    export = services.documents.export_patient(
        team.coordinator, patient, helpers.coordinator_password
    )
    assert export.included == [Compartment.ADMINISTRATIVE]
    assert export.omitted == [Compartment.MEDICAL, Compartment.SOCIAL, Compartment.LIAISON]
    content = flat(pdf_text(export.pdf))
    assert "CANARI" not in content and "CANARI" not in export.json.decode()
    assert json.loads(export.json)["notes"] == []
    [stored] = documents_in_db(services)
    assert stored.compartment == "administrative" and stored.content.startswith(b"E1:")
    assert services.documents.open_document(team.coordinator, stored.id) == export.pdf


def test_export_needs_the_password(services, team, patient, audit_log):
    since = audit_log.last_id()
    with pytest.raises(AuthenticationError) as raised:
        services.documents.export_patient(team.gp, patient, "pas-le-bon-mot-de-passe")
    assert "mot de passe" in raised.value.message.lower()
    assert documents_in_db(services) == []
    rows = audit_log.since(since)
    assert [(r.action, r.outcome) for r in rows] == [("login_failed", "failed")]


def test_an_export_mixing_medical_and_social_is_not_archived():
    assert archive_compartment([Compartment.ADMINISTRATIVE]) is Compartment.ADMINISTRATIVE
    assert archive_compartment([Compartment.MEDICAL, Compartment.LIAISON]) is Compartment.MEDICAL
    assert archive_compartment([Compartment.SOCIAL, Compartment.LIAISON]) is Compartment.SOCIAL
    assert archive_compartment([Compartment.LIAISON]) is Compartment.LIAISON
    assert archive_compartment([Compartment.MEDICAL, Compartment.SOCIAL]) is None


def test_break_glass_export_is_not_archived(services, team, patient, helpers, audit_log):
    clinic = services.clinic.settings(team.coordinator)
    services.clinic.update(
        team.coordinator,
        replace(clinic.as_input(), break_glass_enabled=True),
        clinic.version,
    )
    services.auth.grant_pending(team.social_worker)  # prepares the break-glass key copies
    gp = services.auth.login("dr.durand", helpers.password)
    services.exceptional.start(gp, patient, "social", "Urgence : patient inconscient, famille?")
    export = services.documents.export_patient(gp, patient, helpers.password)
    assert Compartment.SOCIAL in export.included and export.omitted == []
    assert SOCIAL in flat(pdf_text(export.pdf))
    assert export.document_id is None and export.number == ""
    assert "n'est pas archivé" in flat(pdf_text(export.pdf))
    assert documents_in_db(services) == []
    assert "copie non archivée" in audit_log.rows(action="export")[-1].detail
    reads = audit_log.rows(action="read", compartment="social", user_id=gp.user_id)
    assert reads and "accès exceptionnel" in reads[-1].detail
    report = services.documents.access_report(team.coordinator, patient)
    assert "ACCÈS EXCEPTIONNEL" in flat(pdf_text(report.pdf))


# ---- archive access ----------------------------------------------------------------------------
def test_opening_a_document_outside_ones_compartments_is_refused(
    services, team, patient, helpers, audit_log
):
    export = services.documents.export_patient(team.gp, patient, helpers.password)
    for role in ("secretary", "coordinator", "social_worker"):
        actor = getattr(team, role)
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied) as raised:
            services.documents.open_document(actor, export.document_id)
        assert raised.value.message == "Vous n'avez pas accès à ce document."
        assert [
            (r.action, r.outcome, r.compartment, r.object_type, r.object_id)
            for r in audit_log.since(since)
        ] == [("read", "refused", "medical", "document", export.document_id)]
    since = audit_log.last_id()
    assert services.documents.open_document(team.gp2, export.document_id) == export.pdf
    [row] = audit_log.since(since)
    assert (row.action, row.outcome, row.detail) == ("read", "ok", export.number)


def test_recovery_sheets_are_printed_but_never_archived(services, team, audit_log):
    key = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST-UV23"
    sheet = services.documents.recovery_key_sheet(services.clinic.settings(team.coordinator), key)
    content = flat(pdf_text(sheet))
    assert "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23" in content
    assert "4567-ABCD-EFGH-IJKL-MNOP-QRST-UV23" in content
    assert "relais-admin keys recover" in content and "hors ligne" in content
    assert "MSP des Tilleuls (test)" in content
    assert f"REL-{clinic_today(services.clock).year}-NA-" in content
    codes = ["K7P2-M9QX", "T4W8-R2ZD"]
    sheet = services.documents.recovery_codes_sheet(team.gp, codes)
    content = flat(pdf_text(sheet))
    assert all(code in content for code in codes) and "Paul Durand (dr.durand)" in content
    assert documents_in_db(services) == []
    printed = audit_log.rows(action="print")
    assert [(r.object_type, r.outcome) for r in printed] == [
        ("recovery_key", "ok"),
        ("account", "ok"),
    ]
    assert all("ABCD" not in r.detail and "K7P2" not in r.detail for r in printed)


def test_printed_nir_is_grouped_as_on_the_carte_vitale(services, team, make_patient, helpers):
    """The access report and the export print the NIR as the screens show it
    (« 1 60 03 75 123 456 05 »), not as 15 digits in a row."""
    patient = make_patient("Lemoine", "Paul", birth_date="01/03/1960", nir="160037512345605")
    services.patients.get(team.secretary, patient)
    report = flat(pdf_text(services.documents.access_report(team.coordinator, patient).pdf))
    export = services.documents.export_patient(team.gp, patient, helpers.password)
    for content in (report, flat(pdf_text(export.pdf))):
        assert "1 60 03 75 123 456 05" in content
        assert "160037512345605" not in content
