"""The password policy (OWASP ASVS 5.0 §6.2): common passwords, runs, context words, the
strength rating shown while typing, and the shipped list with its licences."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInput
from app.services.kernel.errors import ValidationError
from app.services.security import passwords
from app.services.security.passwords import (
    COMMON,
    CONTEXT,
    HAS_USERNAME,
    SEQUENCE,
    TOO_SHORT,
    PasswordContext,
    assess,
    password_problem,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "app" / "services" / "security" / "data"

# Fifteen kinds of common password (each long enough: the list refuses them, not the length).
COMMON_KINDS = [
    ("password1234", COMMON),  # the English top password, digits added
    ("motdepasse123", COMMON),  # its French translation
    ("azertyuiop123", COMMON),  # the French keyboard's top row
    ("qwerty123456", COMMON),  # the English one, with a run of digits
    ("Soleil-2024!", COMMON),  # a French word, capital, year and symbol
    ("P@ssw0rd2024", COMMON),  # leet substitutions
    ("MOTDEPASSE!!", COMMON),  # capitals and punctuation only
    ("1234motdepasse", COMMON),  # digits in front
    ("mot de passe 2024", COMMON),  # spaces between the words
    ("jetaime-jetaime", COMMON),  # a common word said twice
    ("doudou123456", COMMON),  # French top-10 (Richelieu)
    ("Marseille2026", COMMON),  # a city
    ("chocolat01011990", COMMON),  # a birth date after a word
    ("123456789012", SEQUENCE),  # digits in order
    ("aaaaaaaaaaaa", SEQUENCE),  # one key held down
]


@pytest.fixture
def durand() -> PasswordContext:
    return PasswordContext("dr.durand", "Paul", "Durand", "MSP des Tilleuls")


# ---- the policy itself ----------------------------------------------------------------------


@pytest.mark.parametrize(("password", "message"), COMMON_KINDS)
def test_common_passwords_are_refused(password, message, durand):
    assert password_problem(password, durand) == message
    assert password_problem(password) == message  # with no context at all


@pytest.mark.parametrize(
    "password",
    ["Soleil2024!", "password", "azertyuiop", "qwerty", "p@ssw0rd", "Motdepasse", "DOUDOU"],
)
def test_the_comparison_folds_case_leet_and_affixes(password):
    assert passwords.is_common(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Relais-2026!", CONTEXT),
        ("relais.relais", CONTEXT),
        ("msp-des-tilleuls", CONTEXT),
        ("MSP des Tilleuls 76", CONTEXT),
        ("tilleuls-2026", CONTEXT),
        ("paul-durand-2026", CONTEXT),
        ("durand-et-fils", CONTEXT),
        ("dr.durand1234", HAS_USERNAME),
        ("Secret-DR.DURAND-1", HAS_USERNAME),
        ("drdurand-secret", HAS_USERNAME),
    ],
)
def test_passwords_built_from_the_context_are_refused(password, message, durand):
    assert password_problem(password, durand) == message


def test_short_examples_from_the_issue_are_caught_by_every_rule(durand):
    # « relais2026 » and « Soleil2024! » are also too short; each rule catches them on its own.
    assert password_problem("relais2026", durand) == TOO_SHORT
    assert passwords.is_from_context("relais2026", durand)
    assert passwords.is_common("Soleil2024!")


@pytest.mark.parametrize(
    "password",
    [
        "correct-horse-battery-staple",
        "une phrase de passe assez longue",
        "J'aime le café du matin au jardin",
        "tout en minuscules sans aucun chiffre",  # no composition rule
        "la maison du bout de la rue bleue",  # common words inside a phrase are fine
        "Zq8#mK2!pL9x",
        "мой-пароль-из-трёх-слов",  # any character is allowed
        "un tres long mot de passe " * 9,  # up to 256 characters
    ],
)
def test_strong_passwords_and_passphrases_are_accepted(password, durand):
    assert password_problem(password, durand) is None


def test_no_composition_rule_is_left():
    # The only length rules are the minimum and the maximum; nothing asks for a digit, a
    # capital or a symbol, and nothing refuses a phrase made of letters only.
    assert password_problem("x" * 11 + "é") is not None  # a run, not a composition rule
    assert password_problem("rivière lanterne cerf-volant") is None
    assert password_problem("a" * 257) == passwords.TOO_LONG


def test_context_words():
    words = PasswordContext("dr.durand", "Paul", "Durand", "MSP des Tilleuls").words()
    for word in ("relais", "drdurand", "durand", "paul", "pauldurand", "tilleuls"):
        assert word in words
    assert words[0] == "mspdestilleuls"  # longest first
    assert "des" not in words


# ---- the strength bar ---------------------------------------------------------------------


def test_assessment_grows_as_one_types(durand):
    typed = "cerisier-boussole-lanterne"
    scores = [assess(typed[:n], durand).score for n in (1, 8, 12, len(typed))]
    assert scores == sorted(scores)
    final = assess(typed, durand)
    assert (final.score, final.label, final.problem) == (4, "Très bon", None)
    assert final.acceptable


def test_assessment_of_a_refused_password_says_why(durand):
    refused = assess("motdepasse123", durand)
    assert (refused.score, refused.label, refused.problem) == (0, "Refusé", COMMON)
    assert refused.hint == COMMON
    short = assess("cerisier", durand)
    assert short.problem == TOO_SHORT and short.hint == "Encore 4 caractères au moins."
    empty = assess("", durand)
    assert empty.score == 0 and empty.label == "" and empty.hint == passwords.GOOD_HINT


@pytest.mark.parametrize(
    "password",
    ["Passwordx123", "qwertyuiop", "abcabcabc", "19/07/1989", "Durand", "2019", "p4ssw0rd"],
)
def test_feedback_is_french(password, durand):
    hint = passwords.french_feedback(passwords._rate(password, durand))
    assert hint.endswith(passwords.ADD_WORDS)
    for english in ("Add ", "Avoid", "guess", "This is", "words"):
        assert english not in hint


@pytest.mark.parametrize("password", ["princessdragon", "qwertypassword", "iloveyoubaby"])
def test_a_password_guessed_too_fast_is_refused_with_french_feedback(password):
    # Not listed as such, no run, no context word, yet zxcvbn finds it in under 10^6 tries.
    assert not passwords.is_common(password) and not passwords.is_sequence(password)
    problem = password_problem(password)
    assert problem is not None and problem.startswith("Ce mot de passe serait deviné trop vite.")
    assert problem.endswith(passwords.ADD_WORDS)


# ---- the service: creation, reset, change, first setup --------------------------------------


def _nurse(helpers) -> UserInput:
    return UserInput(
        "ide.leroy", "Élodie", "Leroy", Role.PARAMEDICAL, Profession.NURSE, helpers.make_rpps(42)
    )


@pytest.mark.parametrize(("password", "message"), COMMON_KINDS)
def test_the_service_refuses_common_passwords_and_saves_nothing(
    services, team, helpers, db_state, password, message
):
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(team.coordinator, _nurse(helpers), password)
    assert info.value.fields == {"password": message}
    with pytest.raises(ValidationError) as info:
        services.accounts.reset_password(team.coordinator, team.gp.user_id, password)
    assert info.value.fields == {"password": message}
    with pytest.raises(ValidationError) as info:
        services.accounts.change_own_password(team.secretary, helpers.password, password)
    assert info.value.fields == {"password": message}
    assert db_state() == before


@pytest.mark.parametrize(
    "password", ["msp-des-tilleuls-76", "Relais-2026!", "ide-leroy-2026!", "elodie-leroy-2026"]
)
def test_the_service_refuses_context_passwords(services, team, helpers, db_state, password):
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.accounts.create_user(team.coordinator, _nurse(helpers), password)
    assert info.value.fields["password"] in (CONTEXT, HAS_USERNAME)
    assert db_state() == before


def test_the_service_reads_the_clinic_and_the_account_for_the_context(services, team):
    # The team's clinic is « MSP des Tilleuls (test) »; Paul Durand is dr.durand.
    context = services.accounts.password_context(team.gp)
    assert context == PasswordContext("dr.durand", "Paul", "Durand", "MSP des Tilleuls (test)")
    other = services.accounts.password_context(username="x.y", first_name="Léa")
    assert other.clinic_name == "MSP des Tilleuls (test)" and other.username == "x.y"
    with pytest.raises(ValidationError) as info:
        services.accounts.change_own_password(team.gp, "mot-de-passe-de-test-1", "Paul-Durand-1960")
    assert info.value.fields["password"] == CONTEXT


def test_a_long_passphrase_is_accepted_everywhere(services, team, helpers):
    phrase = "le cerf-volant rouge danse au-dessus des falaises d'Étretat"
    created = services.accounts.create_user(team.coordinator, _nurse(helpers), phrase)
    assert services.auth.login("ide.leroy", phrase).user_id == created.id
    services.accounts.change_own_password(team.gp, helpers.password, phrase)
    assert services.auth.login("dr.durand", phrase).user_id == team.gp.user_id


def test_first_setup_refuses_a_password_from_the_clinic_name(services):
    coordinator = UserInput("coord", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR)
    for password in ("MSP des Tilleuls", "tilleuls-2026!", "azertyuiop123"):
        with pytest.raises(ValidationError) as info:
            services.clinic.setup(ClinicInput("MSP des Tilleuls"), coordinator, password)
        assert info.value.fields["password"] in (CONTEXT, COMMON)
        assert not services.clinic.is_set_up()
    services.clinic.setup(ClinicInput("MSP des Tilleuls"), coordinator, "phare-breton-et-goeland")
    assert services.clinic.is_set_up()


# ---- the shipped list ---------------------------------------------------------------------


def test_the_list_has_at_least_ten_thousand_french_and_english_entries():
    entries = passwords.common_passwords()
    assert len(entries) >= 10_000
    for word in ("password", "qwerty", "dragon", "motdepasse", "azerty", "soleil", "doudou"):
        assert word in entries
    for word in ("marseille", "chouchou", "loulou", "bonjour", "jetaime"):
        assert word in entries
    assert all(entry == passwords.normalise_entry(entry) for entry in entries)


def test_the_list_is_loaded_once_on_first_use_only():
    code = (
        "import sys\n"
        "import app.container, app.services.accounts.auth\n"
        "from app.services.security import passwords\n"
        "assert passwords._ranked_list.cache_info().currsize == 0\n"
        "assert 'zxcvbn' not in sys.modules\n"
        "passwords.password_problem('une phrase de passe')\n"
        "passwords.password_problem('une autre phrase de passe')\n"
        "assert passwords._ranked_list.cache_info().misses == 1\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_the_list_names_its_sources_and_its_licences_are_shipped():
    header = (DATA / "common-passwords.txt").read_text(encoding="utf-8").split("\n\n")[0]
    for source in ("Richelieu", "zxcvbn", "French patterns", "MIT", "CC BY 4.0", "Dropbox"):
        assert source in header
    licences = (DATA / "common-passwords-LICENSES.txt").read_text(encoding="utf-8")
    assert licences.count("MIT License") >= 2 and "CC BY 4.0" in licences
    assert "Copyright (c) 2019 Maxime Alay-Eddine" in licences
    assert "Copyright (c) 2016 Daniel Wolf" in licences
    assert "Dan Wheeler and Dropbox, Inc." in licences


def test_the_list_is_what_the_build_script_makes():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_password_list.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wheel_ships_the_list_and_its_licences(tmp_path, monkeypatch):
    """What setuptools' build_py copies is what the wheel holds (package data included)."""
    setuptools = pytest.importorskip("setuptools", reason="setuptools builds the wheel")
    from setuptools.config.pyprojecttoml import apply_configuration

    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "app", source / "app", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dist = setuptools.Distribution()
        apply_configuration(dist, "pyproject.toml")
        dist.script_name = "setup.py"
        build = dist.get_command_obj("build_py")
        build.build_lib = str(tmp_path / "wheel")
        build.ensure_finalized()
        build.run()
    shipped = tmp_path / "wheel" / "app" / "services" / "security" / "data"
    assert (shipped / "common-passwords.txt").read_bytes() == (
        DATA / "common-passwords.txt"
    ).read_bytes()
    assert (shipped / "common-passwords-LICENSES.txt").exists()
