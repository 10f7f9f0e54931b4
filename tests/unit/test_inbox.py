"""The user's inbox: own items only, unread first, marking read."""

from __future__ import annotations

from dataclasses import replace

from app.models import Notification


def add_notice(services, user_id, text, *, patient_id=None, kind="reminder", at=None):
    with services.db.session() as session:
        row = Notification(
            user_id=user_id, kind=kind, patient_id=patient_id, text=text, created_at=at
        )
        session.add(row)
        session.flush()
        return row.id


def test_items_are_the_users_own_unread_first(services, team, make_patient, clock):
    patient = make_patient("Dupré", "Jean")
    first = add_notice(services, team.gp.user_id, "Premier", at=clock())
    clock.advance(minutes=5)
    second = add_notice(services, team.gp.user_id, "Second", patient_id=patient, at=clock())
    add_notice(services, team.gp2.user_id, "Pour une collègue", at=clock())
    inbox = services.inbox
    items = inbox.items(team.gp)
    assert [i.id for i in items] == [second, first]  # newest first
    assert items[0].patient_name == "DUPRÉ Jean" and items[0].kind_label == "Rappel"
    assert items[1].patient_name == "" and not items[1].read
    assert inbox.unread_count(team.gp) == 2
    assert inbox.mark_read(team.gp, [second]) == 1
    items = inbox.items(team.gp)
    assert [(i.id, i.read) for i in items] == [(first, False), (second, True)]  # unread first
    assert items[1].read_at == clock()
    assert [i.id for i in inbox.items(team.gp, unread_only=True)] == [first]
    assert inbox.unread_count(team.gp) == 1
    assert inbox.mark_read(team.gp, [second]) == 0  # already read


def test_nobody_marks_someone_elses_items(services, team):
    theirs = add_notice(services, team.gp2.user_id, "Pour une collègue")
    assert services.inbox.mark_read(team.gp, [theirs]) == 0
    assert services.inbox.unread_count(team.gp2) == 1
    assert services.inbox.items(team.gp) == []
    assert services.inbox.items(team.secretary) == []


def test_owners_find_an_exceptional_access_in_their_inbox(
    services, team, make_patient, helpers, clock
):
    patient = make_patient("Martin", "Lucie")
    clinic = services.clinic.get()
    services.clinic.update(
        team.coordinator, replace(clinic.as_input(), break_glass_enabled=True), clinic.version
    )
    services.auth.grant_pending(team.social_worker)
    gp = services.auth.login("dr.durand", helpers.password)
    services.exceptional.start(gp, patient, "social", "Urgence vitale, famille injoignable.")
    [item] = services.inbox.items(team.social_worker)
    assert item.kind == "break_glass" and item.kind_label == "Accès exceptionnel"
    assert item.patient_id == patient and item.patient_name == "MARTIN Lucie"
    assert "Paul Durand" in item.text and "volet social" in item.text
    assert services.inbox.unread_count(team.gp) == 0
