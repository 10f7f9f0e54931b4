"""The statistics on PostgreSQL: the known answers (months in the clinic's time zone, medians
and 90th percentiles by window functions, rates, masking across totals), the refusals and the
secrecy checks, re-run unchanged from the unit tests (the SQL differs by dialect: durations,
clinic dates, the materialised CTE of the delays)."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_s = load_unit_module("test_statistics")
_x = load_unit_module("test_statistics_secrecy")

known = _s.known
board = _s.board
secret_patient = _x.secret_patient

test_referrals_by_month_in_the_clinic_time_zone = _s.test_referrals_by_month_in_the_clinic_time_zone
test_a_masked_cell_is_never_alone_in_its_row_or_column = (
    _s.test_a_masked_cell_is_never_alone_in_its_row_or_column
)
test_linked_tables_hide_the_same_totals = _s.test_linked_tables_hide_the_same_totals
test_delays_median_and_90th_percentile = _s.test_delays_median_and_90th_percentile
test_fewer_than_five_measures_give_no_median = _s.test_fewer_than_five_measures_give_no_median
test_orientation_errors_and_rates = _s.test_orientation_errors_and_rates
test_permanence_occupancy_and_no_shows = _s.test_permanence_occupancy_and_no_shows
test_home_care_and_discharge = _s.test_home_care_and_discharge
test_follow_up_days_are_the_clinic_days = _s.test_follow_up_days_are_the_clinic_days
test_filters_professional_and_category = _s.test_filters_professional_and_category
test_roles_without_statistics_are_refused_and_audited = (
    _x.test_roles_without_statistics_are_refused_and_audited
)
test_only_the_coordinator_looks_at_another_professional = (
    _x.test_only_the_coordinator_looks_at_another_professional
)
test_no_output_names_a_patient_or_carries_sealed_content = (
    _x.test_no_output_names_a_patient_or_carries_sealed_content
)
