"""Migration 0008 on PostgreSQL: tests/unit/test_migration_0008.py re-run unchanged."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_migration = load_unit_module("test_migration_0008")

test_upgrade_to_0008_fills_the_prefixes_of_existing_patients = (
    _migration.test_upgrade_to_0008_fills_the_prefixes_of_existing_patients
)
