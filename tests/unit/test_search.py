"""Patient search as you type: names, accents, case, prefixes, birth date, NIR, paging."""

from __future__ import annotations

import pytest

from app.models import Patient


@pytest.fixture
def people(make_patient, helpers):
    """A small, varied population; returns name -> patient id."""
    make_nir = helpers.make_nir
    return {
        "Jean Dupré": make_patient("Dupré", "Jean", birth_date="05/03/1960"),
        "Paul Dupré": make_patient("Dupré", "Paul", birth_date="06/03/1961"),
        "Jean Martin": make_patient("Martin", "Jean", birth_date="07/03/1962"),
        "Marie Dupont": make_patient("Dupont", "Marie Louise", sex="F", birth_date="08/04/1975"),
        "Lœtitia Bœuf": make_patient("Bœuf", "Lœtitia", sex="F", birth_date="09/05/1980"),
        "Loetitia Noel": make_patient("Noël", "Loetitia", sex="F", birth_date="10/05/1981"),
        "Jean-Pierre Lefèvre-Durand": make_patient(
            "Lefèvre-Durand", "Jean-Pierre", birth_date="11/06/1950"
        ),
        "Chloé Martin (Garcia)": make_patient(
            "Martin", "Chloé", sex="F", used_name="García", birth_date="12/07/1990"
        ),
        "Nir Tremblay": make_patient(
            "Tremblay",
            "Hugo",
            birth_date="13/08/1985",
            nir=make_nir("M", 1985, 8, "75", 123456),
        ),
        "Nir Corse": make_patient(
            "Santoni",
            "Ange",
            birth_date="14/09/1970",
            nir=make_nir("M", 1970, 9, "2A", 4567),
        ),
    }


def _names(services, team, query, role="secretary", **kwargs):
    result = services.patients.search(team.by_role(role), query, **kwargs)
    return [f"{p.first_names} {p.birth_name}" for p in result.patients]


def _ids(services, team, query, **kwargs):
    return {p.id for p in services.patients.search(team.secretary, query, **kwargs).patients}


@pytest.mark.parametrize("query", ["dupre", "Dupré", "DUPRÉ", "DUPRE", "dUpRé", " dupré "])
def test_accents_and_case_do_not_matter(services, team, people, query):
    assert _ids(services, team, query) == {people["Jean Dupré"], people["Paul Dupré"]}


def test_ligatures_fold_both_ways(services, team, people):
    both = {people["Lœtitia Bœuf"], people["Loetitia Noel"]}
    assert _ids(services, team, "loetitia") == both
    assert _ids(services, team, "lœtitia") == both
    assert _ids(services, team, "LŒTITIA") == both
    assert _ids(services, team, "boeuf") == {people["Lœtitia Bœuf"]}
    assert _ids(services, team, "noël") == _ids(services, team, "noel") == {people["Loetitia Noel"]}


def test_prefixes_of_family_used_and_first_names(services, team, people):
    assert _ids(services, team, "dup") == {
        people["Jean Dupré"],
        people["Paul Dupré"],
        people["Marie Dupont"],
    }
    assert _ids(services, team, "garc") == {people["Chloé Martin (Garcia)"]}
    assert _ids(services, team, "chlo") == {people["Chloé Martin (Garcia)"]}
    # Birth name still finds a patient known under a used name.
    assert people["Chloé Martin (Garcia)"] in _ids(services, team, "martin")
    # Second first name.
    assert _ids(services, team, "louise") == {people["Marie Dupont"]}
    assert _ids(services, team, "x") == set()


def test_several_words_narrow_the_result(services, team, people):
    assert _ids(services, team, "jean dup") == {people["Jean Dupré"]}
    assert _ids(services, team, "dup jean") == {people["Jean Dupré"]}
    assert _ids(services, team, "jean") == {
        people["Jean Dupré"],
        people["Jean Martin"],
        people["Jean-Pierre Lefèvre-Durand"],
    }
    assert _ids(services, team, "jean zzz") == set()


@pytest.mark.parametrize(
    "query", ["pierre", "jean-pierre", "Jean Pierre", "lefevre", "durand", "lefèvre-dur"]
)
def test_hyphenated_names(services, team, people, query):
    assert people["Jean-Pierre Lefèvre-Durand"] in _ids(services, team, query)


def test_results_are_sorted_by_name_used(services, team, people):
    names = _names(services, team, "martin")
    # Used name first: "GARCÍA Chloé" sorts before "MARTIN Jean".
    assert names == ["Chloé Martin", "Jean Martin"]


@pytest.mark.parametrize("query", ["05/03/1960", "5/3/1960", "05-03-1960", "05.03.1960"])
def test_birth_date(services, team, people, query):
    assert _ids(services, team, query) == {people["Jean Dupré"]}


