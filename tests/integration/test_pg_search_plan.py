"""The search's query plan on PostgreSQL (``EXPLAIN``): tests/unit/test_search_plan.py."""

from __future__ import annotations

import re

import pytest
from sql_statements import statements
from sqlalchemy import text
from unit_reuse import load_unit_module

from app.demo.generator import DEMO_PASSWORD
from app.models.db import Database, make_engine
from app.models.plain_reads import plain_reads_engine
from app.services.patient_file.identity import SEARCH_PAGE
from app.services.patient_file.search import search_statement

pytestmark = pytest.mark.postgres

_plan = load_unit_module("test_search_plan")

demo = _plan.demo
test_a_name_search_walks_the_index_in_order = _plan.test_a_name_search_walks_the_index_in_order
test_the_walk_finds_what_the_words_say = _plan.test_the_walk_finds_what_the_words_say
test_any_driver_finds_what_every_word_says_in_order = (
    _plan.test_any_driver_finds_what_every_word_says_in_order
)
test_the_rarest_word_drives = _plan.test_the_rarest_word_drives


def test_a_keystroke_reads_in_autocommit_and_leaves_the_pool_as_it_was(services):
    """A search keystroke is one statement: on PostgreSQL it runs without BEGIN and ROLLBACK
    round trips (each statement its own transaction), and the connection goes back to the
    pool in transactions again."""
    stamp = text("SELECT transaction_timestamp()")
    with plain_reads_engine(services.db.engine).connect() as conn:
        first = conn.execute(stamp).scalar_one()
        conn.execute(text("SELECT pg_sleep(0.01)"))
        assert conn.execute(stamp).scalar_one() > first  # a transaction per statement
    for _ in range(3):  # whichever pooled connection comes next
        with services.db.session(write=False) as session:
            first = session.execute(stamp).scalar_one()
            session.execute(text("SELECT pg_sleep(0.01)"))
            assert session.execute(stamp).scalar_one() == first


# ---- the search's own pool: autocommit, generic plans ---------------------------------------
def _show(conn, setting: str) -> str:
    return conn.exec_driver_sql(f"SHOW {setting}").scalar_one()


def test_a_keystroke_reads_from_a_pool_of_its_own_with_generic_plans(services):
    """The search's connections stay in autocommit and use one generic plan per statement;
    the application's units of work keep PostgreSQL's defaults."""
    reads = plain_reads_engine(services.db.engine)
    assert reads is not services.db.engine
    with reads.connect() as conn:
        assert conn.connection.dbapi_connection.autocommit
        assert _show(conn, "plan_cache_mode") == "force_generic_plan"
        assert _show(conn, "jit") == "off"
    with services.db.session(write=False) as session:
        assert _show(session.connection(), "plan_cache_mode") == "auto"
        assert session.connection().engine is services.db.engine


def test_keystrokes_are_prepared_once_and_never_planned_again(demo):
    secretary = demo.auth.login("sec.roux", DEMO_PASSWORD)
    for query in ("d", "du", "dup", "dupo", "dupon", "dupont", "m", "ma"):
        demo.patients.search(secretary, query)
    # The search pool's one connection, used by every keystroke.
    with plain_reads_engine(demo.db.engine).connect() as conn:
        custom, generic = conn.exec_driver_sql(
            "SELECT sum(custom_plans), sum(generic_plans) FROM pg_prepared_statements"
        ).one()
    assert custom == 0 and generic >= 8, (custom, generic)


def test_a_keystroke_is_one_statement_seen_by_the_engine(services, team, make_patient):
    make_patient("Dupontel", "Albert")
    with statements(services) as seen:
        found = services.patients.search(team.secretary, "dupon")
    assert [p.birth_name for p in found.patients] == ["Dupontel"]
    assert len(seen) == 1 and seen[0].lstrip().startswith("SELECT"), seen


def test_disposing_the_engine_renews_the_search_pool(services, team):
    reads = plain_reads_engine(services.db.engine)
    services.patients.search(team.secretary, "dupont")
    assert reads.pool.checkedin() == 1
    services.db.engine.dispose(close=False)  # a lost server (change_listener)
    assert reads.pool.checkedin() == 0
    services.patients.search(team.secretary, "dupont")
    assert reads.pool.checkedin() == 1
    services.db.dispose()
    assert reads.pool.checkedin() == 0


def _literal(value: object) -> str:
    # EXECUTE's arguments are not typed by the driver: written out (words, LIKE patterns of
    # words, integers — never anything that needs quoting).
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, str) and re.fullmatch(r"[0-9a-z% ]*", value), value
    return f"'{value}'"


@pytest.mark.parametrize("query", _plan.QUERIES)
def test_the_generic_plan_walks_the_index_in_order_too(demo, query):
    """The plan a keystroke runs (generic: the words unknown when it is planned) walks the
    name-prefix index in order and stops at the page, as the plans of the tests above."""
    found = search_statement(None, query)
    assert found is not None
    stmt, params = found
    compiled = stmt.limit(SEARCH_PAGE + 1).compile(dialect=demo.db.engine.dialect)
    values = compiled.construct_params(params)
    order: list[str] = []

    def numbered(match: re.Match[str]) -> str:
        if match.group(1) not in order:
            order.append(match.group(1))
        return f"${order.index(match.group(1)) + 1}"

    sql = re.sub(r"%\((\w+)\)s", numbered, str(compiled)).replace("%%", "%")
    with demo.db.session(write=False) as session:
        for setting in ("enable_seqscan", "enable_sort", "enable_hashjoin", "enable_mergejoin"):
            session.execute(text(f"SET LOCAL {setting} = off"))  # as _plan: a tiny table
        session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
        session.execute(text("ANALYZE patient_name_prefix"))
        types = ", ".join("text" if isinstance(values[n], str) else "bigint" for n in order)
        session.execute(text(f"PREPARE relais_keystroke ({types}) AS {sql}"))
        arguments = ", ".join(_literal(values[name]) for name in order)
        plan = "\n".join(
            row[0]
            for row in session.execute(text(f"EXPLAIN EXECUTE relais_keystroke({arguments})"))
        )
        session.execute(text("DEALLOCATE relais_keystroke"))
    search, choice = _plan._pg_parts(plan)
    text_ = "\n".join(search)
    assert search[0].startswith("Limit"), plan
    assert "Sort" not in text_ and "Seq Scan" not in plan, plan
    walks = [n for n in search if "on patient_name_prefix" in n]
    assert len(walks) == 1 and "using pk_patient_name_prefix " in walks[0], plan
    assert re.search(r"Index Cond: \(\(?prefix\)?(::text)? = \(?\$", text_), plan  # generic
    words = sum(1 for key in params if key.startswith("word"))
    counts = [n for n in choice if "pk_patient_name_prefix_count" in n]
    assert len(counts) == (words if words > 1 else 0), plan
    assert "Join" not in text_ and "SubPlan" not in text_, plan


def test_the_search_pool_keeps_the_servers_own_options(services):
    """A clinic's ``options`` in the server address still apply to the search's pool."""
    url = services.db.engine.url.update_query_dict({"options": "-c statement_timeout=12345"})
    engine = make_engine(url)
    try:
        with plain_reads_engine(engine).connect() as conn:
            assert _show(conn, "statement_timeout") == "12345ms"
            assert _show(conn, "plan_cache_mode") == "force_generic_plan"
    finally:
        Database(engine, None).dispose()  # type: ignore[arg-type]
