"""Hypothesis over every text a service takes (issue 10 §6), across the whole Unicode range —
lone surrogates (category Cs) included, and often: each call either saves and reads back the
cleaned text (free text: each broken character shown as « � »), or raises ``ValidationError``
with French messages (identities and identifiers refuse what cannot be stored) — never another
exception (``UnicodeEncodeError`` was one), never a partial save.

The expected cleaning is written here independently of ``app.services.kernel.text``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from suite_clock import TODAY, next_weekday

from app.models import Base
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.home_care.records import DischargePlanInput, FollowUpInput, HomeCareInput
from app.services.home_care.rules import CareKind, Frequency, FrequencyPeriod, follow_up_label
from app.services.kernel.errors import AuthenticationError, NotFound, RelaisError, ValidationError
from app.services.partners.records import PartnerContactInput, PartnerInput
from app.services.patient_file.records import ConsentScope, PatientInput
from app.services.referrals.records import ReferralInput, ReferralReason
from app.services.scheduling.records import SessionInput
from app.services.social.records import ActionKind, AssessmentInput, SocialActionInput

# ---- strategies ------------------------------------------------------------------------------

SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ANY_CHARACTER = st.characters(exclude_categories=())  # every category, Cs included
PLAIN = st.sampled_from(list("aéZ -'.\n\t\r€ŒœßİΣ李😀"))
hostile = st.text(st.one_of(ANY_CHARACTER, SURROGATE, PLAIN), max_size=40)
# A readable word, a surrogate pair split in two code points, or a lone half inside it.
pieces = st.one_of(
    st.sampled_from(["Dupré", "Lefèvre", "N'Diaye", "Ærø", "李", "Ωmega", " ", "\n"]),
    st.sampled_from(["\ud83d\ude00", "\ud83d", "\ude00", "\udfff", "\ud800"]),
    hostile,
)
texts = st.one_of(hostile, st.lists(pieces, max_size=6).map("".join))

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---- the expected cleaning, written independently ----------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\ufeff"


def storable(raw: str) -> str:
    """Surrogate pairs joined into their character, any other surrogate as U+FFFD."""
    out, i = [], 0
    while i < len(raw):
        c = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if "\ud800" <= c <= "\udbff" and "\udc00" <= nxt <= "\udfff":
            out.append(chr(0x10000 + ((ord(c) - 0xD800) << 10) + (ord(nxt) - 0xDC00)))
            i += 2
            continue
        out.append("\ufffd" if "\ud800" <= c <= "\udfff" else c)
        i += 1
    return "".join(out)


def _drop_controls(value: str, keep: str = "") -> str:
    return "".join(
        c for c in value if c in keep or not (unicodedata.category(c) == "Cc" or c in ZERO_WIDTH)
    )


def expected_line(raw: str) -> str:
    value = unicodedata.normalize("NFC", storable(raw))
    value = value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return " ".join(_drop_controls(value).split())


def expected_text(raw: str) -> str:
    value = unicodedata.normalize("NFC", storable(raw))
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _drop_controls(value, keep="\n").strip()


def has_surrogate(value: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in value)


# ---- « saved and read back, or refused in French, nothing half-saved » ------------------------


def _snapshot(database, *tables: str) -> tuple:
    """Every table's row count, and every row of ``tables`` (records an update may touch)."""
    names = [t.name for t in Base.metadata.sorted_tables]
    counts = " , ".join(f'(SELECT count(*) FROM "{n}")' for n in names)
    with database.engine.connect() as conn:
        snapshot = [tuple(conn.execute(text(f"SELECT {counts}")).one())]
        for name in tables:
            table = Base.metadata.tables[name]
            snapshot.append(sorted(map(tuple, conn.execute(select(table)).all()), key=repr))
    return tuple(snapshot)


def attempt(database, call, *tables: str):
    """``call()``'s result, or None when it was refused with a French ``ValidationError`` (then
    nothing at all was written)."""
    before = _snapshot(database, *tables)
    try:
        result = call()
    except ValidationError as refusal:
        event("refused: " + ", ".join(sorted(map(str, refusal.fields))))
        assert refusal.fields
        assert refusal.message.startswith("Certaines informations sont incorrectes")
        for message in refusal.fields.values():
            message.encode("utf-8")  # shown as is: nothing unencodable in it
            assert message[:1].isupper() or message[:1] == "«", message
            assert message.rstrip(" »)").endswith((".", "?")), message
        assert _snapshot(database, *tables) == before
        return None
    except RelaisError as other:  # a French refusal for another reason (state, rights…)
        raise AssertionError(f"unexpected {type(other).__name__}: {other.message}") from other
    event("saved")
    return result


