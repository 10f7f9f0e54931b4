"""Statistics and secrecy: who may see them (refusals audited), no name, NIR, birth date or
sealed content in any output (CSV, the PDF's text), and no key needed: the figures come
from readable columns only."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import pytest
import statistics_data as data
from pypdf import PdfReader
from suite_clock import days

from app.models.enums import AuditOutcome
from app.services.home_care.records import HomeCareInput
from app.services.home_care.rules import Frequency, FrequencyPeriod
from app.services.kernel.errors import PermissionDenied
from app.services.partners.records import PartnerInput
from app.services.patient_file.records import ConsentScope, ConsentStatus
from app.services.referrals.records import ReferralInput, ReferralReason, SharedItem
from app.services.security.codec import ContentCodec
from app.services.security.record_keys import RecordKeys
from app.services.statistics.csv_export import ENCODING

NAME, FIRST = "Oiseau-Lyre", "Zéphyrine"
BIRTH = "14/07/1961"
MESSAGE = "CANARI-MESSAGE-7741 : expulsion annoncée"
FEEDBACK = "CANARI-RETOUR-5512 : dossier FSL déposé"
DOOR = "CANARI-PORTE-0915"


@pytest.fixture
def known(services, team, make_patient):
    return data.build(services, team, make_patient)


def _sections(dashboard):
    return dashboard.sections


@pytest.mark.parametrize("role", ["paramedical", "secretary"])
def test_roles_without_statistics_are_refused_and_audited(services, team, audit_log, role,
                                                          tmp_path):  # fmt: skip
    actor = getattr(team, role)
    stats = services.statistics
    assert not stats.can_read(actor)
    board = stats.dashboard(team.coordinator, data.PERIOD)  # someone else's, handed over
    before = audit_log.last_id()
    for call in (
        lambda: stats.dashboard(actor, data.PERIOD),
        lambda: stats.professionals(actor),
        lambda: stats.annual(actor, data.YEAR),
        lambda: stats.report_pdf(actor, board),
        lambda: stats.export_csv(actor, board, tmp_path / "csv"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not (tmp_path / "csv").exists()
    refused = audit_log.since(before, outcome=str(AuditOutcome.REFUSED))
    assert len(refused) == 5
    assert {r.object_type for r in refused} == {"statistics"}
    assert {r.user_id for r in refused} == {actor.user_id}


def test_readers_see_the_same_clinic_figures(services, team, known):
    coordinator = services.statistics.dashboard(team.coordinator, data.PERIOD)
    for actor in (team.gp, team.social_worker):
        assert services.statistics.can_read(actor)
        assert _sections(services.statistics.dashboard(actor, data.PERIOD)) == _sections(
            coordinator
        )


def test_only_the_coordinator_looks_at_another_professional(services, team, known, audit_log,
                                                            tmp_path):  # fmt: skip
    other = replace(data.PERIOD, professional_id=team.gp2.user_id)
    before = audit_log.last_id()
    with pytest.raises(PermissionDenied):
        services.statistics.dashboard(team.gp, other)
    # Nor export the coordinator's view of another professional.
    theirs = services.statistics.dashboard(team.coordinator, other)
    with pytest.raises(PermissionDenied):
        services.statistics.report_pdf(team.social_worker, theirs)
    with pytest.raises(PermissionDenied):
        services.statistics.export_csv(team.gp, theirs, tmp_path / "csv")
    refused = audit_log.since(before, outcome=str(AuditOutcome.REFUSED), object_type="statistics")
    assert len(refused) == 3
    assert [p.id for p in services.statistics.professionals(team.gp)] == [team.gp.user_id]
    assert team.gp2.user_id in {p.id for p in services.statistics.professionals(team.coordinator)}
    services.statistics.dashboard(team.coordinator, other)


def test_a_reading_is_audited_without_figures(services, team, known, audit_log):
    before = audit_log.last_id()
    services.statistics.dashboard(team.coordinator, data.PERIOD)
    rows = audit_log.since(before, object_type="statistics")
    assert len(rows) == 1 and rows[0].outcome == str(AuditOutcome.OK)
    assert rows[0].patient_id is None
    assert rows[0].detail == "tableau de bord 2025-01-01 → 2025-12-31"


def test_no_key_is_needed_nor_opened(services, team, known, monkeypatch):
    """A coordinator session holding no key at all gets the same answers; and nothing is
    opened on the way (opening any sealed content fails here)."""
    expected = services.statistics.dashboard(team.coordinator, data.PERIOD)
    keyless = replace(team.coordinator, keys=None)

    def refuse(*_args, **_kwargs):
        raise AssertionError("the statistics opened sealed content")

    for cls, name in ((RecordKeys, "open"), (RecordKeys, "dek"), (ContentCodec, "open"),
                      (ContentCodec, "open_json"), (ContentCodec, "open_bytes")):  # fmt: skip
        if hasattr(cls, name):
            monkeypatch.setattr(cls, name, refuse)
    board = services.statistics.dashboard(keyless, data.PERIOD)
    assert _sections(board) == _sections(expected)
    assert services.statistics.report_pdf(keyless, board).startswith(b"%PDF")


@pytest.fixture
def secret_patient(services, team, make_patient, helpers) -> int:
    """A patient with a sealed referral (message, feedback) and a home-care request (door
    code): names, NIR, birth date and sealed texts that no output may carry."""
    nir = helpers.make_nir("F", 1961, 7, "76", 424242)
    patient = make_patient(NAME, FIRST, sex="F", birth_date=BIRTH, nir=nir)
    services.consents.record(team.gp, patient, ConsentScope.LIAISON, ConsentStatus.GIVEN)
    refs = services.referrals
    view = refs.create(
        team.gp,
        ReferralInput(patient, ReferralReason.HOUSING, message=MESSAGE,
                      receiver_id=team.social_worker.user_id,
                      items=frozenset({SharedItem.CONTACT})),
    )  # fmt: skip
    refs.send(team.gp, view.id, patient_agrees=True)
    refs.acknowledge(team.social_worker, view.id)
    refs.send_feedback(team.social_worker, view.id, FEEDBACK)
    partner = services.partners.create(team.coordinator, PartnerInput("Soins test", "home_nurse"))
    services.home_care.create(
        team.gp,
        HomeCareInput(patient_id=patient, care_kind="nurse", acts=("dressing",),
                      start_date=days(3), frequency=Frequency(1, FrequencyPeriod.DAY),
                      prescriber_name="Dr Paul Durand", prescriber_rpps=helpers.make_rpps(1),
                      door_code=DOOR, partner_id=partner.id),
    )  # fmt: skip
    return nir


def test_no_output_names_a_patient_or_carries_sealed_content(
    services, team, known, secret_patient, tmp_path
):
    stats = services.statistics
    board = stats.dashboard(team.coordinator, stats.default_filter(team.coordinator))
    paths = stats.export_csv(team.coordinator, board, tmp_path / "csv")
    assert len(paths) == len(list(board.tables())) >= 15
    texts = {p.name: p.read_text(ENCODING) for p in paths}
    pdf = stats.report_pdf(team.coordinator, board)
    texts["rapport.pdf"] = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Orientations" in texts["rapport.pdf"]
    forbidden = [NAME, FIRST, BIRTH, "1961-07-14", str(secret_patient), MESSAGE[:20],
                 FEEDBACK[:20], DOOR, "Statistique0", "Camille"]  # fmt: skip
    for name, text in texts.items():
        for word in forbidden:
            assert word not in text, f"{word!r} in {name}"
    # The CSV files: « ; », UTF-8 with its byte-order mark, French headers.
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(line for line in texts[paths[0].name].splitlines() if line.startswith("Mois"))
    assert header == "Mois;En cours;Prise en charge;Réorientée;Refus du patient;Annulée;Total"
