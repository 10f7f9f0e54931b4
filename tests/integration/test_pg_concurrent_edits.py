"""Two workstations (two processes) editing the same patient and the same note at once, on a
real PostgreSQL server (issue 10 §5): the unit test, re-run unchanged."""

from __future__ import annotations

import pytest
from unit_reuse import load_unit_module

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

_edits = load_unit_module("test_concurrent_edits")

test_two_workstations_edit_the_same_patient_and_note = (
    _edits.test_two_workstations_edit_the_same_patient_and_note
)