def assert_clean(*values: str) -> None:
    for value in values:
        assert not has_surrogate(value), ascii(value)
        value.encode("utf-8")


# ---- notes -------------------------------------------------------------------------------------


@pytest.fixture
def patient(make_patient, liaison_consent):
    patient_id = make_patient("Texte", "Libre")
    liaison_consent(patient_id)
    return patient_id


@SETTINGS
@given(first=texts, second=texts)
def test_notes(services, team, database, patient, first, second):
    added = attempt(
        database, lambda: services.notes.add(team.gp, patient, "medical", first), "note"
    )
    if added is None:
        assert expected_text(first) == ""
        return
    assert added.text == expected_text(first)
    edited = attempt(
        database,
        lambda: services.notes.edit(team.gp, added.id, second, added.version),
        "note",
        "patient",
    )
    (back,) = [n for n in services.notes.list(team.gp, patient, "medical") if n.id == added.id]
    assert back.text == (expected_text(second) if edited else expected_text(first))
    assert_clean(back.text)


# ---- referrals: message, feedback, outcome, reorientation and cancellation reasons ----------


@pytest.fixture
def cnam(services, team):
    return services.partners.create(team.secretary, PartnerInput("CPAM de Rouen", "cpam"))


def _received(services, team, patient, message: str = "Bonjour.") -> int:
    view = services.referrals.create(
        team.gp,
        ReferralInput(
            patient, ReferralReason.HOUSING, message=message, receiver_id=team.social_worker.user_id
        ),
    )
    services.referrals.send(team.gp, view.id, patient_agrees=True)
    services.referrals.acknowledge(team.social_worker, view.id)
    return view.id


@SETTINGS
@given(message=texts, feedback=texts, outcome=texts)
def test_referral_message_feedback_and_outcome(
    services, team, database, patient, message, feedback, outcome
):
    created = attempt(
        database,
        lambda: services.referrals.create(
            team.gp,
            ReferralInput(
                patient,
                ReferralReason.HOUSING,
                message=message,
                receiver_id=team.social_worker.user_id,
            ),
        ),
    )
    assert created is not None  # the message is optional: never refused for its characters
    assert services.referrals.get(team.gp, created.id).message == expected_text(message)
    rid = _received(services, team, patient)
    if attempt(
        database,
        lambda: services.referrals.send_feedback(team.social_worker, rid, feedback),
        "referral",
    ):
        back = services.referrals.get(team.gp, rid)
        assert back.feedback == expected_text(feedback)
    closed = attempt(
        database,
        lambda: services.referrals.close(team.social_worker, rid, outcome=outcome),
        "referral",
    )
    back = services.referrals.get(team.gp, rid)
    assert back.outcome == (expected_line(outcome) if closed else "")
    assert_clean(back.message, back.feedback or "", back.outcome)


@SETTINGS
@given(reason=texts, cancel_reason=texts)
def test_referral_reorientation_and_cancellation_reasons(
    services, team, database, patient, cnam, reason, cancel_reason
):
    rid = _received(services, team, patient)
    if attempt(
        database,
        lambda: services.referrals.reorient(
            team.social_worker, rid, partner_id=cnam.id, reason=reason
        ),
        "referral",
    ):
        back = services.referrals.get(team.gp, rid)
        assert back.reorientation_reason == expected_text(reason)
    draft = services.referrals.create(
        team.gp,
        ReferralInput(patient, ReferralReason.HOUSING, receiver_id=team.social_worker.user_id),
    )
    attempt(database, lambda: services.referrals.cancel(team.gp, draft.id, cancel_reason))
    back = services.referrals.get(team.gp, draft.id)
    assert back.cancel_reason == expected_text(cancel_reason)[:2_000]
    assert_clean(back.cancel_reason)


# ---- social assessment and action plan ---------------------------------------------------------


