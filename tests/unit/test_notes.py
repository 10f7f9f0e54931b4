"""Compartment notes: add, list, edit, bad text, edit conflicts, storage through the codec."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.models import Note
from app.models.enums import Compartment
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.patient_file.notes import MAX_NOTE_LENGTH
from app.services.security.codec import PLAIN_TAG, SEALED_TAG, UnreadableContent, note_context

WRITERS = {"medical": "gp", "social": "social_worker", "liaison": "social_worker"}


def _raw_content(database, note_id: int) -> bytes:
    with database.sessions() as session:
        return session.scalar(select(Note.content).where(Note.id == note_id))


@pytest.mark.parametrize("compartment", ["medical", "social", "liaison"])
def test_add_list_edit_in_each_compartment(
    services, team, make_patient, liaison_consent, clock, compartment
):
    patient_id = make_patient()
    liaison_consent(patient_id)
    writer = getattr(team, WRITERS[compartment])
    first = services.notes.add(writer, patient_id, compartment, "Premier entretien.")
    clock.advance(hours=1)
    second = services.notes.add(writer, patient_id, Compartment(compartment), "Suivi à J+7.")
    assert (first.author_name, first.compartment, first.version) == (
        writer.display_name,
        Compartment(compartment),
        1,
    )
    assert second.created_at > first.created_at
    listed = services.notes.list(writer, patient_id, compartment)
    assert [n.text for n in listed] == ["Suivi à J+7.", "Premier entretien."]
    assert all(n.can_edit for n in listed)
    clock.advance(minutes=5)
    edited = services.notes.edit(writer, first.id, "Premier entretien (complété).", first.version)
    assert edited.version == first.version + 1
    assert edited.updated_at == clock() and edited.created_at == first.created_at
    listed = services.notes.list(writer, patient_id, compartment)
    assert [n.text for n in listed] == ["Suivi à J+7.", "Premier entretien (complété)."]


def test_notes_stay_in_their_patient_and_compartment(services, team, make_patient, liaison_consent):
    a, b = make_patient("Alpha", "Anne", sex="F"), make_patient("Bravo", "Bruno")
    liaison_consent(a)
    liaison_consent(b)
    services.notes.add(team.gp, a, "medical", "Note médicale de A.")
    services.notes.add(team.gp, a, "liaison", "Note de liaison de A.")
    services.notes.add(team.gp, b, "medical", "Note médicale de B.")
    assert [n.text for n in services.notes.list(team.gp, a, "medical")] == ["Note médicale de A."]
    assert [n.text for n in services.notes.list(team.gp, a, "liaison")] == ["Note de liaison de A."]
    assert [n.text for n in services.notes.list(team.gp, b, "liaison")] == []


def test_other_professionals_edit_and_the_editor_is_kept(
    services, team, make_patient, liaison_consent
):
    patient_id = make_patient()
    liaison_consent(patient_id)
    note = services.notes.add(team.gp, patient_id, "liaison", "Demande d'aide à domicile.")
    edited = services.notes.edit(team.social_worker, note.id, "Dossier APA envoyé.", note.version)
    assert edited.author_name == "Paul Durand"
    assert edited.updated_by_name == "Sophie Moreau"


def test_administrative_compartment_holds_no_notes(services, team, make_patient, db_state):
    patient_id = make_patient()
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.notes.add(team.gp, patient_id, "administrative", "Texte.")
    assert info.value.fields == {"compartment": "Ce volet ne contient pas de notes."}
    with pytest.raises(ValueError):
        services.notes.add(team.gp, patient_id, "inconnu", "Texte.")
    assert db_state() == before


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\x00\x01\u200b", "\r\n"])
def test_empty_notes_are_refused(services, team, make_patient, db_state, text):
    patient_id = make_patient()
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.notes.add(team.gp, patient_id, "medical", text)
    assert info.value.fields == {"text": "La note est vide."}
    assert db_state() == before


def test_huge_notes_are_refused_at_the_limit(services, team, make_patient, db_state):
    patient_id = make_patient()
    longest = "é" * MAX_NOTE_LENGTH
    assert services.notes.add(team.gp, patient_id, "medical", longest).text == longest
    before = db_state()
    with pytest.raises(ValidationError) as info:
        services.notes.add(team.gp, patient_id, "medical", longest + "e")
    assert info.value.fields == {"text": "La note est trop longue (100 000 caractères au plus)."}
    with pytest.raises(ValidationError):
        services.notes.add(team.gp, patient_id, "medical", "x" * 5_000_000)
    assert db_state() == before


def test_control_characters_are_removed_and_lines_kept(services, team, make_patient):
    patient_id = make_patient()
    note = services.notes.add(
        team.gp, patient_id, "medical", "  Ligne 1\r\nLigne\x00 2\x1b[0m\n\tretrait\u200b  "
    )
    assert note.text == "Ligne 1\nLigne 2[0m\n    retrait"
    assert services.notes.list(team.gp, patient_id, "medical")[0].text == note.text


def test_any_unicode_text_round_trips(services, team, make_patient):
    patient_id = make_patient()
    text = "Œdème, ½ cp, 37,5 °C — « ça va » ✓ 😀 漢字 עברית\nfin"
    note = services.notes.add(team.gp, patient_id, "medical", text)
    assert services.notes.list(team.gp2, patient_id, "medical")[0].text == text == note.text


def test_edit_conflict_keeps_both_versions_and_overwrites_nothing(
    services, team, make_patient, audit_log, database
):
    patient_id = make_patient()
    note = services.notes.add(team.gp, patient_id, "medical", "Texte d'origine.")
    seen_by_gp2 = services.notes.list(team.gp2, patient_id, "medical")[0]
    saved = services.notes.edit(team.gp, note.id, "Version du Dr Durand.", note.version)
    raw_after_first_save = _raw_content(database, note.id)
    since = audit_log.last_id()
    with pytest.raises(ConflictError) as info:
        services.notes.edit(team.gp2, note.id, "Version du Dr Lefèvre.", seen_by_gp2.version)
    conflict = info.value
    assert conflict.mine == "Version du Dr Lefèvre."
    assert conflict.theirs == "Version du Dr Durand."
    assert conflict.theirs_by == "Paul Durand"
    assert conflict.extra["note"].version == saved.version
    assert conflict.message.startswith("Cette note : quelqu'un d'autre (Paul Durand)")
    assert _raw_content(database, note.id) == raw_after_first_save
    (listed,) = services.notes.list(team.gp, patient_id, "medical")
    assert (listed.text, listed.version) == ("Version du Dr Durand.", saved.version)
    entry = audit_log.since(since, action="conflict")
    assert [(e.user_id, e.object_id) for e in entry] == [(team.gp2.user_id, note.id)]
    # With the fresh version, the second author can save their text.
    again = services.notes.edit(team.gp2, note.id, "Version du Dr Lefèvre.", listed.version)
    assert again.text == "Version du Dr Lefèvre."


def test_edit_of_a_missing_note(services, team):
    with pytest.raises(NotFound) as info:
        services.notes.edit(team.gp, 12345, "Texte.", 1)
    assert info.value.message == "Cette note n'existe plus."


def test_notes_of_a_missing_patient(services, team):
    with pytest.raises(NotFound):
        services.notes.add(team.gp, 12345, "medical", "Texte.")
    with pytest.raises(NotFound):
        services.notes.list(team.gp, 12345, "medical")


def test_refused_edit_does_not_reveal_the_note(services, team, make_patient):
    patient_id = make_patient()
    note = services.notes.add(team.social_worker, patient_id, "social", "Situation de dette.")
    with pytest.raises(PermissionDenied) as info:
        services.notes.edit(team.gp, note.id, "x", note.version)
    assert "dette" not in info.value.message


def test_content_is_stored_through_the_codec(services, team, make_patient, database):
    """Notes are stored sealed (``E1:``) under the compartment key, bound to their patient."""
    patient_id = make_patient()
    text = "Contenu confidentiel 4f2a."
    note = services.notes.add(team.gp, patient_id, "medical", text)
    raw = _raw_content(database, note.id)
    assert raw.startswith(SEALED_TAG) and not raw.startswith(PLAIN_TAG)
    assert text.encode() not in raw
    context = note_context(patient_id)
    assert services.codec.open(team.gp, Compartment.MEDICAL, raw, context=context) == text
    # The associated data names the patient: without it (or with another one) it does not open.
    with pytest.raises(UnreadableContent):
        services.codec.open(team.gp, Compartment.MEDICAL, raw)
    with pytest.raises(UnreadableContent):
        services.codec.open(team.gp, Compartment.MEDICAL, raw, context=note_context(patient_id + 1))


def test_tampered_content_is_reported_not_shown(services, team, make_patient, database):
    patient_id = make_patient()
    note = services.notes.add(team.gp, patient_id, "medical", "Texte.")
    with database.session() as session:
        session.execute(update(Note).where(Note.id == note.id).values(content=b"\xff\xfe brut"))
    with pytest.raises(UnreadableContent) as info:
        services.notes.list(team.gp, patient_id, "medical")
    assert info.value.message.startswith("Ce contenu est illisible ou a été altéré")
