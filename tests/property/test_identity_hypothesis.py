"""Hypothesis over the identity form: any input is either saved and read back as cleaned, or
refused with French messages — never another exception, never a partial save."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from suite_clock import TODAY

from app.clock import clinic_today
from app.models import AuditEntry, Patient, PatientToken
from app.services.kernel.errors import ValidationError
from app.services.patient_file.identity_checks import LIMITS
from app.services.patient_file.records import PatientInput

ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\ufeff"
# Every message is one French sentence naming the field ("Le NIR …", "La date …").
FRENCH_SENTENCE = re.compile(r"^(Le|La|Les|L'|Au|Une|Statut|Pièce)\b.+\.\)?$", re.DOTALL)

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
control_heavy = st.text(
    st.sampled_from(list("abcé -'\t\n\r\x00\x07\x1b\x7f\x85\u200b\u2028\ufeffŒœß́")), max_size=30
)
long_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=95, max_size=320)
real_names = st.sampled_from(
    ["Dupré", "Lefèvre-Durand", "N'Diaye", "Ærø", "Lœtitia", "Ångström", "李", "Ωmega", "O'Neil"]
)
names = st.one_of(real_names, any_text, control_heavy, long_text)


@st.composite
def birth_dates(draw):
    day = draw(st.integers(0, 32))
    month = draw(st.integers(0, 13))
    year = draw(st.integers(1880, 2030))
    sep = draw(st.sampled_from(["/", "-", ".", "/ "]))
    formatted = f"{day:02d}{sep}{month:02d}{sep}{year}"
    return draw(st.one_of(st.just(formatted), any_text, st.just(""), control_heavy))


@st.composite
def nirs(draw, sex: str, birth: str):
    body_sex = (
        draw(st.sampled_from(["1", "2", "3", "7", "8"]))
        if sex not in "MF"
        else ("1" if sex == "M" else "2")
    )
    try:
        born = datetime.strptime(birth.strip(), "%d/%m/%Y").date()
        yy, mm = f"{born.year % 100:02d}", f"{born.month:02d}"
    except ValueError:
        yy, mm = f"{draw(st.integers(0, 99)):02d}", f"{draw(st.integers(1, 12)):02d}"
    dept = draw(st.sampled_from(["75", "76", "2A", "2B", "97", "99"]))
    rest = f"{draw(st.integers(0, 999_999)):06d}"
    body = f"{body_sex}{yy}{mm}{dept}{rest}"
    number = int(body.replace("2A", "19").replace("2B", "18"))
    valid = f"{body}{97 - number % 97:02d}"
    spaced = " ".join([valid[0], valid[1:3], valid[3:5], valid[5:7], valid[7:13], valid[13:]])
    return draw(
        st.one_of(
            st.just(valid),
            st.just(spaced),
            st.just(valid.lower()),
            st.just(valid[:13] + f"{(int(valid[13:]) + 1) % 100:02d}"),
            st.text("0123456789 AB", max_size=18),
            any_text,
            st.just(""),
        )
    )


@st.composite
def identities(draw) -> PatientInput:
    sex = draw(st.sampled_from(["M", "F", "I", "X", ""]))
    birth = draw(birth_dates())
    return PatientInput(
        birth_name=draw(names),
        first_names=draw(names),
        used_name=draw(st.one_of(st.just(""), names)),
        sex=sex,
        birth_date=birth,
        nir=draw(nirs(sex, birth)),
        birth_place_code=draw(
            st.one_of(st.just(""), st.sampled_from(["76540", "2A004"]), any_text)
        ),
        phone=draw(st.one_of(st.just(""), st.just("02 35 00 00 00"), any_text)),
        email=draw(st.one_of(st.just(""), st.just("a.b@exemple.fr"), any_text)),
        address=draw(st.one_of(st.just(""), any_text, long_text)),
        postal_code=draw(st.one_of(st.just(""), st.just("76000"), any_text)),
        city=draw(st.one_of(st.just(""), names)),
    )


@st.composite
def plausible_identities(draw) -> PatientInput:
    """Valid sex, birth date and NIR; the free-text fields are anything at all."""
    sex = draw(st.sampled_from(["M", "F", "I"]))
    born = draw(st.dates(date(1890, 1, 1), TODAY))
    birth = born.strftime(draw(st.sampled_from(["%d/%m/%Y", " %d-%m-%Y ", "%d.%m.%Y"])))
    nir = draw(st.one_of(st.just(""), nirs(sex if sex != "I" else "M", born.strftime("%d/%m/%Y"))))
    if sex == "I" or not nir[:1].isdigit() or nir[:1] not in "12":
        nir = ""
    return PatientInput(
        birth_name=draw(names),
        first_names=draw(names),
        used_name=draw(st.one_of(st.just(""), names)),
        sex=sex,
        birth_date=birth,
        nir=nir,
        address=draw(st.one_of(st.just(""), any_text, long_text, control_heavy)),
        city=draw(st.one_of(st.just(""), names)),
        phone=draw(st.sampled_from(["", "02 35 00 00 00", "+33 6 12 34 56 78"])),
        postal_code=draw(st.sampled_from(["", "76000", "2A004"])),
    )


def cleaned(raw: str) -> str:
    """The documented cleaning of one-line fields, written independently of the service."""
    text = unicodedata.normalize("NFC", raw)
    kept = []
    for ch in text:
        if ch in "\t\r\n":
            kept.append(" ")
        elif unicodedata.category(ch) == "Cc" or ch in ZERO_WIDTH:
            continue
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def _counts(database) -> tuple[int, int, int]:
    with database.sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Patient, PatientToken, AuditEntry)
        )


SETTINGS = settings(
    max_examples=70,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=identities())
def test_any_identity_input_is_saved_cleanly_or_refused_in_french(services, team, database, data):
    check_identity(services, team, database, data)


@SETTINGS
@given(data=plausible_identities())
def test_names_and_free_text_with_any_unicode(services, team, database, data):
    check_identity(services, team, database, data)


def check_identity(services, team, database, data: PatientInput) -> None:
    assert clinic_today(services.clock) == TODAY
    patients, tokens, audits = _counts(database)
    try:
        record = services.patients.create(team.secretary, data, confirm_duplicate=True)
    except ValidationError as refusal:
        event("refused: " + ", ".join(sorted(refusal.fields)))
        assert refusal.fields
        assert refusal.message.startswith("Certaines informations sont incorrectes")
        for field, message in refusal.fields.items():
            assert hasattr(data, field)
            assert FRENCH_SENTENCE.match(message), message
        assert _counts(database) == (patients, tokens, audits)
        return

    event("saved")
    back = services.patients.get(team.gp, record.id, audit_open=False)
    assert back == record
    for field in LIMITS:
        expected = cleaned(getattr(data, field))
        assert getattr(back, field) == expected, field
        assert len(expected) <= LIMITS[field]
    assert back.birth_name and back.first_names
    assert str(back.sex) == data.sex
    assert (
        back.birth_date
        == datetime.strptime(
            re.sub(r"[-.]", "/", data.birth_date.replace(" ", "")), "%d/%m/%Y"
        ).date()
    )
    assert date(1890, 1, 1) <= back.birth_date <= TODAY
    expected_nir = re.sub(r"[ .]", "", cleaned(data.nir)).upper() or None
    assert back.nir == expected_nir
    new_patients, new_tokens, new_audits = _counts(database)
    assert new_patients == patients + 1
    assert new_tokens > tokens
    assert new_audits == audits + 1
