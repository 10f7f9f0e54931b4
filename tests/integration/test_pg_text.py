"""Any text, lone surrogates and NUL characters included, on PostgreSQL (issue 10 §6): the
property tests of tests/property/test_text_hypothesis.py, re-run unchanged."""

from __future__ import annotations

import pytest
from unit_reuse import PROPERTY, load_unit_module

pytestmark = pytest.mark.postgres

_text = load_unit_module("test_text_hypothesis", PROPERTY)

patient = _text.patient
cnam = _text.cnam
test_notes = _text.test_notes
test_referral_message_feedback_and_outcome = _text.test_referral_message_feedback_and_outcome
test_referral_reorientation_and_cancellation_reasons = (
    _text.test_referral_reorientation_and_cancellation_reasons
)
test_social_assessment_and_actions = _text.test_social_assessment_and_actions
test_patient_identity_and_contact = _text.test_patient_identity_and_contact
test_partners_and_contacts = _text.test_partners_and_contacts
test_home_care_texts = _text.test_home_care_texts
test_discharge_plan_texts = _text.test_discharge_plan_texts
test_consent_decision_day_as_text = _text.test_consent_decision_day_as_text
test_scheduling_texts = _text.test_scheduling_texts
test_account_names = _text.test_account_names
test_clinic_settings = _text.test_clinic_settings
test_search_and_sign_in_with_any_text = _text.test_search_and_sign_in_with_any_text
