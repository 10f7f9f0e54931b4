"""The inbox tests re-run unchanged on PostgreSQL (the referral items are a union of two
selects ordered and cut in SQL; the sources read in the inbox's unit of work)."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_i = load_unit_module("test_inbox")
_l = load_unit_module("test_scheduling_lists")

sched, sw_session, patient, patients = _l.sched, _l.sw_session, _l.patient, _l.patients

test_items_are_the_users_own_unread_first = _i.test_items_are_the_users_own_unread_first
test_nobody_marks_someone_elses_items = _i.test_nobody_marks_someone_elses_items
test_a_new_referral_is_in_the_receivers_inbox_until_read = (
    _i.test_a_new_referral_is_in_the_receivers_inbox_until_read
)
test_feedback_reaches_the_senders_inbox = _i.test_feedback_reaches_the_senders_inbox
test_overdue_after_the_clinic_delay = _i.test_overdue_after_the_clinic_delay
test_the_count_and_the_list_do_not_grow_with_the_referrals = (
    _i.test_the_count_and_the_list_do_not_grow_with_the_referrals
)
test_the_count_and_the_list_are_one_read_unit_of_work = (
    _i.test_the_count_and_the_list_are_one_read_unit_of_work
)
test_the_list_pages_in_the_inbox_order = _i.test_the_list_pages_in_the_inbox_order
test_freed_slot_notices_count_the_patients_free_then_in_one_statement = (
    _l.test_freed_slot_notices_count_the_patients_free_then_in_one_statement
)
