"""Liaison notes are shared only while the patient's liaison consent is active (DESIGN.md §4).

Without it (never given, refused, withdrawn) each author still reads their own liaison notes;
everybody else is refused with a French message and a ``refused`` audit row; nobody writes.
Withdrawal takes effect at once, and giving consent again shares the notes again.
"""

from __future__ import annotations

import pytest

from app.models.enums import AuditOutcome
from app.services.kernel.errors import PermissionDenied
from app.services.patient_file.notes import LIAISON_HIDDEN, LIAISON_NO_WRITE

HIDDEN = (
    "Le patient n'a pas donné son accord au partage entre médecins et assistante sociale (ou "
    "l'a retiré) : les notes de liaison ne sont visibles que de leur auteur."
)
NO_WRITE = (
    "Le patient n'a pas donné son accord au partage entre médecins et assistante sociale (ou "
    "l'a retiré) : aucune note de liaison ne peut être enregistrée. Recueillez d'abord son "
    "consentement."
)


def _refused(audit_log, actor, since):
    return [
        (r.action, r.patient_id, r.compartment, r.detail)
        for r in audit_log.since(since, user_id=actor.user_id)
        if r.outcome == str(AuditOutcome.REFUSED)
    ]


@pytest.fixture
def shared(services, team, make_patient):
    """A patient with liaison consent and one liaison note by the GP and one by the SW."""
    patient_id = make_patient()
    services.consents.record(team.secretary, patient_id, "liaison", "given")
    gp_note = services.notes.add(team.gp, patient_id, "liaison", "Note du médecin.")
    sw_note = services.notes.add(team.social_worker, patient_id, "liaison", "Note de l'AS.")
    return patient_id, gp_note, sw_note


def test_messages_are_the_documented_ones():
    assert (LIAISON_HIDDEN, LIAISON_NO_WRITE) == (HIDDEN, NO_WRITE)


def test_with_consent_everyone_entitled_reads_every_liaison_note(services, team, shared):
    patient_id, *_ = shared
    for actor in (team.gp, team.gp2, team.social_worker, team.paramedical):
        texts = {n.text for n in services.notes.list(actor, patient_id, "liaison")}
        assert texts == {"Note du médecin.", "Note de l'AS."}


@pytest.mark.parametrize("decision", ["withdrawn", "refused"])
def test_withdrawal_hides_notes_at_once_except_from_their_author(
    services, team, shared, audit_log, decision
):
    patient_id, gp_note, sw_note = shared
    services.consents.record(team.secretary, patient_id, "liaison", decision)
    # Each author still reads their own note, without error, and only it.
    assert [n.id for n in services.notes.list(team.gp, patient_id, "liaison")] == [gp_note.id]
    assert [n.id for n in services.notes.list(team.social_worker, patient_id, "liaison")] == [
        sw_note.id
    ]
    # The others: a French refusal, audited, whatever exists.
    for actor in (team.gp2, team.paramedical):
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied) as info:
            services.notes.list(actor, patient_id, "liaison")
        assert info.value.message == HIDDEN
        assert _refused(audit_log, actor, since) == [
            ("read", patient_id, "liaison", "sans consentement actif")
        ]


def test_never_asked_is_not_shared_either(services, team, make_patient, audit_log, db_state):
    patient_id = make_patient()
    before, since = db_state(), audit_log.last_id()
    with pytest.raises(PermissionDenied) as info:
        services.notes.add(team.gp, patient_id, "liaison", "Sans accord du patient.")
    assert info.value.message == NO_WRITE
    assert _refused(audit_log, team.gp, since) == [
        ("create", patient_id, "liaison", "sans consentement actif")
    ]
    assert db_state() == before
    with pytest.raises(PermissionDenied) as info:
        services.notes.list(team.social_worker, patient_id, "liaison")
    assert info.value.message == HIDDEN


def test_without_consent_nobody_writes_or_edits_a_liaison_note(
    services, team, shared, audit_log, db_state
):
    patient_id, gp_note, _ = shared
    services.consents.record(team.gp, patient_id, "liaison", "withdrawn")
    before = db_state()
    for actor in (team.gp, team.social_worker):
        since = audit_log.last_id()
        with pytest.raises(PermissionDenied) as info:
            services.notes.add(actor, patient_id, "liaison", "Nouvelle note.")
        assert info.value.message == NO_WRITE
        assert _refused(audit_log, actor, since) == [
            ("create", patient_id, "liaison", "sans consentement actif")
        ]
    since = audit_log.last_id()
    with pytest.raises(PermissionDenied) as info:
        services.notes.edit(team.gp, gp_note.id, "Modifiée après le retrait.", gp_note.version)
    assert info.value.message == NO_WRITE
    assert _refused(audit_log, team.gp, since) == [
        ("update", patient_id, "liaison", "sans consentement actif")
    ]
    assert db_state() == before


def test_consent_given_again_shares_the_notes_again(services, team, shared):
    patient_id, *_ = shared
    services.consents.record(team.gp, patient_id, "liaison", "withdrawn")
    with pytest.raises(PermissionDenied):
        services.notes.list(team.gp2, patient_id, "liaison")
    services.consents.record(team.gp, patient_id, "liaison", "given", method="signed_form")
    assert len(services.notes.list(team.gp2, patient_id, "liaison")) == 2
    services.notes.add(team.gp2, patient_id, "liaison", "Reprise du partage.")