@SETTINGS
@given(employer=texts, representative=texts, comment=texts, detail=texts, day=texts)
def test_social_assessment_and_actions(
    services, team, database, patient, employer, representative, comment, detail, day
):
    consult = services.consultations
    latest = consult.assessment(team.social_worker, patient)
    data = AssessmentInput(
        values={
            "work": {"employer": employer, "sick_leave_since": day},
            "protection": {"representative": representative},
        },
        texts={"housing": comment},
    )
    saved = attempt(
        database,
        lambda: consult.save_assessment(
            team.social_worker, patient, data, based_on=latest.id if latest else None
        ),
        "social_assessment",
    )
    if saved is not None:
        back = consult.assessment(team.social_worker, patient)
        assert back.value("work", "employer") == expected_line(employer)
        assert back.value("protection", "representative") == expected_line(representative)
        assert back.texts.get("housing", "") == expected_text(comment)
        assert_clean(*back.texts.values())
    action = attempt(
        database,
        lambda: consult.add_action(
            team.social_worker, patient, SocialActionInput(ActionKind.APA, detail=detail)
        ),
    )
    if action is not None:
        assert action.detail == expected_text(detail)
        again = attempt(
            database,
            lambda: consult.update_action(
                team.social_worker,
                action.id,
                SocialActionInput(ActionKind.APA, detail=detail + representative),
                expected_version=action.version,
            ),
            "social_action",
        )
        if again is not None:
            assert again.detail == expected_text(detail + representative)
            assert_clean(again.detail)


# ---- patients: identity refused, free text kept -----------------------------------------------

STRICT = ("birth_name", "used_name", "first_names", "phone", "email", "postal_code")


@SETTINGS
@given(
    birth_name=st.one_of(texts, st.just("Dupré-Lœuvre")),
    first_names=st.one_of(texts, st.just("Jeanne Marie")),
    used_name=st.one_of(st.just(""), texts),
    nir=st.one_of(st.just(""), st.just("2 50 02 76 540 123 59"), texts),
    place=st.one_of(st.just(""), st.just("76540"), texts),
    address=texts,
    city=texts,
    email=st.one_of(st.just(""), texts),
    gp_other=texts,
)
def test_patient_identity_and_contact(
    services,
    team,
    database,
    birth_name,
    first_names,
    used_name,
    nir,
    place,
    address,
    city,
    email,
    gp_other,
):
    data = PatientInput(
        birth_name=birth_name,
        first_names=first_names,
        used_name=used_name,
        sex="F",
        birth_date="01/02/1950",
        nir=nir,
        birth_place_code=place,
        address=address[:300],
        city=city[:100],
        email=email,
        attending_gp_other=gp_other,
    )
    record = attempt(
        database,
        lambda: services.patients.create(team.secretary, data, confirm_duplicate=True),
        "patient",
    )
    unstorable = [
        name for name in (*STRICT, "nir", "birth_place_code") if has_surrogate(getattr(data, name))
    ]
    if record is None:
        return
    assert unstorable == []  # identities with a broken character are never saved
    back = services.patients.get(team.secretary, record.id, audit_open=False)
    assert back.birth_name == expected_line(birth_name)
    assert back.first_names == expected_line(first_names)
    assert back.address == expected_line(address[:300])
    assert back.city == expected_line(city[:100])
    assert back.attending_gp_other == expected_line(gp_other)
    assert_clean(back.birth_name, back.used_name, back.first_names, back.address, back.city)
    # An update with the same kind of input behaves the same way.
    update = PatientInput(**{**data.__dict__, "used_name": nir, "city": address[:100]})
    attempt(
        database,
        lambda: services.patients.update(team.secretary, record.id, update, back.version),
        "patient",
        "patient_token",
    )


def test_a_lone_surrogate_in_a_name_is_refused_in_french(services, team, database):
    before = _snapshot(database, "patient")
    with pytest.raises(ValidationError) as info:
        services.patients.create(
            team.secretary, PatientInput("Dupr\ud800", "Jeanne", "F", "01/02/1950")
        )
    assert info.value.fields == {
        "birth_name": "Le nom de naissance contient un caractère illisible, qui ne peut pas "
        "être enregistré (copier-coller abîmé ?) : retapez-le."
    }
    assert _snapshot(database, "patient") == before


# ---- partners and contacts ---------------------------------------------------------------------


