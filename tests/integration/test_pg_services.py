"""The unit tests' main service flows, re-run unchanged on PostgreSQL.

The functions (and the module fixtures they need) are imported from the unit-test modules;
``db_url`` is overridden in this folder's conftest, so ``database``, ``services``, ``team`` and
``make_patient`` all work on a fresh PostgreSQL database per test.
"""

from __future__ import annotations

import pytest
from unit_reuse import PROPERTY, load_unit_module

pytestmark = pytest.mark.postgres

_auth = load_unit_module("test_auth")
_audit = load_unit_module("test_audit")
_search = load_unit_module("test_search")
_patients = load_unit_module("test_patients")
_notes = load_unit_module("test_notes")
_liaison = load_unit_module("test_liaison_consent")
_policy = load_unit_module("test_policy")
_property = load_unit_module("test_identity_hypothesis", PROPERTY)

# Setup, login and throttling.
test_setup_is_all_or_nothing = _auth.test_setup_is_all_or_nothing
test_first_coordinator_setup_is_refused_once_set_up = (
    _auth.test_first_coordinator_setup_is_refused_once_set_up
)
test_login_returns_the_actor_of_the_account = _auth.test_login_returns_the_actor_of_the_account
test_wrong_password_and_unknown_user_get_the_same_french_message = (
    _auth.test_wrong_password_and_unknown_user_get_the_same_french_message
)
test_failures_are_throttled_with_a_growing_delay = (
    _auth.test_failures_are_throttled_with_a_growing_delay
)
test_one_accounts_failures_never_block_another = (
    _auth.test_one_accounts_failures_never_block_another
)
test_disabled_account_is_refused = _auth.test_disabled_account_is_refused
test_duplicate_username_is_refused = _auth.test_duplicate_username_is_refused
test_last_active_coordinator_cannot_be_disabled = (
    _auth.test_last_active_coordinator_cannot_be_disabled
)

# Audit.
test_every_change_is_audited = _audit.test_every_change_is_audited
test_every_refusal_is_audited = _audit.test_every_refusal_is_audited
test_every_login_attempt_is_audited = _audit.test_every_login_attempt_is_audited
test_times_are_stored_in_utc = _audit.test_times_are_stored_in_utc
test_audit_never_holds_the_content = _audit.test_audit_never_holds_the_content

# Search: accents, prefixes, birth date, NIR, paging.
people = _search.people
test_accents_and_case_do_not_matter = _search.test_accents_and_case_do_not_matter
test_ligatures_fold_both_ways = _search.test_ligatures_fold_both_ways
test_prefixes_of_family_used_and_first_names = _search.test_prefixes_of_family_used_and_first_names
test_several_words_narrow_the_result = _search.test_several_words_narrow_the_result
test_results_are_sorted_by_name_used = _search.test_results_are_sorted_by_name_used
test_birth_date = _search.test_birth_date
test_nir_with_and_without_spaces_and_prefix = _search.test_nir_with_and_without_spaces_and_prefix
test_corsican_nir = _search.test_corsican_nir
test_archived_patients_are_excluded = _search.test_archived_patients_are_excluded
test_paging = _search.test_paging
test_odd_queries_never_crash = _search.test_odd_queries_never_crash

# Patients: identity, duplicates, conflict, history.
create = _patients.create
test_valid_identity_is_saved_and_read_back = _patients.test_valid_identity_is_saved_and_read_back
test_control_characters_are_stripped_and_spaces_collapsed = (
    _patients.test_control_characters_are_stripped_and_spaces_collapsed
)
test_limits_count_characters_not_bytes = _patients.test_limits_count_characters_not_bytes
test_same_nir_warns_before_saving = _patients.test_same_nir_warns_before_saving
test_same_birth_date_and_similar_names_warn = _patients.test_same_birth_date_and_similar_names_warn
test_second_save_gets_a_conflict_with_both_versions = (
    _patients.test_second_save_gets_a_conflict_with_both_versions
)
test_history_shows_only_compartments_the_role_may_read = (
    _patients.test_history_shows_only_compartments_the_role_may_read
)

# Notes: per compartment, limits, conflict, codec.
test_add_list_edit_in_each_compartment = _notes.test_add_list_edit_in_each_compartment
test_huge_notes_are_refused_at_the_limit = _notes.test_huge_notes_are_refused_at_the_limit
test_any_unicode_text_round_trips = _notes.test_any_unicode_text_round_trips
test_edit_conflict_keeps_both_versions_and_overwrites_nothing = (
    _notes.test_edit_conflict_keeps_both_versions_and_overwrites_nothing
)
test_content_is_stored_through_the_codec = _notes.test_content_is_stored_through_the_codec

# Liaison notes: the patient's consent, read in the page's own statement.
shared = _liaison.shared
test_withdrawal_hides_notes_at_once_except_from_their_author = (
    _liaison.test_withdrawal_hides_notes_at_once_except_from_their_author
)
test_never_asked_is_not_shared_either = _liaison.test_never_asked_is_not_shared_either
test_the_author_reading_without_consent_is_told_so_in_the_audit = (
    _liaison.test_the_author_reading_without_consent_is_told_so_in_the_audit
)
test_the_pages_statement_agrees_with_consent_active = (
    _liaison.test_the_pages_statement_agrees_with_consent_active
)

# The policy through the real services (every refusal audited, nothing written).
test_service_applies_the_table = _policy.test_service_applies_the_table
test_accounts_through_the_auth_service = _policy.test_accounts_through_the_auth_service
test_paramedical_cannot_edit_another_professionals_note = (
    _policy.test_paramedical_cannot_edit_another_professionals_note
)
test_author_loses_own_notes_with_the_read_right = (
    _policy.test_author_loses_own_notes_with_the_read_right
)

# Any Unicode in the identity form (PostgreSQL refuses NUL bytes and counts VARCHAR limits).
test_names_and_free_text_with_any_unicode = _property.test_names_and_free_text_with_any_unicode
test_any_identity_input_is_saved_cleanly_or_refused_in_french = (
    _property.test_any_identity_input_is_saved_cleanly_or_refused_in_french
)
