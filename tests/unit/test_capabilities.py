"""What each role may do, as the services tell the views (the views never read the policy).

Every capability a view of home care, social follow-up, partners or consents asks is checked
for every role: those granted and every refusal.
"""

from __future__ import annotations

import pytest

ROLES = ("coordinator", "gp", "social_worker", "paramedical", "secretary")

# capability -> the roles it is granted to (every other role is refused)
GRANTED = {
    "home_care.can_write": {"gp", "social_worker", "paramedical"},
    "home_care.can_read": {"coordinator", "gp", "social_worker", "paramedical", "secretary"},
    "consultations.can_consult": {"social_worker"},
    "partners.can_write": {"coordinator", "social_worker", "secretary"},
    "partners.can_read": {"coordinator", "gp", "social_worker", "paramedical", "secretary"},
    "consents.can_write": {"gp", "social_worker", "paramedical", "secretary"},
    "consents.can_read": {"coordinator", "gp", "social_worker", "paramedical", "secretary"},
}


@pytest.mark.parametrize("capability", sorted(GRANTED))
@pytest.mark.parametrize("role", ROLES)
def test_capabilities_per_role(services, team, capability, role):
    service_name, method = capability.split(".")
    ask = getattr(getattr(services, service_name), method)
    assert ask(getattr(team, role)) is (role in GRANTED[capability])


def test_refused_actors_are_refused_by_the_service_too(services, team, make_patient):
    """What a capability refuses, the service refuses when asked anyway."""
    from app.services.kernel.errors import PermissionDenied

    patient = make_patient("Capable", "Jean")
    assert not services.consultations.can_consult(team.gp)
    with pytest.raises(PermissionDenied):
        services.consultations.assessment(team.gp, patient)
    assert not services.home_care.can_write(team.secretary)
    with pytest.raises(PermissionDenied):
        services.home_care.prefill(team.secretary, patient)