@SETTINGS
@given(
    name=st.one_of(texts, st.just("CCAS de Rouen")),
    service=texts,
    address=texts,
    communes=texts,
    handles=texts,
    title=texts,
    email=st.one_of(st.just(""), texts),
)
def test_partners_and_contacts(
    services, team, database, name, service, address, communes, handles, title, email
):
    partner = attempt(
        database,
        lambda: services.partners.create(
            team.secretary,
            PartnerInput(
                name,
                "ccas",
                service=service,
                address=address,
                email=email,
                communes=communes,
                handles=handles,
            ),
        ),
    )
    if partner is None:
        return
    assert not has_surrogate(name) and not has_surrogate(email)
    back = services.partners.get(team.gp, partner.id)
    assert back.name == expected_line(name)
    assert back.service == expected_line(service)
    assert back.handles == expected_text(handles)
    assert_clean(back.name, back.service, back.address, back.handles, *back.communes)
    contact = attempt(
        database,
        lambda: services.partners.add_contact(
            team.secretary, partner.id, PartnerContactInput(name, title)
        ),
    )
    if contact is not None:
        assert contact.title == expected_line(title)
        assert_clean(contact.name, contact.title)
    attempt(
        database,
        lambda: services.partners.update(
            team.social_worker,
            partner.id,
            PartnerInput(title or "Nom", "ccas", service=name, handles=address),
            back.version,
        ),
        "partner",
    )


# ---- home care and discharge -------------------------------------------------------------------


def _rpps() -> str:
    from stdnum import luhn

    body = "1000000001"
    return body + luhn.calc_check_digit(body)


@SETTINGS
@given(
    detail=texts,
    prescriber=st.one_of(texts, st.just("Dr Paul Durand")),
    address=texts,
    door=texts,
    floor=texts,
    access=texts,
    hospital=texts,
    ward=texts,
    reason=texts,
)
def test_home_care_texts(
    services,
    team,
    database,
    patient,
    detail,
    prescriber,
    address,
    door,
    floor,
    access,
    hospital,
    ward,
    reason,
):
    data = HomeCareInput(
        patient_id=patient,
        care_kind=CareKind.NURSE,
        acts=("dressing",),
        start_date=TODAY + timedelta(days=5),
        frequency=Frequency(1, FrequencyPeriod.DAY),
        care_detail=detail,
        prescriber_name=prescriber,
        prescriber_rpps=_rpps(),
        address=address,
        door_code=door[:30],
        floor=floor[:30],
        access_notes=access,
        hospital=hospital,
        ward=ward[:120],
    )
    created = attempt(database, lambda: services.home_care.create(team.gp, data))
    if created is None:
        return
    back = services.home_care.get(team.gp, created.id)
    assert back.care_detail == expected_text(detail)
    assert back.prescriber_name == expected_line(prescriber)
    assert back.access_notes == expected_line(access)
    assert_clean(
        back.care_detail,
        back.prescriber_name,
        back.address,
        back.door_code,
        back.floor,
        back.access_notes,
        back.hospital,
        back.ward,
    )
    cancelled = attempt(
        database,
        lambda: services.home_care.cancel(
            team.gp, created.id, reason, expected_version=back.version
        ),
        "home_care_request",
    )
    if cancelled is not None:
        assert_clean(*(e.detail for e in cancelled.events))


@SETTINGS
@given(
    hospital=texts,
    ward=texts,
    detail=texts,
    child_care=texts,
    comments=texts,
    equipment=st.lists(texts, max_size=3),
    label=texts,
)
def test_discharge_plan_texts(
    services,
    team,
    database,
    patient,
    hospital,
    ward,
    detail,
    child_care,
    comments,
    equipment,
    label,
):
    target = TODAY + timedelta(days=3)
    data = DischargePlanInput(
        patient_id=patient,
        target_date=target,
        hospital=hospital,
        ward=ward[:120],
        destination_detail=detail,
        child_care=child_care,
        equipment=tuple(equipment),
        comments=comments,
        follow_ups=(FollowUpInput(target + timedelta(days=7), label),),
    )
    plan = attempt(database, lambda: services.discharge.create(team.social_worker, data))
    if plan is None:
        return
    back = services.discharge.get(team.gp, plan.id)
    assert back.child_care == expected_text(child_care)
    assert back.comments == expected_text(comments)
    assert back.destination_detail == expected_line(detail)
    assert [f.label for f in back.follow_ups] == [expected_line(label)[:200] or follow_up_label(7)]
    assert back.equipment == tuple(
        dict.fromkeys(e for e in (expected_line(x)[:100] for x in equipment) if e)
    )
    assert_clean(
        back.hospital,
        back.ward,
        back.destination_detail,
        back.child_care,
        back.comments,
        *back.equipment,
        *(f.label for f in back.follow_ups),
    )


# ---- consents: the decision day typed as text --------------------------------------------------


@SETTINGS
@given(day=texts)
def test_consent_decision_day_as_text(services, team, database, make_patient, day):
    patient_id = make_patient("Consent", "Texte")
    attempt(
        database,
        lambda: services.consents.record(
            team.secretary, patient_id, ConsentScope.LIAISON, "given", decided_on=day
        ),
        "consent",
    )


