"""Home-care requests on PostgreSQL: the unit tests' lifecycle, re-addressing, optimistic
locking, refusals, overdue inbox items and the printed form, re-run unchanged."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_h = load_unit_module("test_home_care")

patient, nurses = _h.patient, _h.nurses

test_full_lifecycle_writes_events_timestamps_and_audit = (
    _h.test_full_lifecycle_writes_events_timestamps_and_audit
)
test_illegal_transitions_are_refused_in_french_and_write_nothing = (
    _h.test_illegal_transitions_are_refused_in_french_and_write_nothing
)
test_refused_request_goes_to_another_partner_as_a_copy = (
    _h.test_refused_request_goes_to_another_partner_as_a_copy
)
test_update_only_before_sending_and_with_the_right_version = (
    _h.test_update_only_before_sending_and_with_the_right_version
)
test_secretary_and_coordinator_read_but_every_write_is_refused_and_audited = (
    _h.test_secretary_and_coordinator_read_but_every_write_is_refused_and_audited
)
test_to_send_for_more_than_a_day_reaches_the_creators_inbox = (
    _h.test_to_send_for_more_than_a_day_reaches_the_creators_inbox
)
test_request_form_read_back_and_archived = _h.test_request_form_read_back_and_archived
