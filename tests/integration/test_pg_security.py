"""Issue 3 on PostgreSQL: migration 0002 from a used 0001 database, and the key, second-factor,
exceptional-access and audit-chain flows of the unit tests, re-run unchanged (``db_url`` is
overridden in this folder's conftest: a fresh PostgreSQL database per test)."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module


def _load(name: str):
    return load_unit_module(name, prefix="relais_pg_security")


pytestmark = pytest.mark.postgres

_migration = _load("test_migration_0002")
_keys = _load("test_keys")
_second = _load("test_second_factor")
_exceptional = _load("test_exceptional_access")
_chain = _load("test_audit_chain_writer")


# ---- migration 0002 ------------------------------------------------------------------------


@pytest.mark.parametrize("demo", [False, True], ids=["clinic", "demo"])
def test_upgrade_from_0001_with_data(empty_pg_url, helpers, demo):
    _migration.check_upgrade_from_0001(
        empty_pg_url, demo=demo, hasher=helpers.hasher, kdf=helpers.kdf
    )


def test_upgrade_from_0001_with_gaps_in_the_audit_ids(empty_pg_url, helpers):
    _migration.check_upgrade_from_0001(
        empty_pg_url, demo=False, hasher=helpers.hasher, kdf=helpers.kdf, audit_ids=(1, 2, 7)
    )


def test_downgrade_to_0001_and_upgrade_again(empty_pg_url, helpers):
    _migration.check_down_and_up_again(
        empty_pg_url, hasher=helpers.hasher, kdf=helpers.kdf, build_team=helpers.build_team
    )


# ---- keys ------------------------------------------------------------------------------------

test_new_account_reads_nothing_until_a_holder_grants_the_key = (
    _keys.test_new_account_reads_nothing_until_a_holder_grants_the_key
)
test_password_change_rewraps_the_private_key = _keys.test_password_change_rewraps_the_private_key
test_reset_gives_a_new_key_pair_and_removes_the_second_factor = (
    _keys.test_reset_gives_a_new_key_pair_and_removes_the_second_factor
)
test_recovery_key_restores_access_after_every_holder_lost_their_password = (
    _keys.test_recovery_key_restores_access_after_every_holder_lost_their_password
)
test_status_counts_holders_per_compartment = _keys.test_status_counts_holders_per_compartment

# ---- second factor and sessions ----------------------------------------------------------------

test_enrolment_with_a_first_code_then_login_requires_the_code = (
    _second.test_enrolment_with_a_first_code_then_login_requires_the_code
)
test_wrong_code_counts_as_a_failed_attempt = _second.test_wrong_code_counts_as_a_failed_attempt
test_a_code_is_accepted_once = _second.test_a_code_is_accepted_once
test_recovery_codes_work_once_each = _second.test_recovery_codes_work_once_each
test_the_password_alone_cannot_replace_an_enrolled_second_factor = (
    _second.test_the_password_alone_cannot_replace_an_enrolled_second_factor
)
test_reauthentication_checks_the_password_and_is_audited = (
    _second.test_reauthentication_checks_the_password_and_is_audited
)
test_unlock_is_refused_after_the_absolute_session_lifetime = (
    _second.test_unlock_is_refused_after_the_absolute_session_lifetime
)

# ---- exceptional access ------------------------------------------------------------------------

enabled = _exceptional.enabled
social_file = _exceptional.social_file
test_gp_opens_one_patients_social_compartment_for_a_limited_time = (
    _exceptional.test_gp_opens_one_patients_social_compartment_for_a_limited_time
)
test_disabling_deletes_every_break_glass_key_copy = (
    _exceptional.test_disabling_deletes_every_break_glass_key_copy
)

# ---- audit chain -------------------------------------------------------------------------------

test_entries_written_by_the_services_are_chained = (
    _chain.test_entries_written_by_the_services_are_chained
)
test_a_rolled_back_unit_of_work_leaves_no_gap = _chain.test_a_rolled_back_unit_of_work_leaves_no_gap
test_two_workstations_append_at_once = _chain.test_two_workstations_append_at_once
test_the_head_is_kept_in_the_keyring_once_per_unit_of_work = (
    _chain.test_the_head_is_kept_in_the_keyring_once_per_unit_of_work
)


# ---- audit verify's raw reading (issue 16) -------------------------------------------------
_chain_attacks = _load("test_audit_chain")
test_the_verifiers_raw_reading_hashes_the_same_bytes_as_the_writer = (
    _chain_attacks.test_the_verifiers_raw_reading_hashes_the_same_bytes_as_the_writer
)
