"""The search's query plan on PostgreSQL (``EXPLAIN``): tests/unit/test_search_plan.py."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_plan = load_unit_module("test_search_plan")

demo = _plan.demo
test_a_name_search_walks_the_index_in_order = _plan.test_a_name_search_walks_the_index_in_order
test_the_walk_finds_what_the_words_say = _plan.test_the_walk_finds_what_the_words_say