# ---- scheduling: session fields, exception and cancellation reasons, waiting list ------------


@SETTINGS
@given(label=texts, place=texts, room=texts, reason=texts, preferences=texts)
def test_scheduling_texts(
    services, team, database, patient, label, place, room, reason, preferences
):
    sched = services.scheduling
    first = next_weekday(1)
    data = SessionInput(
        professional_id=team.social_worker.user_id,
        label=label[:100],
        place=place[:100],
        room=room[:30],
        weekday=1,
        opens=time(9),
        closes=time(10),
        slot_minutes=30,
        every_weeks=1,
        first_date=first,
    )
    created = attempt(database, lambda: sched.create_session(team.coordinator, data))
    if created is not None:
        assert_clean(created.label, created.place, created.room)
        assert created.place == expected_line(place[:100])
        day = first + timedelta(weeks=1)
        cancelled = attempt(
            database,
            lambda: sched.cancel_day(team.coordinator, created.id, day, reason),
            "consultation_session",
        )
        if cancelled is not None:
            assert_clean(*(e.reason for e in cancelled.exceptions))
        latest = cancelled or created
        sched.deactivate_session(team.coordinator, created.id, expected_version=latest.version)
    entry = attempt(
        database,
        lambda: sched.add_to_waiting_list(
            team.secretary,
            patient_id=patient,
            professional_id=team.social_worker.user_id,
            preferences=preferences,
        ),
    )
    if entry is not None:
        assert entry.preferences == expected_line(preferences)[: len(entry.preferences)]
        assert_clean(entry.preferences)
        sched.remove_from_waiting_list(team.secretary, entry.id)


# ---- accounts and clinic settings -------------------------------------------------------------

_accounts = iter(range(1, 1_000_000))


@SETTINGS
@given(first=st.one_of(texts, st.just("Anne")), last=st.one_of(texts, st.just("Martin")))
def test_account_names(services, team, database, helpers, first, last):
    username = f"compte.{next(_accounts)}"
    user = attempt(
        database,
        lambda: services.accounts.create_user(
            team.coordinator,
            UserInput(username, first, last, Role.SECRETARY, Profession.SECRETARY),
            helpers.password,
            must_change=False,
        ),
    )
    if user is None:
        return
    assert not has_surrogate(first + last)
    assert (user.first_name, user.last_name) == (
        expected_line(first)[:100],
        expected_line(last)[:100],
    )


@SETTINGS
@given(name=st.one_of(texts, st.just("MSP des Tilleuls")), address=texts, backup_dir=texts)
def test_clinic_settings(services, team, database, name, address, backup_dir):
    current = services.clinic.settings(team.coordinator)
    data = replace(current.as_input(), name=name, address=address, backup_dir=backup_dir)
    saved = attempt(
        database, lambda: services.clinic.update(team.coordinator, data, current.version), "clinic"
    )
    if saved is None:
        return
    assert not has_surrogate(backup_dir)
    assert saved.name == expected_line(name)[:200]
    assert_clean(saved.name, saved.address, saved.backup_dir)


# ---- searching and signing in with any text -----------------------------------------------------


@SETTINGS
@given(query=texts, username=texts, password=texts)
def test_search_and_sign_in_with_any_text(services, team, database, query, username, password):
    """Read-only entry points find nothing or something; signing in with text no account can
    have is « identifiant ou mot de passe incorrect » (audited), never an encoding error."""
    for result in (
        services.patients.search(team.secretary, query),
        services.partners.list(team.gp, query=query, commune=username),
    ):
        assert result is not None
    with pytest.raises(AuthenticationError):
        services.auth.login(username or "?", password)
    with pytest.raises(AuthenticationError):
        services.auth.reauthenticate(team.gp, password)
    with pytest.raises(NotFound):
        services.accounts.find_user(team.coordinator, f"inconnu{username}")
    services.audit_log.search(team.coordinator, action=query or None)


def test_a_new_password_that_cannot_be_stored_is_refused_in_french(services, team, helpers):
    with pytest.raises(ValidationError) as info:
        services.accounts.change_own_password(team.gp, helpers.password, "mot-de-passe-\ud800-long")
    assert info.value.fields == {
        "password": "Le mot de passe contient un caractère illisible, qui ne peut pas être "
        "enregistré (copier-coller abîmé ?) : retapez-le."
    }
