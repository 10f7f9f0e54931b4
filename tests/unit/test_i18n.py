"""Languages: French by default, English from the system or the user's choice; the services'
gettext catalogue (no Qt), the Qt catalogues complete and up to date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app import i18n
from app.i18n import catalogue, preferences, update
from app.models.enums import Role
from app.services.kernel.errors import AuthenticationError, ValidationError
from app.services.kernel.records import ROLE_LABELS
from app.services.scheduling.records import fr_date, session_summary


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("fr")


@pytest.mark.parametrize(
    ("preference", "system", "expected"),
    [
        (None, "fr_FR", "fr"),
        (None, "en_GB", "en"),
        (None, "en_US.UTF-8", "en"),
        (None, "de_DE", "fr"),  # a language Relais does not have: French
        (None, None, "fr"),
        ("fr", "en_GB", "fr"),  # the user's choice wins
        ("en", "fr_FR", "en"),
        ("xx", "fr_FR", "fr"),
    ],
)
def test_choose_language(preference, system, expected):
    assert i18n.choose_language(preference, system) == expected


def test_services_speak_french_by_default(services, team):
    assert i18n.language() == "fr"
    with pytest.raises(AuthenticationError) as caught:
        services.auth.login("personne", "mauvais mot de passe")
    assert caught.value.message == "Identifiant ou mot de passe incorrect."
    assert ROLE_LABELS[Role.GP] == "Médecin généraliste"
    assert fr_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"


def test_services_speak_english_once_set(services, team, english):
    with pytest.raises(AuthenticationError) as caught:
        services.auth.login("personne", "mauvais mot de passe")
    assert caught.value.message == "Wrong username or password."
    assert ROLE_LABELS[Role.GP] == "General practitioner"
    assert dict(ROLE_LABELS.items())[Role.GP] == "General practitioner"
    assert fr_date(date(2026, 12, 1)) == "Tuesday 1 December 2026"
    from datetime import time

    summary = session_summary(1, 2, time(9), time(12, 30), "2", 30)
    assert summary == "Every other Tuesday, 9:00 – 12:30, room 2, 30-minute slots"


def test_use_language_is_temporary():
    with i18n.use_language("en") as code:
        assert code == "en" and i18n._("Brouillon") == "Draft"
    assert i18n.language() == "fr" and i18n._("Brouillon") == "Brouillon"


def test_french_plural_rule():
    assert i18n.ngettext("%d note", "%d notes", 0) == "%d note"
    assert i18n.ngettext("%d note", "%d notes", 1) == "%d note"
    assert i18n.ngettext("%d note", "%d notes", 2) == "%d notes"


def test_preference_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert preferences.preferred_language() is None
    preferences.save_preferred_language("en")
    assert preferences.preferred_language() == "en"
    assert preferences.preferences_file().is_relative_to(tmp_path)
    preferences.save_preferred_language(None)  # follow the system again
    assert preferences.preferred_language() is None


def test_service_catalogue_is_complete_and_compiled(tmp_path: Path):
    """Every marked service message is in the .po, translated, and the .mo is its compilation
    (run ``python -m app.i18n.update`` after changing a message)."""
    found = catalogue.extract(update.service_sources(), update.ROOT)
    entries = catalogue.read_po(update.PO)
    missing = sorted(set(found) - set(entries))
    assert not missing, missing[:10]
    untranslated = [k for k, e in entries.items() if not e.translated]
    assert not untranslated, untranslated[:10]
    compiled = tmp_path / "relais.mo"
    catalogue.write_mo(compiled, catalogue.merge(found, entries), "en")
    assert compiled.read_bytes() == update.MO.read_bytes()


def test_qt_catalogues_are_complete():
    assert update.ts_counts(update.TS)[1] == 0
    assert update.ts_counts(update.TS_FR)[1] == 0
    for compiled in (update.QM, update.QM_FR):
        assert compiled.stat().st_size > 1000


def test_po_round_trip(tmp_path: Path):
    entries = {
        "Une « note »\n": catalogue.Entry("Une « note »\n", None, ['A "note"\n']),
        "%d note": catalogue.Entry("%d note", "%d notes", ["%d note", "%d notes"]),
    }
    path = tmp_path / "x.po"
    catalogue.write_po(path, entries, "en")
    again = catalogue.read_po(path)
    assert {k: (e.plural, e.translations) for k, e in again.items()} == {
        k: (e.plural, e.translations) for k, e in entries.items()
    }


def _pdf_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_pdfs_follow_the_clinic_language(services, team):
    codes = ["aaaa-bbbb", "cccc-dddd"]
    french = _pdf_text(services.documents.recovery_codes_sheet(team.gp, codes))
    assert "Vos codes" in french and "Page 1 / 1" in french
    clinic = services.clinic.settings(team.coordinator)
    assert clinic is not None and clinic.language == "fr"
    from dataclasses import replace

    updated = services.clinic.update(
        team.coordinator, replace(clinic.as_input(), language="en"), clinic.version
    )
    assert updated.language == "en"
    english = _pdf_text(services.documents.recovery_codes_sheet(team.gp, codes))
    assert "Your codes" in english and "Vos codes" not in english
    assert i18n.language() == "fr"  # the interface's language is untouched
    with pytest.raises(ValidationError) as caught:
        services.clinic.update(
            team.coordinator, replace(updated.as_input(), language="de"), updated.version
        )
    assert "language" in caught.value.fields


def test_assessment_form_labels_follow_the_language(english):
    from app.services.social.assessment_form import SECTION_BY_KEY, display_value
    from app.services.social.records import FieldChange, SectionChange

    housing = SECTION_BY_KEY["housing"]
    status = housing.field("status")
    assert (housing.label, status.label) == ("Housing", "Occupancy status")
    assert display_value(status, "homeless") == "Homeless"
    assert dict(status.choices)["owner"] == "Owner-occupier"
    change = SectionChange("housing", housing.label, (FieldChange(status.label, "", "Homeless"),))
    assert change.lines() == ["Occupancy status: not given → “Homeless”"]
    i18n.set_language("fr")
    assert (housing.label, display_value(status, "homeless")) == ("Logement", "Sans domicile")
    french = SectionChange("housing", housing.label, (FieldChange(status.label, "", "Seul"),))
    assert french.lines() == ["Statut d'occupation : non renseigné → « Seul »"]


def test_home_care_acts_and_availability_follow_the_language(english):
    from app.services.home_care import rules

    assert rules.act_label("nurse", "dressing") == "Dressings"
    assert dict(rules.CARE_ACTS[rules.CareKind.NURSE].items())["blood_test"] == "Blood tests"
    assert rules.frequency_label("2/day") == "2 times per day"
    _clean, errors = rules.validate_availability({0: [("10:00", "8:00")]})
    assert errors == {"availability_0": "Monday: the time slot 10h00–08h00 ends before it starts."}
    i18n.set_language("fr")
    assert rules.act_label("nurse", "dressing") == "Pansements"
    assert rules.frequency_label("2/day") == "2 fois par jour"
    _clean, errors = rules.validate_availability({0: [("10:00", "8:00")]})
    assert errors["availability_0"] == "Lundi : le créneau 10h00–08h00 finit avant de commencer."


def test_orientation_guide_reasons_follow_the_language(english):
    from app.services.referrals.orientation_guide import RULES, Activity, Situation, propose

    situation = Situation(age=45, activity=Activity.EMPLOYED, needs=frozenset(), invalidity=True)
    (proposal,) = propose(situation)
    assert proposal.reason.startswith("Sick leave of more than 90 days")
    i18n.set_language("fr")
    assert next(r for r in RULES if r.code == "C1").description.startswith(
        "Arrêt de travail de plus de 90 jours"
    )


def test_password_wording_follows_the_language(english):
    from app.services.security import passwords

    assert passwords.password_problem("court") == (
        "The password must be at least 12 characters long."
    )
    assert passwords.password_problem("motdepasse123").startswith("This password is one of")
    assert passwords.assess("").hint.startswith("A phrase of several words")
    i18n.set_language("fr")
    assert passwords.password_problem("court") == passwords.TOO_SHORT
    assert passwords.password_problem("motdepasse123") == passwords.COMMON


def test_statistics_labels_follow_the_language(english):
    from app.services.statistics import labels as L

    assert list(L.OUTCOME_LABELS)[:2] == ["In progress", "Taken on"]
    assert L.OUTCOME_LABELS[3] == "Refused by the patient"
    assert L.ARDH_COLUMNS[0] == "ARDH: eligible"
    i18n.set_language("fr")
    assert tuple(L.OUTCOME_LABELS) == (
        "En cours",
        "Prise en charge",
        "Réorientée",
        "Refus du patient",
        "Annulée",
    )


def test_ardh_reasons_follow_the_language(english):
    from app.services.home_care.rules import Destination, ardh_check

    def check():  # type: ignore[no-untyped-def]
        day = date(2026, 12, 1)
        return ardh_check(
            retired=True, birth_date=None, gir=5, destination=Destination.HOME, target_date=day
        )

    result = check()
    assert result.reasons[0] == "✓ Retired under the general scheme (main pension from the CARSAT)."
    assert result.explanation().endswith("To fill in: date of birth.")
    i18n.set_language("fr")
    assert check().explanation().endswith("À renseigner : date de naissance.")


def test_labels_keyed_again_at_import_follow_the_language_of_the_moment():
    """A module imported while English is active (services are built at first use) keeps the
    French labels and reads them in the language active when it is asked."""
    import importlib
    import sys

    sys.modules.pop("app.services.statistics.labels", None)
    i18n.set_language("en")
    try:
        labels = importlib.import_module("app.services.statistics.labels")
        assert labels.CARE_KIND_NAMES["nurse"] == "Nurse"
    finally:
        i18n.set_language("fr")
    assert labels.CARE_KIND_NAMES["nurse"] == "Infirmier(ère)"
    assert labels.CATEGORY_LABELS["rights_and_care"] == "Accès aux droits et aux soins"


def test_a_step_reads_in_the_active_language(english):
    from app.services.home_care.rules import HOME_CARE_STATUS_LABELS, HomeCareStatus

    assert HOME_CARE_STATUS_LABELS.step(None, HomeCareStatus.SENT) == "— → Sent"
    assert HOME_CARE_STATUS_LABELS.step("sent", "accepted") == "Sent → Accepted"
    assert HOME_CARE_STATUS_LABELS.step("sent", "unknown") == "Sent → unknown"
