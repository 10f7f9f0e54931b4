"""The user's inbox: own items only, unread first, marking read."""

from __future__ import annotations

from dataclasses import replace

from suite_clock import TODAY, dmy

from app.models import Notification


def add_notice(services, user_id, text, *, patient_id=None, kind="reminder", at=None):
    with services.db.session() as session:
        row = Notification(
            user_id=user_id,
            kind=kind,
            patient_id=patient_id,
            text=text,
            created_at=at or services.clock(),
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
    clinic = services.clinic.settings(team.coordinator)
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


# ---- referral items ---------------------------------------------------------------------
def _referral(services, team, patient, *, send=True):
    from app.services.referrals.records import ReferralInput

    refs = services.referrals
    view = refs.create(
        team.gp,
        ReferralInput(
            patient, "housing", message="Motif confidentiel", receiver_id=team.social_worker.user_id
        ),
    )
    if send:
        refs.send(team.gp, view.id, patient_agrees=True)
    return view.id


def test_a_new_referral_is_in_the_receivers_inbox_until_read(services, team, make_patient):
    patient = make_patient("Martin", "Lucie")
    rid = _referral(services, team, patient, send=False)
    assert services.inbox.items(team.social_worker) == []  # a draft is nobody else's business
    services.referrals.send(team.gp, rid, patient_agrees=True)
    add_notice(services, team.social_worker.user_id, "Rappel")
    items = services.inbox.items(team.social_worker)
    [item] = [i for i in items if i.referral_id is not None]
    assert item.kind == "referral_new" and item.kind_label == "Nouvelle orientation"
    assert item.id == -rid and item.referral_id == rid and not item.read
    assert item.patient_name == "MARTIN Lucie" and "Paul Durand" in item.text
    assert "confidentiel" not in item.text and "housing" not in item.text
    assert services.inbox.unread_count(team.social_worker) == 2  # notice + referral
    assert services.inbox.items(team.gp) == [] and services.inbox.unread_count(team.gp) == 0
    assert services.inbox.mark_read(team.social_worker, [item.id]) == 1
    assert services.inbox.unread_count(team.social_worker) == 1
    [item] = [i for i in services.inbox.items(team.social_worker) if i.referral_id]
    assert item.read
    assert services.inbox.mark_read(team.gp2, [-rid]) == 0  # not theirs
    services.referrals.acknowledge(team.social_worker, rid)
    assert [i for i in services.inbox.items(team.social_worker) if i.referral_id] == []


def test_feedback_reaches_the_senders_inbox(services, team, make_patient, clock):
    patient = make_patient("Martin", "Lucie")
    rid = _referral(services, team, patient)
    assert services.inbox.items(team.gp) == []  # nothing new for the sender yet
    clock.advance(hours=2)
    services.referrals.acknowledge(team.social_worker, rid)
    [item] = services.inbox.items(team.gp)
    assert item.kind == "referral_feedback" and item.referral_id == rid and not item.read
    assert "Sophie Moreau a répondu" in item.text
    assert services.inbox.unread_count(team.gp) == 1
    assert services.referrals.mark_seen(team.gp, rid)
    assert services.inbox.unread_count(team.gp) == 0
    # Marking seen does not change the version: no conflict for the receiver.
    version = services.referrals.get(team.social_worker, rid).version
    services.referrals.mark_seen(team.social_worker, rid)
    assert services.referrals.book(team.social_worker, rid, expected_version=version)


def test_overdue_after_the_clinic_delay(services, team, make_patient, clock):
    patient = make_patient("Martin", "Lucie")
    rid = _referral(services, team, patient)
    services.referrals.mark_seen(team.social_worker, rid)
    clock.advance(days=7)
    [item] = services.inbox.items(team.social_worker)
    assert item.kind == "referral_new" and item.read
    clock.advance(minutes=1)
    [item] = services.inbox.items(team.social_worker)
    assert item.kind == "referral_overdue" and item.kind_label == "Orientation en retard"
    assert f"en attente depuis le {dmy(TODAY)}" in item.text
    summary = services.referrals.for_patient(team.gp, patient)[0]
    assert summary.overdue
    services.referrals.acknowledge(team.social_worker, rid)
    assert not services.referrals.for_patient(team.gp, patient)[0].overdue
    clock.advance(days=8)
    [item] = [i for i in services.inbox.items(team.social_worker) if i.referral_id]
    assert item.kind == "referral_overdue"  # received but neither booked nor seen
    services.referrals.book(team.social_worker, rid)
    assert [i for i in services.inbox.items(team.social_worker) if i.referral_id] == []


def test_referral_items_word_the_referral_as_its_own_summary_does(
    services, team, make_patient, clock
):
    """A referral item is built from its row of the inbox's one statement, unpacked in the
    order of its columns: its text names the sender, the destination, the status, the date
    sent and the urgency exactly as the referral's own summary does, and the patient as the
    file does (a married patient under her used name, « née »)."""
    from app.services.kernel.timefmt import fmt_date
    from app.services.referrals.records import ReferralInput, Urgency

    patient = make_patient("Dubois", "Léa", sex="F", used_name="Martin")
    rid = services.referrals.create(
        team.gp,
        ReferralInput(
            patient,
            "housing",
            message="Motif confidentiel",
            receiver_id=team.social_worker.user_id,
            urgency=Urgency.URGENT,
        ),
    ).id
    services.referrals.send(team.gp, rid, patient_agrees=True)

    def referral_item(actor):
        [item] = [i for i in services.inbox.items(actor) if i.referral_id == rid]
        return item, services.referrals.get(actor, rid).summary

    item, s = referral_item(team.social_worker)
    assert item.kind == "referral_new" and item.id == -rid and item.read_at is None
    assert item.text == f"Nouvelle orientation de {s.sender_name} — {s.urgency_label.lower()}."
    assert item.patient_name == s.patient_name == "MARTIN Léa (née Dubois)"
    assert item.patient_id == patient and item.created_at == s.updated_at
    clock.advance(hours=1)
    services.referrals.acknowledge(team.social_worker, rid)
    item, s = referral_item(team.gp)
    assert item.kind == "referral_feedback"
    assert item.text == (
        f"{s.destination_name} a répondu à votre orientation ({s.status_label.lower()})."
    )
    clock.advance(days=8)
    item, s = referral_item(team.social_worker)
    assert item.kind == "referral_overdue" and s.overdue
    assert item.text == (
        f"Orientation de {s.sender_name} vers {s.destination_name} en attente depuis le "
        f"{fmt_date(s.sent_at)} ({s.status_label.lower()}) — {s.urgency_label.lower()}."
    )
    assert "confidentiel" not in item.text and "housing" not in item.text


# ---- statements: one aggregated query per source, not one per referral ------------------
class _Statements:
    """Counts the SQL statements run on the services' engine (a real SQLite file)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.count = engine, 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def during(self, call) -> int:
        self.count = 0
        call()
        return self.count

    def close(self) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_the_count_and_the_list_do_not_grow_with_the_referrals(services, team, make_patient, clock):
    sw = team.social_worker
    statements = _Statements(services.db.engine)
    try:
        figures = []
        for batch in (2, 8):
            for n in range(batch):
                patient = make_patient("Martin", f"Lucie{batch}{n}")
                _referral(services, team, patient)
                clock.advance(minutes=1)
            add_notice(services, sw.user_id, "Rappel")
            count = statements.during(lambda: services.inbox.unread_count(sw))
            listing = statements.during(lambda: services.inbox.items(sw))
            figures.append((count, listing))
    finally:
        statements.close()
    assert services.inbox.unread_count(sw) == 10 + 2
    assert figures[0] == figures[1]  # the same statements for 2 or 10 referrals
    count, listing = figures[1]
    # BEGIN, notices (the count with the overdue delay; the list reads the delay apart),
    # referrals, and one per source (four).
    assert count <= 7 and listing <= 8


def test_the_count_and_the_list_are_one_read_unit_of_work(services, team, make_patient, clock):
    from sqlalchemy import event

    sw = team.social_worker
    for n in range(3):
        _referral(services, team, make_patient("Martin", f"Lucie{n}"))
        add_notice(services, sw.user_id, f"Rappel {n}")
    begins, commits = [], []

    def statement(_conn, _cursor, text, *_rest) -> None:
        if text.lstrip().upper().startswith("BEGIN"):
            begins.append(text)

    def commit(_conn) -> None:
        commits.append(1)

    engine = services.db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        for call in (
            lambda: services.inbox.unread_count(sw),
            lambda: services.inbox.items(sw),
            lambda: services.inbox.items(sw, unread_only=True, limit=2),
        ):
            begins.clear()
            commits.clear()
            call()
            # One transaction, nothing written (no audit entry): at most the read's own end.
            assert len(begins) <= 1 and len(commits) <= 1, (begins, commits)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
    assert services.inbox.unread_count(sw) == 3 + 3


def test_the_list_pages_in_the_inbox_order(services, team, make_patient, clock):
    sw = team.social_worker
    for n in range(5):
        _referral(services, team, make_patient("Martin", f"Lucie{n}"))
        clock.advance(minutes=1)
        add_notice(services, sw.user_id, f"Rappel {n}")
        clock.advance(minutes=1)
    services.inbox.mark_read(sw, [services.inbox.items(sw)[0]])
    whole = services.inbox.items(sw)
    assert len(whole) == 10 and whole[-1].read and not any(i.read for i in whole[:-1])
    pages = [services.inbox.items(sw, offset=start, limit=3) for start in range(0, 12, 3)]
    assert [i for page in pages for i in page] == whole
    unread = services.inbox.items(sw, unread_only=True, offset=2, limit=4)
    assert unread == whole[2:6]
    assert services.inbox.unread_count(sw) == 9
