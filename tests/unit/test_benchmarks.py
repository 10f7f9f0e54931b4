"""Smoke test of the benchmark machinery (``benchmarks/run.py``) on a tiny generated set.

No timing is asserted (speed belongs to ``benchmarks/``): this checks that the reference set
is built and cached, that every in-process figure runs once through the real layers, that the
results file has its shape, and that the bare comparison replays the very SQL the service ran.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import reference_sets  # noqa: E402
import run  # noqa: E402
from _common import Recorded, SqlRecorder, bare_sqlite, replay  # noqa: E402

from app.container import Services  # noqa: E402
from app.demo.generator import DEMO_PASSWORD  # noqa: E402
from app.models.db import Database  # noqa: E402
from app.services.security.crypto import KdfParams  # noqa: E402

TINY = 0.02  # percent of the reference set: 20 patients, 40 referrals, 60 appointments
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def _light_services(url: str) -> Services:
    """Real Argon2id, lighter (as the suite's conftest): the demo's accounts hash fast."""
    return Services.build(
        Database.open(url),
        hasher=PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),
        kdf=KdfParams(time_cost=1, memory_cost=8 * 1024, parallelism=1),
    )


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> reference_sets.ReferenceSet:
    folder = tmp_path_factory.mktemp("bench")
    patch = pytest.MonkeyPatch()
    patch.setattr(reference_sets, "BIG_FILE_NOTES", 4)
    try:
        return reference_sets.ensure(
            TINY, folder=folder, log=lambda _m: None, open_services=_light_services
        )
    finally:
        patch.undo()


def test_the_set_is_cached_under_its_key(tiny: reference_sets.ReferenceSet) -> None:
    stamp = json.loads(tiny.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert stamp["head"] and stamp["generator"] == reference_sets.GENERATOR_VERSION
    assert stamp["patients"] == 20 and stamp["referrals"] == 40
    again = reference_sets.ensure(TINY, folder=tiny.path.parent, log=pytest.fail)
    assert again.path == tiny.path  # reused: no log line, no rebuild


def test_the_bare_replay_runs_the_same_sql(tiny: reference_sets.ReferenceSet) -> None:
    services = Services.open(tiny.url)
    try:
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        with SqlRecorder(services.db.engine) as recorder:
            found = services.patients.search(secretary, "a").patients
        reads = recorder.last.reads
        assert reads and found
        conn = bare_sqlite(tiny.path)
        traced: list[str] = []
        conn.set_trace_callback(traced.append)
        results = replay(conn, reads)
        conn.close()
    finally:
        services.db.dispose()
    assert len(traced) == len(reads)
    for sql, (statement, _parameters) in zip(traced, reads, strict=True):
        assert " ".join(sql.split()).startswith(" ".join(statement.split("?")[0].split()))
    assert sum(len(rows) for rows in results) >= len(found)


def test_only_reads_are_replayed_bare() -> None:
    """The bare floor replays reads only: PostgreSQL's audit statement (a data-modifying
    WITH) is a write, a locking read or a read through a WITH is a read."""
    recorded = Recorded(
        statements=[
            ("SELECT audit_head.seq FROM audit_head WHERE id = 1 FOR UPDATE", None),
            ("WITH hit AS (SELECT 1) SELECT * FROM hit", None),
            (
                "WITH added AS \n(INSERT INTO audit_entry (at) SELECT 1) "
                "UPDATE audit_head SET seq = 1",
                None,
            ),
            ("INSERT INTO audit_entry (at) VALUES (1)", None),
            ("  with gone as (delete from notification where id = 1) select 1", None),
        ]
    )
    assert [s.split()[0] for s, _ in recorded.reads] == ["SELECT", "WITH"]


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_one_run_writes_every_figure(
    tiny: reference_sets.ReferenceSet, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(reference_sets, "BIG_FILE_NOTES", 4)
    out = tiny.path.parent
    (out / "walkthroughs.json").write_text(
        json.dumps({"envoyer une orientation (souris)": {"clicks": 5, "keys": 0, "actions": 5}}),
        encoding="utf-8",
    )
    code = run.main(
        ["--sizes", str(TINY), "--runs", "1", "--quick", "--pdf-batch", "2",
         "--skip", "start,memory", "--out", str(out), "--seed-100", str(out / "none")]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "frappe de recherche, service" in printed and "Parcours cliniques" in printed
    result = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert result["sizes"] == [TINY] and result["walkthroughs"]
    figures = {f["key"]: f for f in result["figures"]}
    assert set(figures) == {
        "search.keystroke", "search.widget", "file.service", "file.widget", "inbox.count",
        "inbox.list", "schedule.cold", "audit.verify", "pdf.one", "pdf.batch",
    }  # fmt: skip
    for figure in figures.values():
        assert {"label", "size", "n", "p50", "p95", "budget", "verdict", "unit"} <= set(figure)
        assert figure["n"] >= 1 and figure["p95"] >= 0
    for key in ("search.keystroke", "file.service", "inbox.count", "inbox.list",
                "schedule.cold", "audit.verify"):  # fmt: skip
        assert figures[key]["bare_p95"] is not None and figures[key]["ratio"] is not None
    assert figures["search.keystroke"]["statements"] >= 1
    assert figures["file.service"]["commits"] >= 1  # the audit entry of the opening


def test_growth_is_the_exponent_between_sizes() -> None:
    small = run.Figure("q", "requête", 1, [2.0], growth=True)
    large = run.Figure("q", "requête", 100, [20.0], growth=True)
    (row,) = run.growth([small, large])
    assert row["exponent"] == pytest.approx(0.5)
