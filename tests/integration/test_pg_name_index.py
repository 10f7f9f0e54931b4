"""The search's index as written, on PostgreSQL (its upsert of the counts, migration 0011's
``string_agg``): tests/unit/test_name_index.py."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_index = load_unit_module("test_name_index")

test_counts_and_words_follow_every_save = _index.test_counts_and_words_follow_every_save
test_a_bulk_load_counts_its_prefixes = _index.test_a_bulk_load_counts_its_prefixes
test_upgrade_to_0011_fills_words_and_counts = _index.test_upgrade_to_0011_fills_words_and_counts
test_drifted_counts_change_no_result = _index.test_drifted_counts_change_no_result
