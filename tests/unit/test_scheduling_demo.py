"""The demo's sessions and appointments: every state on past and coming dates, a waiting list
with a freed slot, a cancelled day to call about; deterministic and made once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import event, select

from app.container import Services
from app.demo.generator import DEMO_PASSWORD, create_demo
from app.demo.scheduling import create_demo_scheduling
from app.models import Appointment, Referral, WaitingListEntry
from app.models.db import Database


def _appointments(services: Services) -> list[tuple]:
    with services.db.session(write=False) as session:
        rows = session.scalars(select(Appointment).order_by(Appointment.id))
        return [(a.status, a.starts_at, a.patient_id, a.referral_id) for a in rows]


def test_demo_agenda_shows_every_state(services: Services, clock, tmp_path, helpers):
    create_demo(services, patients=120, notes_per_patient=0)
    rows = _appointments(services)
    now = clock()
    states = Counter((status, starts > now) for status, starts, _p, _r in rows)
    for past in ("seen", "no_show", "cancelled_patient"):
        assert states[(past, False)], states
    for coming in ("booked", "confirmed", "cancelled_patient", "cancelled_clinic"):
        assert states[(coming, True)], states
    assert any(r for *_x, r in rows), "some appointments are booked from demo referrals"
    with services.db.session(write=False) as session:
        waiting = session.scalars(select(WaitingListEntry.status)).all()
        booked_referrals = session.scalars(
            select(Referral.id).where(Referral.status == "appointment_booked")
        ).all()
    assert waiting.count("waiting") == 3
    assert booked_referrals
    sw = services.auth.login("as.moreau", DEMO_PASSWORD)
    secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
    assert {s.label for s in services.scheduling.sessions(sw)} == {
        "Permanence CARSAT",
        "Permanence de l'après-midi",
    }
    assert any(i.kind == "slot_freed" for i in services.inbox.items(sw))
    assert services.scheduling.to_notify(secretary)
    # Made once: running it again adds nothing; same clock and seed, same agenda.
    actors = {"as.moreau": sw, "sec.roux": secretary}
    actors["coord.martin"] = services.auth.login("coord.martin", DEMO_PASSWORD)
    assert create_demo_scheduling(services, actors) == 0
    twin = Services.build(
        Database.open(f"sqlite:///{tmp_path / 'twin.sqlite'}"),
        clock=clock,
        hasher=helpers.hasher,
        kdf=helpers.kdf,
    )
    try:
        create_demo(twin, patients=120, notes_per_patient=0)
        assert _appointments(twin) == rows
    finally:
        twin.db.dispose()


def test_demo_scheduling_is_done_in_a_bounded_number_of_statements(services: Services):
    """Speed is measured in benchmarks/; here, the number of SQL statements per booking, which
    does not depend on the machine (the demo agenda goes through the real scheduling service)."""
    create_demo(services, patients=0, notes_per_patient=0)  # accounts only
    create_demo(services, patients=200, notes_per_patient=0)
    with services.db.session(write=False) as session:
        session.execute(select(Appointment.id).limit(1))
    # The scheduling part alone, on a fresh social worker's agenda.
    from app.models.scheduling import ConsultationSession

    with services.db.session() as session:
        for row in session.scalars(select(Appointment)):
            session.delete(row)
        session.flush()
        for row in session.scalars(select(ConsultationSession)):
            session.delete(row)
    actors = {
        name: services.auth.login(name, DEMO_PASSWORD)
        for name in ("as.moreau", "sec.roux", "coord.martin")
    }
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", count)
    try:
        booked = create_demo_scheduling(services, actors)
    finally:
        event.remove(services.db.engine, "before_cursor_execute", count)
    assert booked > 10
    assert len(statements) <= 60 * booked  # 711 statements for 26 bookings when written