def test_impossible_birth_date_finds_nothing(services, team, people):
    assert _ids(services, team, "31/02/1960") == set()


def test_nir_with_and_without_spaces_and_prefix(services, team, people, helpers):
    nir = helpers.make_nir("M", 1985, 8, "75", 123456)
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    for query in (nir, spaced, nir[:7], spaced[:10], nir[:5]):
        assert _ids(services, team, query) == {people["Nir Tremblay"]}, query
    assert _ids(services, team, nir[:12] + "9") - {people["Nir Tremblay"]} == set()


def test_corsican_nir(services, team, people, helpers):
    nir = helpers.make_nir("M", 1970, 9, "2A", 4567)
    assert "2A" in nir
    for query in (nir, nir.lower(), nir[:8], f"{nir[:5]} {nir[5:7].lower()} {nir[7:]}"):
        assert _ids(services, team, query) == {people["Nir Corse"]}, query


def test_archived_patients_are_excluded(services, team, people, database, clock):
    with database.session() as session:
        session.get(Patient, people["Jean Dupré"]).archived_at = clock()
    assert _ids(services, team, "dupre") == {people["Paul Dupré"]}
    assert _ids(services, team, "05/03/1960") == set()


def test_paging(services, team, make_patient):
    ids = {make_patient("Petitjean", f"Prénom{chr(65 + i)}") for i in range(7)}
    pages, offset = [], 0
    while True:
        result = services.patients.search(team.secretary, "petitj", limit=3, offset=offset)
        pages.append(result)
        offset += 3
        if not result.has_more:
            break
    assert [len(p.patients) for p in pages] == [3, 3, 1]
    assert [p.has_more for p in pages] == [True, True, False]
    found = [s.id for p in pages for s in p.patients]
    assert len(found) == len(set(found)) and set(found) == ids
    firsts = [s.first_names for p in pages for s in p.patients]
    assert firsts == sorted(firsts)
    exact = services.patients.search(team.secretary, "petitj", limit=7)
    assert len(exact.patients) == 7 and not exact.has_more


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\t\n",
        "\x00\x01\x1b[31m",
        "\u200b\u200b",
        "a" * 100_000,
        "dupré " * 5_000,
        "%",
        "_",
        "' OR 1=1 --",
        "'; DROP TABLE patient; --",
        "😀",
        "2A",
        "99/99/9999",
        "1" * 40,
        "-",
        "ß",
        "\ud7ff\U0010ffff",
    ],
)
def test_odd_queries_never_crash(services, team, people, query):
    result = services.patients.search(team.secretary, query)
    assert isinstance(result.patients, list)
    assert len(result.patients) <= 100
    assert services.patients.count() == len(people)


def test_control_characters_are_ignored_in_queries(services, team, people):
    assert _ids(services, team, "du\x00p\u200bré") == {people["Jean Dupré"], people["Paul Dupré"]}


@pytest.mark.parametrize("role", ["gp", "paramedical", "social_worker", "coordinator"])
def test_every_role_may_search_identities(services, team, people, role):
    assert set(_names(services, team, "jean dup", role=role)) == {"Jean Dupré"}


_WRITER = """
import sqlite3, sys, time
path, patient_id = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(path, timeout=10, isolation_level=None)
conn.execute("CREATE TABLE IF NOT EXISTS _growth (b BLOB)")
for i in range(300):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE patient SET city = ? WHERE id = ?", (f"ville-{i}", patient_id))
    if i % 50 == 0:  # the file grows past what the reader mapped
        conn.execute("INSERT INTO _growth VALUES (randomblob(1000000))")
    conn.execute("COMMIT")
    if i % 60 == 30:  # the changed pages copied into the mapped file itself
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    time.sleep(0.002)
conn.close()
"""


def test_the_search_sees_another_process_write_as_it_commits(services, team, make_patient):
    """The search reads through connections of its own that map the file (``plain_reads``).
    While another process updates the patient's city in 300 transactions, grows the file by
    6 MB and checkpoints its journal into the mapped file, every keystroke finds the patient
    with a city that process committed (or the first one), never an error; once it has ended,
    with the last one."""
    import subprocess
    import sys

    from app.models.db import sqlite_path

    patient = make_patient("Concurrent", "Anne", city="Brest")
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(sqlite_path(services.db.url)), str(patient)]
    )
    seen = set()
    try:
        while writer.poll() is None:
            [found] = services.patients.search(team.secretary, "concurrent").patients
            seen.add(found.city)
    finally:
        assert writer.wait(timeout=60) == 0
    [found] = services.patients.search(team.secretary, "concurrent").patients
    assert found.id == patient and found.city == "ville-299"
    assert seen <= {"Brest"} | {f"ville-{i}" for i in range(300)}
    assert len(seen - {"Brest"}) > 10  # it read while the other process wrote
