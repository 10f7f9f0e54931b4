"""The social worker's follow-up and discharge plans on PostgreSQL: assessment versions and
conflicts, sealing, refusals to every other role, the action plan and its reminders, discharge
plans with their linked requests and follow-up reminders, re-run unchanged from the unit
tests."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_c = load_unit_module("test_consultations")
_d = load_unit_module("test_discharge")

patient = _d.patient

test_assessment_versions_latest_history_and_diff = (
    _c.test_assessment_versions_latest_history_and_diff
)
test_assessment_conflict_and_no_change = _c.test_assessment_conflict_and_no_change
test_assessment_is_sealed_and_bound_to_its_row = _c.test_assessment_is_sealed_and_bound_to_its_row
test_every_other_role_is_refused_audited_and_nothing_written = (
    _c.test_every_other_role_is_refused_audited_and_nothing_written
)
test_action_plan_add_update_status_and_order = _c.test_action_plan_add_update_status_and_order
test_overdue_and_reminders_reach_the_owner_inbox_and_marking_read = (
    _c.test_overdue_and_reminders_reach_the_owner_inbox_and_marking_read
)
test_plan_with_default_follow_ups_and_ardh_from_the_birth_date = (
    _d.test_plan_with_default_follow_ups_and_ardh_from_the_birth_date
)
test_requests_created_from_the_plan_are_linked = _d.test_requests_created_from_the_plan_are_linked
test_follow_ups_come_back_as_reminders_to_the_owner_until_done = (
    _d.test_follow_ups_come_back_as_reminders_to_the_owner_until_done
)
test_secretary_and_coordinator_read_plans_but_cannot_write_refusals_audited = (
    _d.test_secretary_and_coordinator_read_plans_but_cannot_write_refusals_audited
)
test_discharge_summary_is_one_page_and_says_everything = (
    _d.test_discharge_summary_is_one_page_and_says_everything
)
