"""The scheduling tests re-run unchanged on PostgreSQL: above all the race of two
workstations for one slot (READ COMMITTED: both pass the check, the unique slot index stops
the second insert, which becomes ``SlotTaken`` with nothing half-saved), and the main flows.

The functions and their fixtures come from the unit-test modules (see ``test_pg_services``);
``db_url`` is this folder's PostgreSQL database.
"""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module


def _load(name: str):
    return load_unit_module(name, prefix="relais_pg_reuse")


pytestmark = pytest.mark.postgres

_s = _load("test_scheduling")
_l = _load("test_scheduling_lists")

sched, sw_session, patient, other_patient = _s.sched, _s.sw_session, _s.patient, _s.other_patient
patients = _l.patients

test_two_workstations_racing_for_one_slot = _s.test_two_workstations_racing_for_one_slot
test_same_slot_twice_is_refused = _s.test_same_slot_twice_is_refused
test_one_patient_cannot_be_expected_twice_at_once = (
    _s.test_one_patient_cannot_be_expected_twice_at_once
)
test_a_freed_slot_can_be_booked_again = _s.test_a_freed_slot_can_be_booked_again
test_every_transition_legal_or_refused = _s.test_every_transition_legal_or_refused
test_booking_from_a_sent_referral_receives_and_books_it = (
    _s.test_booking_from_a_sent_referral_receives_and_books_it
)
test_cancelling_a_day_with_appointments = _s.test_cancelling_a_day_with_appointments
test_cancelled_and_added_dates_through_the_service = (
    _s.test_cancelled_and_added_dates_through_the_service
)
test_stale_version_is_a_conflict = _s.test_stale_version_is_a_conflict
test_waiting_list_order_candidates_and_booking_from_an_entry = (
    _l.test_waiting_list_order_candidates_and_booking_from_an_entry
)
test_freed_slot_notice_for_the_professional = _l.test_freed_slot_notice_for_the_professional
test_call_list_of_the_day_and_marking_calls = _l.test_call_list_of_the_day_and_marking_calls
test_icalendar_export_for_the_professional_herself = (
    _l.test_icalendar_export_for_the_professional_herself
)
