"""Patient identity: validation, duplicates, optimistic locking, care team, file history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from suite_clock import TODAY, days, dmy

from app.clock import clinic_today
from app.models.enums import IdentityStatus, Sex
from app.services.kernel.errors import ConflictError, NotFound, ValidationError
from app.services.patient_file.records import DuplicateWarning, PatientInput

PHONE_INVALID = (
    "Le numéro de téléphone n'est pas valide (par exemple 02 35 12 34 56, "
    "ou +32 2 500 12 34 pour l'étranger)."
)
EMAIL_INVALID = "L'adresse e-mail n'est pas valide (par exemple prenom.nom@exemple.fr)."


def _input(**kwargs) -> PatientInput:
    values = {
        "birth_name": "Dupré",
        "first_names": "Jean Marc",
        "sex": "M",
        "birth_date": "05/03/1960",
    }
    values.update(kwargs)
    return PatientInput(**values)


@pytest.fixture
def create(services, team):
    def _create(confirm_duplicate=False, **kwargs):
        return services.patients.create(
            team.secretary, _input(**kwargs), confirm_duplicate=confirm_duplicate
        )

    return _create


def _refused(create, db_state, **kwargs) -> dict[str, str]:
    before = db_state()
    with pytest.raises(ValidationError) as info:
        create(**kwargs)
    assert db_state() == before
    assert info.value.message.startswith("Certaines informations sont incorrectes :")
    return info.value.fields


def test_valid_identity_is_saved_and_read_back(services, team, create, helpers):
    nir = helpers.make_nir("M", 1960, 3, "76", 451)
    record = create(
        nir=f"{nir[:1]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}",
        used_name="Dupré-Lœuvre",
        birth_place_code="76540",
        identity_status="validated",
        identity_document="passport",
        phone="02 35 00 00 00",
        email="jean.dupre@example.org",
        address="3 rue des Lilas",
        postal_code="76000",
        city="Rouen",
        attending_gp_id=team.gp.user_id,
        social_referent_id=team.social_worker.user_id,
    )
    again = services.patients.get(team.gp, record.id)
    assert again == record
    assert record.nir == nir
    assert record.birth_date == date(1960, 3, 5)
    assert record.sex is Sex.MALE and record.identity_status is IdentityStatus.VALIDATED
    assert record.attending_gp_name == "Paul Durand"
    assert record.social_referent_name == "Sophie Moreau"
    assert record.version == 1 and not record.archived


@pytest.mark.parametrize(
    ("nir", "message"),
    [
        ("12345", "Le NIR doit comporter 15 caractères (13 chiffres et la clé de 2 chiffres)."),
        ("1600376ABC12345", "Le NIR ne doit contenir que des chiffres"),
        ("1600376451123456", "Le NIR doit comporter 15 caractères"),
    ],
)
def test_malformed_nir(create, db_state, nir, message):
    assert _refused(create, db_state, nir=nir)["nir"].startswith(message)


def test_wrong_nir_key(create, db_state, helpers):
    nir = helpers.make_nir("M", 1960, 3, "76", 451)
    wrong = nir[:13] + f"{(int(nir[13:]) % 97) + 1:02d}"
    assert wrong != nir
    assert _refused(create, db_state, nir=wrong)["nir"] == (
        "La clé du NIR est incorrecte : vérifiez le numéro sur la carte Vitale."
    )


@pytest.mark.parametrize("department", ["2A", "2B"])
def test_corsican_nir_is_valid(create, helpers, department):
    nir = helpers.make_nir("F", 1960, 3, department, 17002)
    assert nir[5:7] == department
    record = create(sex="F", nir=nir.lower(), birth_place_code=f"{department}004")
    assert record.nir == nir and record.birth_place_code == f"{department}004"


def test_corsican_key_differs_from_a_plain_department(helpers, create, db_state):
    nir = helpers.make_nir("F", 1960, 3, "2A", 17002)
    plain = nir[:5] + "20" + nir[7:]
    assert "nir" in _refused(create, db_state, sex="F", nir=plain)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sex": "F"}, "Le NIR ne correspond pas au sexe indiqué (1 = masculin, 2 = féminin)."),
        ({"birth_date": "05/03/1961"}, "Le NIR ne correspond pas à l'année de naissance."),
        ({"birth_date": "05/04/1960"}, "Le NIR ne correspond pas au mois de naissance."),
    ],
)
def test_nir_must_match_sex_and_birth_date(create, db_state, helpers, changes, message):
    nir = helpers.make_nir("M", 1960, 3, "76", 451)
    assert _refused(create, db_state, nir=nir, **changes)["nir"] == message


def test_nir_with_unknown_birth_month_is_accepted(create, helpers):
    nir = helpers.make_nir("M", 1960, 99, "76", 451)  # month unknown at registration
    assert create(nir=nir).nir == nir


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("31/02/2020", "La date de naissance n'existe pas ou n'est pas au format jj/mm/aaaa."),
        ("29/02/2023", "La date de naissance n'existe pas ou n'est pas au format jj/mm/aaaa."),
        ("2020-02-01", "La date de naissance n'existe pas ou n'est pas au format jj/mm/aaaa."),
        ("hier", "La date de naissance n'existe pas ou n'est pas au format jj/mm/aaaa."),
        ("", "La date de naissance est obligatoire (jj/mm/aaaa)."),
        (None, "La date de naissance est obligatoire (jj/mm/aaaa)."),
        (dmy(days(1)), "La date de naissance ne peut pas être dans le futur."),
        ("01/01/1850", "La date de naissance est trop ancienne : vérifiez l'année."),
    ],
)
def test_impossible_and_future_dates(create, db_state, clock, birth_date, message):
    assert clinic_today(clock) == TODAY
    assert _refused(create, db_state, birth_date=birth_date)["birth_date"] == message


def test_leap_day_and_today_are_accepted(create, clock):
    assert create(birth_date="29/02/2024").birth_date == date(2024, 2, 29)
    # Today is the clinic's day (Europe/Paris), even when UTC is still on the day before.
    born = create(birth_date=dmy(TODAY), birth_name="Nouveau-Né").birth_date
    assert born == TODAY == clinic_today(clock)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_name", "---", "Le nom de naissance doit contenir des lettres."),
        ("birth_name", " .' ", "Le nom de naissance doit contenir des lettres."),
        ("first_names", "!!", "Les prénoms doit contenir des lettres."),
        ("used_name", "…", "Le nom d'usage doit contenir des lettres."),
        ("birth_name", "", "Le nom de naissance est obligatoire."),
        ("birth_name", "\x00\x07", "Le nom de naissance est obligatoire."),
        ("first_names", "   ", "Au moins un prénom est obligatoire."),
        ("birth_name", "A" * 101, "Le nom de naissance est trop long (100 caractères au plus)."),
        ("first_names", "Jean " * 41, "Les prénoms est trop long (200 caractères au plus)."),
        ("address", "x" * 301, "L'adresse est trop long (300 caractères au plus)."),
        ("city", "y" * 101, "La ville est trop long (100 caractères au plus)."),
        ("sex", "X", "Le sexe doit être F, M ou I (indéterminé)."),
        (
            "phone",
            "appelez-moi",
            PHONE_INVALID,
        ),
        (
            "email",
            "jean.dupre@",
            EMAIL_INVALID,
        ),
        ("postal_code", "7600", "Le code postal doit comporter 5 chiffres."),
        ("birth_place_code", "123", "Le code INSEE du lieu de naissance comporte 5 caractères"),
        ("identity_status", "vérifié", "Statut d'identité inconnu."),
        ("identity_document", "permis", "Pièce d'identité inconnue."),
    ],
)
def test_bad_fields_are_refused_in_french(create, db_state, field, value, message):
    assert _refused(create, db_state, **{field: value})[field].startswith(message)


def test_validated_identity_needs_a_document(create, db_state):
    fields = _refused(create, db_state, identity_status="validated")
    assert fields["identity_document"].startswith("Une identité validée exige la pièce")


def test_all_errors_are_reported_at_once(create, db_state):
    fields = _refused(
        create, db_state, birth_name="", birth_date="31/02/2020", nir="123", email="@"
    )
    assert set(fields) == {"birth_name", "birth_date", "nir", "email"}


def test_control_characters_are_stripped_and_spaces_collapsed(create, services, team):
    record = create(
        birth_name="  Du\x00pré\u200b ",
        first_names="Jean\t\tMarc\nAndré",
        city="Saint-\x1bÉtienne",
        address="12\r\nrue   du Port",
    )
    assert (record.birth_name, record.first_names) == ("Dupré", "Jean Marc André")
    assert (record.city, record.address) == ("Saint-Étienne", "12 rue du Port")
    assert services.patients.search(team.secretary, "andre").patients[0].id == record.id


def test_limits_count_characters_not_bytes(create):
    name = "É" * 100
    assert create(birth_name=name).birth_name == name


# ---- duplicates ----------------------------------------------------------------------------


def test_same_nir_warns_before_saving(create, db_state, helpers):
    nir = helpers.make_nir("M", 1960, 3, "76", 451)
    first = create(nir=nir)
    before = db_state()
    with pytest.raises(DuplicateWarning) as info:
        create(nir=nir, birth_name="Tout-Autre", first_names="Nom")
    assert [c.id for c in info.value.candidates] == [first.id]
    assert info.value.message.startswith("Ce patient existe peut-être déjà :")
    assert "DUPRÉ Jean Marc, né(e) le 05/03/1960" in info.value.message
    assert db_state() == before


@pytest.mark.parametrize(
    ("birth_name", "first_names"),
    [("Dupré", "Jean"), ("DUPRE", "jean marc"), ("Dupret", "Jean"), ("Dupré", "Jeanne")],
)
def test_same_birth_date_and_similar_names_warn(create, db_state, birth_name, first_names):
    first = create()
    before = db_state()
    with pytest.raises(DuplicateWarning) as info:
        create(birth_name=birth_name, first_names=first_names)
    assert first.id in [c.id for c in info.value.candidates]
    assert db_state() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": "06/03/1960"},
        {"birth_name": "Martin"},
        {"birth_name": "Dupré", "first_names": "Yvonne", "sex": "F"},
    ],
)
def test_different_people_do_not_warn(create, changes):
    create()
    assert create(**changes).id


def test_confirmed_duplicate_is_created_and_audited(create, audit_log):
    create()
    second = create(confirm_duplicate=True)
    (entry,) = audit_log.rows(action="create", object_id=second.id, object_type="patient")
    assert entry.detail == "doublon possible confirmé"


def test_find_duplicates_before_typing_everything(services, team, create):
    first = create()
    found = services.patients.find_duplicates(team.secretary, _input(birth_name="dupre"))
    assert [c.id for c in found] == [first.id]
    assert services.patients.find_duplicates(team.secretary, _input(), exclude_id=first.id) == []


def test_update_to_another_patients_nir_warns(services, team, create, helpers):
    nir = helpers.make_nir("M", 1960, 3, "76", 451)
    create(nir=nir)
    other = create(birth_name="Martin", first_names="Luc")
    with pytest.raises(DuplicateWarning):
        services.patients.update(
            team.secretary, other.id, replace(other.as_input(), nir=nir), other.version
        )
    assert services.patients.get(team.secretary, other.id).nir is None


# ---- optimistic locking --------------------------------------------------------------------


def test_second_save_gets_a_conflict_with_both_versions(services, team, create, audit_log):
    record = create()
    seen_by_secretary = services.patients.get(team.secretary, record.id)
    seen_by_gp = services.patients.get(team.gp, record.id)
    saved = services.patients.update(
        team.secretary,
        record.id,
        replace(seen_by_secretary.as_input(), city="Rouen"),
        seen_by_secretary.version,
    )
    assert saved.version == seen_by_secretary.version + 1
    mine = replace(seen_by_gp.as_input(), phone="06 12 34 56 78")
    with pytest.raises(ConflictError) as info:
        services.patients.update(team.gp, record.id, mine, seen_by_gp.version)
    conflict = info.value
    assert conflict.mine.phone == "06 12 34 56 78" and conflict.mine.city == ""
    assert conflict.theirs.city == "Rouen" and conflict.theirs.phone == ""
    assert conflict.theirs_by == "Nadia Roux"
    assert "quelqu'un d'autre (Nadia Roux) a enregistré une modification" in conflict.message
    assert "Votre version n'a pas été enregistrée" in conflict.message
    now = services.patients.get(team.secretary, record.id)
    assert (now.city, now.phone, now.version) == ("Rouen", "", saved.version)
    # Saving again on the fresh version works.
    merged = services.patients.update(
        team.gp, record.id, replace(now.as_input(), phone="06 12 34 56 78"), now.version
    )
    assert (merged.city, merged.phone) == ("Rouen", "06 12 34 56 78")


def test_update_of_unknown_patient(services, team):
    with pytest.raises(NotFound) as info:
        services.patients.update(team.secretary, 999, _input(), 1)
    assert info.value.message == "Ce dossier patient n'existe pas."
    with pytest.raises(NotFound):
        services.patients.get(team.secretary, 999)


# ---- care team -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["social_worker", "paramedical", "secretary", "coordinator"])
def test_attending_gp_must_be_a_gp(create, db_state, team, who):
    fields = _refused(create, db_state, attending_gp_id=team.by_role(who).user_id)
    assert fields == {
        "attending_gp_id": "Le médecin traitant doit être un médecin de la maison de santé."
    }


def test_attending_gp_must_exist_and_referent_must_be_a_social_worker(create, db_state, team):
    assert "attending_gp_id" in _refused(create, db_state, attending_gp_id=9999)
    fields = _refused(create, db_state, social_referent_id=team.gp.user_id)
    assert fields["social_referent_id"].startswith("Le référent social doit être")


def test_attending_gp_outside_the_clinic_is_free_text(create):
    record = create(attending_gp_other="Dr Alain Simon, Darnétal")
    assert record.attending_gp_other == "Dr Alain Simon, Darnétal"
    assert record.attending_gp_id is None


# ---- history -------------------------------------------------------------------------------


def test_history_shows_only_compartments_the_role_may_read(services, team, create, liaison_consent):
    record = create()
    liaison_consent(record.id)
    record = services.patients.get(team.secretary, record.id, audit_open=False)
    services.notes.add(team.gp, record.id, "medical", "Note médicale.")
    services.notes.add(team.social_worker, record.id, "social", "Note sociale.")
    services.notes.add(team.gp, record.id, "liaison", "Note de liaison.")
    services.patients.update(
        team.secretary, record.id, replace(record.as_input(), city="Rouen"), record.version
    )

    def seen(role):
        return [
            (h.compartment, h.action)
            for h in services.patients.history(team.by_role(role), record.id)
        ]

    assert seen("secretary") == [("administrative", "update"), ("administrative", "create")]
    assert seen("coordinator") == seen("secretary")
    assert seen("gp") == [
        ("administrative", "update"),
        ("liaison", "create"),
        ("medical", "create"),
        ("administrative", "create"),
    ]
    assert seen("paramedical") == seen("gp")
    assert seen("social_worker") == [
        ("administrative", "update"),
        ("liaison", "create"),
        ("social", "create"),
        ("administrative", "create"),
    ]
    items = services.patients.history(team.gp, record.id)
    assert items[0].who == "Nadia Roux" and items[0].action_label == "Modification"
    assert items[-1].action_label == "Création"
