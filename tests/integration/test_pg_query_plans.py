"""The inbox's and « orientations à planifier »'s query plans on PostgreSQL (``EXPLAIN``):
tests/unit/test_query_plans.py."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_plans = load_unit_module("test_query_plans")

busy = _plans.busy
test_no_statement_scans_referrals_appointments_or_notices = (
    _plans.test_no_statement_scans_referrals_appointments_or_notices
)
test_the_receivers_referrals_are_read_on_the_queue_index_alone = (
    _plans.test_the_receivers_referrals_are_read_on_the_queue_index_alone
)
test_to_schedule_reads_the_page_keys_on_indexes_alone = (
    _plans.test_to_schedule_reads_the_page_keys_on_indexes_alone
)
test_the_to_schedule_total_counts_beyond_the_page = (
    _plans.test_the_to_schedule_total_counts_beyond_the_page
)
test_a_liaison_page_reads_its_notes_and_the_consent_on_their_indexes = (
    _plans.test_a_liaison_page_reads_its_notes_and_the_consent_on_their_indexes
)
test_a_files_lists_are_read_in_their_indexes_order = (
    _plans.test_a_files_lists_are_read_in_their_indexes_order
)
