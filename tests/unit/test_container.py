"""The container: what the login screen needs is built with it, the other services at their
first use (once, whichever thread asks first), wired to each other as before."""

from __future__ import annotations

import threading

from app.container import Services

LOGIN = ("auth", "accounts", "clinic", "keys", "audit", "codec", "changes", "capabilities")


def test_the_login_services_are_built_with_the_container_the_others_at_first_use(services):
    later = Services.built_later()
    assert {"inbox", "referrals", "scheduling", "statistics", "home_care", "notes"} <= set(later)
    assert not set(LOGIN) & set(later)
    built_now = vars(services)
    assert all(name in built_now for name in LOGIN)
    assert not [name for name in later if name in built_now]
    assert services.scheduling is services.scheduling  # built once, then kept
    services.build_all()
    assert all(name in vars(services) for name in later)


def test_a_service_asked_for_by_several_threads_at_once_is_built_once(database, clock):
    fresh = Services.build(database, clock=clock)
    start = threading.Barrier(8)
    seen: list[object] = []

    def ask() -> None:
        start.wait()
        seen.append(fresh.inbox)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and len({id(s) for s in seen}) == 1


def test_services_built_later_are_wired_to_each_other(services):
    # Withdrawing consent cancels the referrals not yet received.
    assert services.referrals.on_consent_withdrawn in services.consents.on_withdrawal
    # The inbox reads every source, each the container's one instance.
    sources = services.inbox._sources
    assert sources["scheduling"] is services.scheduling
    assert sources["home_care"] is services.home_care
    assert sources["discharge"] is services.discharge
    assert services.inbox._referrals is services.referrals
