"""relais-admin driven through its real argument parsing, on a real SQLite file."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from stdnum import luhn

from app import admin
from app.container import Services
from app.models import AuditEntry, User
from app.models.db import Database
from app.models.enums import Role
from app.services.kernel import policy
from app.services.kernel.actor import system_actor
from app.services.kernel.errors import NotFound
from app.services.kernel.records import ROLE_LABELS
from app.services.kernel.timefmt import local

COORD_PASSWORD = "gargan-cli-secret-2026"
USER_PASSWORD = "utilisateur-cli-2026"


def _rpps(n: int) -> str:
    body = f"2{n:09d}"
    return body + luhn.calc_check_digit(body)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(admin.PASSWORD_ENV, raising=False)
    monkeypatch.delenv("RELAIS_DATABASE_URL", raising=False)
    monkeypatch.delenv("RELAIS_AUDIT_KEY", raising=False)
    # The user-data folder (logs, default backup folder) of this test only.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees-utilisateur"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "etat-utilisateur"))  # the log folder
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal, nothing to read


def run(capsys, argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    code = admin.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


INIT = [
    "init",
    "--clinic-name",
    "Maison de santé du Mont-Gargan",
    "--address",
    "3 rue du Mont-Gargan, 76000 Rouen",
    "--username",
    "coord",
    "--first-name",
    "Hélène",
    "--last-name",
    "Lefèvre",
    "--password-stdin",
]


@pytest.fixture
def initialised(db_url: str, capsys) -> str:
    code, out, err = run(capsys, ["--database", db_url, *INIT], stdin=COORD_PASSWORD + "\n")
    assert code == 0, err
    assert "Mont-Gargan" in out and "coord" in out
    assert COORD_PASSWORD not in out + err
    assert "CLÉ DE SECOURS" in out
    # These tests log in with a password only: the clinic's second factor is switched off.
    code, out, err = run(capsys, ["settings", "set", "--require-totp", "off", "--database", db_url])
    assert code == 0, err
    assert "Double authentification obligatoire : non" in out
    return db_url


def _services(url: str) -> Services:
    return Services.build(Database.open(url))


def test_init_creates_clinic_and_first_coordinator(initialised: str):
    services = _services(initialised)
    try:
        assert services.clinic.is_set_up()
        actor = services.auth.login("coord", COORD_PASSWORD)
        assert actor.role == Role.COORDINATOR
    finally:
        services.db.dispose()


def test_init_twice_is_refused_but_migrate_only_works(initialised: str, capsys):
    code, _, err = run(capsys, ["--database", initialised, *INIT], stdin=COORD_PASSWORD + "\n")
    assert code == 1
    assert "déjà installé" in err and "Traceback" not in err
    code, out, _ = run(capsys, ["init", "--migrate-only", "--database", initialised])
    assert code == 0 and "à jour" in out


def test_init_without_required_options_is_a_usage_error(db_url: str, capsys):
    code, _, err = run(capsys, ["init", "--database", db_url, "--username", "coord"])
    assert code == 2
    assert "arguments obligatoires manquants" in err and "--clinic-name" in err


def test_init_with_bad_finess_says_why(db_url: str, capsys):
    argv = ["--database", db_url, *INIT, "--finess", "123"]
    code, _, err = run(capsys, argv, stdin=COORD_PASSWORD + "\n")
    assert code == 1 and "FINESS" in err
    services = _services(db_url)
    try:
        assert not services.accounts.has_accounts()
    finally:
        services.db.dispose()


def _add(url: str, username: str, *extra: str) -> list[str]:
    return [
        "user",
        "add",
        "--database",
        url,
        "--username",
        username,
        "--first-name",
        "Jean-François",
        "--last-name",
        "Bénard-Lemoine",
        *extra,
    ]


def test_user_add_with_password_from_environment(initialised: str, capsys, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_ENV, USER_PASSWORD)
    argv = _add(initialised, "dr.benard", "--role", "gp", "--rpps", _rpps(1))
    code, out, err = run(capsys, argv)
    assert code == 0, err
    assert "dr.benard" in out and "première connexion" in out
    assert USER_PASSWORD not in out + err
    code, out, _ = run(capsys, ["user", "list", "--database", initialised])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["Identifiant", "Nom"]
    assert any("dr.benard" in line and "Médecin généraliste" in line for line in lines)
    services = _services(initialised)
    try:
        assert services.auth.login("dr.benard", USER_PASSWORD).role == Role.GP
        with services.db.session(write=False) as session:
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "account_create")
            ).all()[-1]
            last_login = session.scalars(
                select(User.last_login_at).where(User.username == "dr.benard")
            ).one()
        assert entry.username == "relais-admin"
        assert entry.detail == "rôle Médecin généraliste"  # in words, not the role's code
    finally:
        services.db.dispose()
    # The last login is shown in the clinic's time (Europe/Paris), not in UTC nor in the
    # time zone of the machine running relais-admin (UTC here).
    _, out, _ = run(capsys, ["user", "list", "--database", initialised])
    [line] = [line for line in out.splitlines() if "dr.benard" in line]
    assert local(last_login).strftime("%d/%m/%Y %H:%M") in line


def test_user_add_paramedical_needs_a_profession(initialised: str, capsys):
    argv = _add(initialised, "ide.x", "--role", "paramedical", "--rpps", _rpps(2))
    code, _, err = run(capsys, [*argv, "--password-stdin"], stdin=USER_PASSWORD + "\n")
    assert code == 1 and "--profession" in err
    argv = [*argv, "--profession", "nurse", "--password-stdin"]
    code, _, err = run(capsys, argv, stdin=USER_PASSWORD + "\n")
    assert code == 0, err


def test_user_add_errors_are_french_and_exit_non_zero(initialised: str, capsys, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_ENV, USER_PASSWORD)
    code, _, err = run(capsys, _add(initialised, "dr.x", "--role", "gp", "--rpps", "12345678901"))
    assert code == 1 and "RPPS est incorrect" in err and "Traceback" not in err
    code, _, err = run(capsys, _add(initialised, "dr.x", "--role", "docteur"))
    assert code == 2 and "choix invalide" in err
    code, _, err = run(capsys, _add(initialised, "coord", "--role", "secretary"))
    assert code == 1 and "déjà utilisé" in err
    code, _, err = run(
        capsys, _add(initialised, "sec.y", "--role", "secretary", "--profession", "nurse")
    )
    assert code == 1 and "ne correspond pas au rôle" in err
    monkeypatch.setenv(admin.PASSWORD_ENV, "court")
    code, _, err = run(capsys, _add(initialised, "sec.z", "--role", "secretary"))
    assert code == 1 and "au moins 12 caractères" in err


def test_missing_password_without_terminal_is_a_clear_error(initialised: str, capsys):
    code, _, err = run(capsys, _add(initialised, "sec.roux", "--role", "secretary"))
    assert code == 1
    assert "Aucun mot de passe fourni" in err and "RELAIS_PASSWORD" in err
    code, _, err = run(
        capsys, [*_add(initialised, "sec.roux", "--role", "secretary"), "--password-stdin"], ""
    )
    assert code == 1 and "entrée standard" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prompted_passwords_must_match(initialised: str, capsys, monkeypatch):
    answers = iter(["un-mot-de-passe-1", "un-autre-mot-2"])
    monkeypatch.setattr(admin.getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr(sys, "stdin", _Terminal(""))
    code = admin.main(_add(initialised, "sec.roux", "--role", "secretary"))
    assert code == 1
    assert "différents" in capsys.readouterr().err


def test_disable_enable_and_reset_password(initialised: str, capsys, monkeypatch):
    monkeypatch.setenv(admin.PASSWORD_ENV, USER_PASSWORD)
    assert run(capsys, _add(initialised, "sec.roux", "--role", "secretary"))[0] == 0
    code, out, _ = run(capsys, ["user", "disable", "sec.roux", "--database", initialised])
    assert code == 0 and "désactivé" in out
    _, out, _ = run(capsys, ["user", "list", "--database", initialised])
    assert any("sec.roux" in line and "désactivé" in line for line in out.splitlines())
    code, out, _ = run(capsys, ["--database", initialised, "user", "enable", "sec.roux"])
    assert code == 0 and "réactivé" in out
    new_password = "nouveau-secret-2027"
    code, out, err = run(
        capsys,
        ["user", "reset-password", "sec.roux", "--password-stdin", "--database", initialised],
        stdin=new_password + "\n",
    )
    assert code == 0, err
    assert new_password not in out + err
    services = _services(initialised)
    try:
        assert services.auth.login("sec.roux", new_password).username == "sec.roux"
    finally:
        services.db.dispose()


# Fifteen kinds of common password (tests/unit/test_passwords.py checks the same at the
# service level), each long enough for the list, not the length, to refuse it.
COMMON_PASSWORDS = [
    "password1234",
    "motdepasse123",
    "azertyuiop123",
    "qwerty123456",
    "Soleil-2024!",
    "P@ssw0rd2024",
    "MOTDEPASSE!!",
    "1234motdepasse",
    "mot de passe 2024",
    "jetaime-jetaime",
    "doudou123456",
    "Marseille2026",
    "chocolat01011990",
    "123456789012",
    "aaaaaaaaaaaa",
]
REFUSED = ("fait partie des plus courants", "une suite ou une répétition")


def test_user_add_and_reset_refuse_common_passwords(initialised: str, capsys):
    add = [*_add(initialised, "sec.roux", "--role", "secretary"), "--password-stdin"]
    reset = ["user", "reset-password", "coord", "--password-stdin", "--database", initialised]
    for password in COMMON_PASSWORDS:
        for argv in (add, reset):
            code, out, err = run(capsys, argv, stdin=password + "\n")
            assert code == 1 and any(reason in err for reason in REFUSED), (password, err)
            assert "Traceback" not in err and password not in out + err
    services = _services(initialised)
    try:
        with pytest.raises(NotFound):  # nothing was created…
            services.accounts.find_user(system_actor(), "sec.roux")
        # … and the coordinator's password is unchanged.
        assert services.auth.login("coord", COORD_PASSWORD).username == "coord"
    finally:
        services.db.dispose()


@pytest.mark.parametrize(
    "password", ["Mont-Gargan-2026!", "maison-de-sante-du-mont-gargan", "relais-2026-relais"]
)
def test_init_refuses_a_password_built_from_the_clinic_or_relais(db_url: str, capsys, password):
    code, _, err = run(capsys, ["--database", db_url, *INIT], stdin=password + "\n")
    assert code == 1 and "nom de la maison de santé ou « Relais »" in err, err
    services = _services(db_url)
    try:
        assert not services.accounts.has_accounts() and not services.clinic.is_set_up()
    finally:
        services.db.dispose()


def test_user_add_refuses_a_password_built_from_the_person(initialised: str, capsys):
    argv = [*_add(initialised, "sec.roux", "--role", "secretary"), "--password-stdin"]
    code, _, err = run(capsys, argv, stdin="Benard-Lemoine-1975\n")
    assert code == 1 and "reprend l'identifiant, le nom de la personne" in err
    code, _, err = run(capsys, argv, stdin="sec.roux-2026-secret\n")
    assert code == 1 and "ne doit pas contenir l'identifiant" in err
    code, _, err = run(capsys, argv, stdin="une phrase de passe que personne ne devine\n")
    assert code == 0, err


def test_unknown_user_and_last_coordinator(initialised: str, capsys):
    code, _, err = run(capsys, ["user", "disable", "personne", "--database", initialised])
    assert code == 1 and "Aucun compte « personne »" in err
    code, _, err = run(capsys, ["user", "disable", "coord", "--database", initialised])
    assert code == 1 and "au moins un compte de coordination" in err


def test_database_from_environment(initialised: str, capsys, monkeypatch):
    monkeypatch.setenv("RELAIS_DATABASE_URL", initialised)
    code, out, _ = run(capsys, ["user", "list"])
    assert code == 0 and "coord" in out


def test_unopenable_database_is_a_french_sentence(tmp_path: Path, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    url = f"sqlite:///{blocker / 'relais.sqlite'}"
    code, _, err = run(capsys, ["user", "disable", "personne", "--database", url])
    assert code == 1
    assert "Impossible d'ouvrir la base de données" in err and "Traceback" not in err
    code, _, err = run(capsys, ["user", "list", "--database", "pas-une-url://"])
    assert code == 1 and "Impossible d'ouvrir" in err
    code, _, err = run(capsys, ["user", "list", "--database", url])  # read-only, no file
    assert code == 1 and "Aucune base de données" in err


def test_demo_command_fills_a_database_with_progress(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    code, out, err = run(
        capsys, ["demo", "--patients", "12", "--notes-per-patient", "2", "--database", url]
    )
    assert code == 0, err
    assert "100 %" in err
    assert "12 patients" in out and "24 notes" in out and "dr.durand" in out
    services = _services(url)
    try:
        clinic = services.clinic.public()
        assert clinic is not None and clinic.demo
        assert services.patients.count() == 12
    finally:
        services.db.dispose()


def test_demo_command_refuses_a_real_clinic(initialised: str, capsys):
    code, _, err = run(capsys, ["demo", "--patients", "5", "--database", initialised])
    assert code == 1 and "réelle" in err


def test_policy_as_text_and_csv(capsys):
    code, out, _ = run(capsys, ["policy"])
    assert code == 0
    for label in ROLE_LABELS.values():
        assert label.split()[0] in out
    assert "Notes médicales" in out and "L = lecture" in out
    code, out, _ = run(capsys, ["policy", "--format", "csv"])
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter=";"))
    assert rows[0][1:6] == [ROLE_LABELS[r] for r in Role]
    assert len(rows) == len(policy.POLICY) + 1
    medical = next(r for r in rows if r[0] == "Notes médicales")
    assert medical[1:6] == [policy.grant(r, policy.Resource.MEDICAL).label() for r in Role]


def test_help_is_french(capsys):
    code, out, _ = run(capsys, ["--help"])
    assert code == 0 and "utilisation :" in out and "commandes" in out
    code, _, err = run(capsys, [])
    assert code == 2 and "arguments obligatoires manquants" in err


def test_installed_console_script(tmp_path: Path):
    script = Path(sys.executable).with_name("relais-admin")
    assert script.exists(), "relais-admin n'est pas installé dans l'environnement"
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    env = {**os.environ, admin.PASSWORD_ENV: COORD_PASSWORD, "RELAIS_DATABASE_URL": url}
    init = subprocess.run(
        [str(script), *INIT[:-1]], env=env, capture_output=True, text=True, timeout=120
    )
    assert init.returncode == 0, init.stderr
    listed = subprocess.run(
        [str(script), "user", "list"], env=env, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    assert "coord" in listed.stdout and "Hélène Lefèvre" in listed.stdout


# ---- security commands ---------------------------------------------------------------------
def _recovery_from(out: str) -> str:
    lines = out.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("CLÉ DE SECOURS"))
    return lines[index + 1].strip()


def test_init_prints_the_recovery_key_once(db_url: str, capsys):
    code, out, _ = run(capsys, ["--database", db_url, *INIT], stdin=COORD_PASSWORD + "\n")
    assert code == 0
    key = _recovery_from(out)
    assert len(key.replace("-", "")) == 56
    code, out, err = run(capsys, ["keys", "status", "--database", db_url])
    assert code == 0 and key not in out + err


def test_settings_show_and_set(initialised: str, capsys):
    code, out, _ = run(capsys, ["settings", "show", "--database", initialised])
    assert code == 0 and "Double authentification obligatoire" in out and "non" in out
    argv = ["settings", "set", "--database", initialised, "--session-hours", "8"]
    argv += ["--break-glass", "on", "--backup-keep", "5", "--retention-years", "6"]
    code, out, err = run(capsys, argv)
    assert code == 0, err
    assert "Accès exceptionnel autorisé : oui" in out and "Sauvegardes gardées : 5" in out
    code, _, err = run(
        capsys, ["settings", "set", "--database", initialised, "--session-hours", "30"]
    )
    assert code == 1 and "entre 1 et 24 heures" in err
    code, _, err = run(capsys, ["settings", "set", "--database", initialised])
    assert code == 1 and "Aucun paramètre" in err
    code, _, err = run(capsys, ["settings", "set", "--require-totp", "peut-être"])
    assert code == 2 and "choix invalide" in err


def test_audit_verify_head_and_tampering(initialised: str, capsys):
    code, out, err = run(capsys, ["audit", "head", "--database", initialised])
    assert code == 0
    _seq, head = out.split()
    code, out, err = run(
        capsys, ["audit", "verify", "--database", initialised, "--expected-head", head]
    )
    assert code == 0, err
    assert "intact" in out and "100 %" in err
    path = Path(initialised.removeprefix("sqlite:///"))
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_entry_no_update")
    conn.execute("UPDATE audit_entry SET username = 'quelquun' WHERE seq = 2")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, ["audit", "verify", "--database", initialised])
    assert code == 1
    assert "ALTÉRÉ" in err and "n° 2" in err and "Première entrée en cause" in err
    code, _, err = run(
        capsys, ["audit", "verify", "--database", initialised, "--expected-head", "xy"]
    )
    assert code == 1 and "64 caractères" in err


def _tamper(url: str, *statements: tuple[str, tuple]) -> None:
    """Someone with the database file: triggers dropped, then raw SQL (sqlite3)."""
    import sqlite3

    conn = sqlite3.connect(Path(url.removeprefix("sqlite:///")))
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        for statement, params in statements:
            conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def _mac(url: str, seq: int) -> str:
    import sqlite3

    conn = sqlite3.connect(Path(url.removeprefix("sqlite:///")))
    try:
        return conn.execute("SELECT mac FROM audit_entry WHERE seq = ?", (seq,)).fetchone()[0]
    finally:
        conn.close()


def _verify_both_ways(url: str, capsys, head: str) -> list[str]:
    """``audit verify`` with and without ``--expected-head``: both must fail (code 1)."""
    errors = []
    for extra in ([], ["--expected-head", head]):
        code, out, err = run(capsys, ["audit", "verify", "--database", url, *extra])
        assert code == 1, out + err
        assert "ALTÉRÉ" in err and "intact" not in out
        errors.append(err)
    return errors


def _exported_head(url: str, capsys) -> tuple[int, str]:
    code, out, _ = run(capsys, ["audit", "head", "--database", url])
    assert code == 0
    seq, head = out.split()
    return int(seq), head


def test_audit_verify_finds_a_forged_unsealed_append(initialised: str, capsys):
    seq, head = _exported_head(initialised, capsys)
    _tamper(
        initialised,
        (
            "INSERT INTO audit_entry (seq, at, username, role, action, outcome, workstation, "
            "detail, mac) VALUES (?, '2026-01-05 08:00:00.000000', 'coord', 'coordinator', "
            "'export', 'ok', 'POSTE-1', '', NULL)",
            (seq + 1,),
        ),
        ("UPDATE audit_head SET seq = ?", (seq + 1,)),
    )
    for err in _verify_both_ways(initialised, capsys, head):
        assert f"entrée n° {seq + 1}" in err and "n'est pas scellée" in err
        assert "Première entrée en cause" in err and "« export »" in err


def test_audit_verify_finds_an_edited_last_entry_with_its_mac_removed(initialised: str, capsys):
    seq, head = _exported_head(initialised, capsys)
    _tamper(
        initialised,
        ("UPDATE audit_entry SET username = 'quelquun', mac = NULL WHERE seq = ?", (seq,)),
        ("UPDATE audit_head SET mac = ?", (_mac(initialised, seq - 1),)),
    )
    for err in _verify_both_ways(initialised, capsys, head):
        assert f"entrée n° {seq}" in err and "n'est pas scellée" in err


def test_audit_verify_finds_a_truncated_tail_with_the_keyring_head(initialised: str, capsys):
    seq, head = _exported_head(initialised, capsys)
    code, out, _ = run(capsys, ["audit", "verify", "--database", initialised])
    assert code == 0 and f"L'entrée n° {seq}, la dernière scellée par ce poste" in out
    cut = seq - 2
    _tamper(
        initialised,
        ("DELETE FROM audit_entry WHERE seq > ?", (cut,)),
        ("UPDATE audit_head SET seq = ?, mac = ?", (cut, _mac(initialised, cut))),
    )
    errors = _verify_both_ways(initialised, capsys, head)
    assert "tronquée" in errors[0] and f"ce poste a scellé l'entrée n° {seq}" in errors[0]
    assert f"entrée n° {cut + 1}" in errors[0]


def test_audit_verify_without_a_keyring_says_it_could_not_compare(
    initialised: str, capsys, monkeypatch
):
    import keyring
    from keyring.backends import fail

    code, key, _ = run(capsys, ["audit", "key", "--show", "--database", initialised])
    assert code == 0
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("RELAIS_AUDIT_KEY", key.strip())
    code, out, err = run(capsys, ["audit", "verify", "--database", initialised])
    assert code == 0, err
    assert "intact" in out and "impossible de comparer" in out
    assert "Traceback" not in err


def test_audit_key_show_and_install(initialised: str, capsys, memory_keyring):
    code, out, _ = run(capsys, ["audit", "key", "--show", "--database", initialised])
    assert code == 0
    key = out.strip()
    assert len(bytes.fromhex(key)) == 32
    memory_keyring.store.clear()  # another workstation: nothing in its keyring
    code, _, err = run(capsys, ["audit", "key", "--show", "--database", initialised])
    assert code == 1 and "Aucune clé d'audit" in err
    code, _, err = run(capsys, ["user", "list", "--database", initialised])
    assert code == 0 and "clé d'audit introuvable" not in err  # read-only: no warning
    argv = ["settings", "set", "--session-hours", "9", "--database", initialised]
    code, _, err = run(capsys, argv)
    assert code == 0 and "clé d'audit introuvable" in err  # entries would be written unsealed
    argv = ["audit", "key", "--install-stdin", "--database", initialised]
    code, _, err = run(capsys, argv, stdin="ab" * 32 + "\n")
    assert code == 1 and "ne correspond pas" in err
    code, out, err = run(capsys, argv, stdin=key + "\n")
    assert code == 0 and "enregistrée" in out
    code, out, _ = run(capsys, ["audit", "key", "--show", "--database", initialised])
    assert out.strip() == key
    code, _, err = run(capsys, ["audit", "key", "--database", initialised])
    assert code == 2


def test_audit_key_without_keyring(initialised: str, capsys, monkeypatch):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    code, _, err = run(capsys, ["audit", "key", "--show", "--database", initialised])
    assert code == 1 and "trousseau" in err and "pas disponible" in err
    code, _, err = run(capsys, ["audit", "verify", "--database", initialised])
    assert code == 1 and "RELAIS_AUDIT_KEY" in err


def test_backup_create_list_verify_restore(initialised: str, capsys, tmp_path: Path):
    folder = tmp_path / "sauvegardes"
    code, out, err = run(
        capsys, ["backup", "create", "--database", initialised, "--folder", str(folder)]
    )
    assert code == 0, err
    assert "Sauvegarde chiffrée créée" in out
    backup = next(folder.iterdir())
    code, out, _ = run(
        capsys, ["backup", "list", "--database", initialised, "--folder", str(folder)]
    )
    assert code == 0 and backup.name in out
    [line] = [line for line in out.splitlines() if backup.name in line]
    services = _services(initialised)
    try:
        [stamp] = [e.created_at for e in services.backups.entries(folder)]
    finally:
        services.db.dispose()
    assert local(stamp).strftime("%d/%m/%Y %H:%M") in line  # the clinic's time
    code, out, err = run(capsys, ["backup", "verify", str(backup), "--database", initialised])
    assert code == 0 and "intacte" in out, err
    code, _, err = run(capsys, ["backup", "restore", str(backup), "--database", initialised])
    assert code == 1 and "--yes" in err
    code, out, err = run(
        capsys, ["backup", "restore", str(backup), "--yes", "--database", initialised]
    )
    assert code == 0, err
    assert "restaurée" in out and "base précédente est conservée" in out
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.write_bytes(bytes(data))
    code, _, err = run(capsys, ["backup", "verify", str(backup), "--database", initialised])
    assert code == 1 and "endommagée" in err and "Traceback" not in err
    code, _, err = run(
        capsys, ["backup", "verify", str(tmp_path / "absent"), "--database", initialised]
    )
    assert code == 1 and "introuvable" in err


def test_keys_recover_with_the_recovery_key(db_url: str, capsys, monkeypatch):
    code, out, _ = run(capsys, ["--database", db_url, *INIT], stdin=COORD_PASSWORD + "\n")
    key = _recovery_from(out)
    run(capsys, ["settings", "set", "--require-totp", "off", "--database", db_url])
    code, out, err = run(
        capsys, ["keys", "recover", "--recovery-key-stdin", "--database", db_url], stdin=key + "\n"
    )
    assert code == 0, err
    assert "copie(s) créée(s)" in out
    code, _, err = run(
        capsys,
        ["keys", "recover", "--recovery-key-stdin", "--database", db_url],
        stdin="AAAA-" * 13 + "AAAA\n",
    )
    assert code == 1 and "clé de secours" in err.lower()
    code, _, err = run(capsys, ["keys", "recover", "--database", db_url])
    assert code == 1 and "--recovery-key-stdin" in err


def test_user_remove_second_factor(initialised: str, capsys):
    code, out, err = run(
        capsys, ["user", "remove-second-factor", "coord", "--database", initialised]
    )
    assert code == 0, err
    assert "supprimée" in out
    code, _, err = run(
        capsys, ["user", "remove-second-factor", "personne", "--database", initialised]
    )
    assert code == 1 and "Aucun compte" in err


def test_logs_are_written_without_secrets(initialised: str, capsys, tmp_path: Path):
    log = tmp_path / "etat-utilisateur" / "Relais" / "log" / "relais.log"
    text = log.read_text(encoding="utf-8")
    assert "relais-admin init : code 0" in text and "settings set" in text
    assert COORD_PASSWORD not in text


def test_init_saves_the_recovery_key_sheet(db_url: str, capsys, tmp_path: Path):
    sheet = tmp_path / "fiche" / "cle-de-secours.pdf"
    argv = ["--database", db_url, *INIT, "--recovery-key-pdf", str(sheet)]
    code, out, err = run(capsys, argv, stdin=COORD_PASSWORD + "\n")
    assert code == 0, err
    assert sheet.read_bytes().startswith(b"%PDF") and str(sheet) in out
    assert "CLÉ DE SECOURS" in out  # printed in any case, before the sheet
