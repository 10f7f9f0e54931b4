"""The search's query plan on PostgreSQL (``EXPLAIN``): tests/unit/test_search_plan.py."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from unit_reuse import load_unit_module

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
    with services.db.plain_reads() as conn:
        first = conn.execute(stamp).scalar_one()
        conn.execute(text("SELECT pg_sleep(0.01)"))
        assert conn.execute(stamp).scalar_one() > first  # a transaction per statement
    for _ in range(3):  # whichever pooled connection comes next
        with services.db.session(write=False) as session:
            first = session.execute(stamp).scalar_one()
            session.execute(text("SELECT pg_sleep(0.01)"))
            assert session.execute(stamp).scalar_one() == first