def test_other_compartments_do_not_depend_on_liaison_consent(services, team, make_patient):
    patient_id = make_patient()
    services.notes.add(team.gp, patient_id, "medical", "Examen clinique.")
    services.notes.add(team.social_worker, patient_id, "social", "Entretien.")
    assert len(services.notes.list(team.paramedical, patient_id, "medical")) == 1
    assert len(services.notes.list(team.social_worker, patient_id, "social")) == 1


def test_other_scopes_do_not_open_the_liaison(services, team, make_patient):
    patient_id = make_patient()
    services.consents.record(team.gp, patient_id, "referral_carsat", "given")
    with pytest.raises(PermissionDenied) as info:
        services.notes.add(team.gp, patient_id, "liaison", "Note.")
    assert info.value.message == NO_WRITE


def test_a_withdrawal_removes_liaison_notes_from_the_gps_export(services, team, shared, helpers):
    patient_id, *_ = shared
    services.consents.record(team.secretary, patient_id, "liaison", "withdrawn")
    export = services.documents.export_patient(team.gp2, patient_id, helpers.password)
    assert "liaison" not in [str(c) for c in export.included]
    assert b"Note du m" not in export.json


# ---- the consent read with the page (one statement) ----------------------------------------
def test_the_author_reading_without_consent_is_told_so_in_the_audit(
    services, team, shared, audit_log
):
    """The consent read in the page's own statement tells the audit why only one's own
    notes were shown, as it is told when no note is left (a page past the end)."""
    patient_id, gp_note, _ = shared
    services.consents.record(team.secretary, patient_id, "liaison", "withdrawn")
    since = audit_log.last_id()
    assert [n.id for n in services.notes.list(team.gp, patient_id, "liaison")] == [gp_note.id]
    page = services.notes.page(team.gp, patient_id, "liaison", offset=5, limit=10)
    assert (page.items, page.total) == ([], 1)
    assert [r.detail for r in audit_log.since(since, user_id=team.gp.user_id)] == [
        "1 note — sans consentement actif : les siennes",
        "0 note (à partir de la 6e) — sans consentement actif : les siennes",
    ]
    services.consents.record(team.secretary, patient_id, "liaison", "given")
    since = audit_log.last_id()
    assert len(services.notes.list(team.gp, patient_id, "liaison")) == 2
    assert [r.detail for r in audit_log.since(since, user_id=team.gp.user_id)] == ["2 notes"]


@pytest.mark.parametrize(
    "later",
    [(), ("withdrawn",), ("refused",), ("withdrawn", "given"), ("given", "refused")],
)
def test_the_pages_statement_agrees_with_consent_active(services, team, shared, database, later):
    """Every kind of liaison page (all notes, or one's own and those one edited last) selects,
    for every reader, the notes the rules select with ``consent_active``; another scope's or a
    partner's decision changes nothing."""
    from app.models.driver_rows import driver_rows
    from app.services.patient_file import note_pages
    from app.services.patient_file.consents import consent_active
    from app.services.patient_file.records import ConsentScope

    patient_id, gp_note, sw_note = shared
    # The GP's note edited last by the social worker: written by one, touched by the other.
    services.notes.edit(team.social_worker, gp_note.id, "Note du médecin, complétée.", 1)
    for decision in later:
        services.consents.record(team.secretary, patient_id, "liaison", decision)
    services.consents.record(team.secretary, patient_id, "referral_carsat", "given")
    notes = {gp_note.id: (team.gp.user_id, team.social_worker.user_id)}
    notes[sw_note.id] = (team.social_worker.user_id, team.social_worker.user_id)
    kinds = {note_pages.LIAISON_ALL: "all", note_pages.LIAISON_TOUCHED: "touched"}
    with database.session(write=False) as session:
        active = consent_active(session, patient_id, ConsentScope.LIAISON)
        assert active == (later[-1:] in ((), ("given",)))
        for kind, rule in kinds.items():
            for me in (team.gp.user_id, team.social_worker.user_id, team.gp2.user_id, None):
                params = {"patient": patient_id, "compartment": "liaison", "me": me}
                rows = driver_rows(session.connection(), note_pages.page_of(kind, None, 0), params)
                expected = {
                    note_id
                    for note_id, (author, editor) in notes.items()
                    if (me is not None and author == me)
                    or (active and (rule == "all" or (me is not None and editor == me)))
                }
                # Without a note to show, one row still tells the consent.
                assert {row[0] for row in rows} == (expected or {None}), (kind, me)
                assert len(rows) == max(1, len(expected))
                assert all(bool(row[-1]) is active for row in rows)
                count = note_pages.count_of(kind)
                assert session.connection().execute(count, params).scalar() == len(expected)


def test_the_consent_clause_refuses_the_partner_scope():
    from app.services.patient_file.consents import consent_clause

    with pytest.raises(ValueError):
        consent_clause("partner")
