"""The migrated schema is the models' on PostgreSQL too: tests/unit/test_schema_matches_models.py
re-run unchanged on the throw-away server."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = pytest.mark.postgres

_schema = load_unit_module("test_schema_matches_models")

test_the_migrated_schema_is_the_models_schema = (
    _schema.test_the_migrated_schema_is_the_models_schema
)
