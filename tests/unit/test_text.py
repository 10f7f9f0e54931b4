"""Characters that cannot be stored (issue 10 §6): lone surrogates become « � » in free text,
are refused in identities, and never reach the database or the content codec."""

from __future__ import annotations

import pytest

from app.services.kernel.errors import ValidationError
from app.services.kernel.text import clean_line, clean_text, encodable, has_unencodable, search_key
from app.services.kernel.validation import unencodable_error
from app.services.security.codec import ContentCodec
from app.services.security.passwords import password_problem


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Dupré", "Dupré"),
        ("a\ud800b", "a\ufffdb"),
        ("\udfff", "\ufffd"),
        ("\ud83d\ude00", "\U0001f600"),  # a pair split in two code points: joined back
        ("\ude00\ud83d", "\ufffd\ufffd"),  # the wrong way round: two broken halves
        ("x\ud83d\ude00\ud83d", "x\U0001f600\ufffd"),
    ],
)
def test_free_text_keeps_what_can_be_kept(raw, stored):
    assert has_unencodable(raw) == (raw != stored)
    assert encodable(raw) == stored
    assert clean_line(raw) == stored
    assert clean_text(raw) == stored
    stored.encode("utf-8")


def test_cleaning_keeps_the_lines_of_free_text_and_joins_one_line_fields():
    assert clean_text(" Ligne 1\ud800\r\nLigne 2 ") == "Ligne 1\ufffd\nLigne 2"
    assert clean_line(" Ligne 1\ud800\r\nLigne 2 ") == "Ligne 1\ufffd Ligne 2"
    assert search_key("Dupr\ud800é") == search_key("Dupr\ufffdé")


def test_identities_refuse_in_french_and_name_the_field():
    assert unencodable_error("Dupré", "Le nom de naissance") is None
    assert unencodable_error("Dupr\ud800", "Le nom de naissance") == (
        "Le nom de naissance contient un caractère illisible, qui ne peut pas être enregistré "
        "(copier-coller abîmé ?) : retapez-le."
    )
    assert password_problem("un-mot-de-passe-\udfff-assez-long").startswith(
        "Le mot de passe contient un caractère illisible"
    )


def test_the_codec_never_raises_an_encoding_error(team):
    codec = ContentCodec()
    with pytest.raises(ValidationError) as info:
        codec.seal(team.gp, "medical", "Texte \ud800 abîmé", context="patient:1")
    assert info.value.fields["text"].startswith("Le texte contient un caractère illisible")
    sealed = codec.seal(team.gp, "medical", clean_text("Texte \ud800 abîmé"), context="patient:1")
    assert codec.open(team.gp, "medical", sealed, context="patient:1") == "Texte \ufffd abîmé"
