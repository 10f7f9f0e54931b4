"""The activity dashboard's figures on a data set whose answers are known
(``statistics_data``): counts by month (clinic time zone, summer time), outcome, category;
delays (median and 90th percentile); rates; masking, and masking across totals."""

from __future__ import annotations

from dataclasses import replace

import pytest
import statistics_data as data
from sqlalchemy import select

from app.models import Referral
from app.services.statistics.model import Dashboard, StatisticsCancelled, StatsFilter


def texts(dashboard: Dashboard, key: str) -> dict[str, list[str]]:
    return {row.label: [v.text for v in row.values] for row in dashboard.table(key).rows}


@pytest.fixture
def known(services, team, make_patient):
    return data.build(services, team, make_patient)


@pytest.fixture
def board(services, team, known) -> Dashboard:
    return services.statistics.dashboard(team.coordinator, data.PERIOD)


def test_referrals_by_month_in_the_clinic_time_zone(board):
    months = texts(board, "orientations_par_mois")
    # Columns: in progress, taken in charge, reoriented, refused, cancelled, total.
    assert months["janv. 2025"] == ["< 5", "0", "0", "0", "0", "< 5"]  # 31/01 23:30 in Paris
    assert months["févr. 2025"] == ["0"] * 6
    # March's total is hidden too: with it, January's and April's « < 5 » (equal to their
    # totals) would add up to 12 − 10 = 2, the total « in progress » (a bridge, rule 2).
    assert months["mars 2025"] == ["0", "6", "< 5", "< 5", "< 5", "masqué"]
    assert months["avr. 2025"] == ["< 5", "0", "0", "0", "0", "< 5"]  # 01/04 00:30 in Paris
    assert months["Total"] == ["< 5", "6", "< 5", "< 5", "< 5", "12"]
    assert board.table("orientations_par_mois").columns == (
        "En cours", "Prise en charge", "Réorientée", "Refus du patient", "Annulée", "Total",
    )  # fmt: skip


def test_a_masked_cell_is_never_alone_in_its_row_or_column(board):
    """Rights and care: one in progress (< 5) and five taken in charge: the five are hidden
    too (« masqué »), or the row total (6) would give the « < 5 » away."""
    categories = texts(board, "orientations_par_motif")
    assert categories == {
        "Accès aux droits et aux soins": ["< 5", "masqué", "0", "0", "0", "6"],
        "Maintien dans l'emploi": ["0", "< 5", "0", "0", "< 5", "< 5"],
        "Domicile, famille et logement": ["< 5", "0", "< 5", "< 5", "0", "< 5"],
        "Total": ["< 5", "6", "< 5", "< 5", "< 5", "12"],
    }
    consents = texts(board, "refus_par_perimetre")
    assert consents == {
        "Partage entre médecins et assistante sociale (notes de liaison)": [
            "masqué", "< 5", "masqué",
        ],
        "Orientation vers le service social de la CARSAT": ["< 5", "0", "< 5"],
        "Partage avec un partenaire": ["0", "0", "0"],
        "Total": ["masqué", "< 5", "8"],
    }  # fmt: skip


def test_linked_tables_hide_the_same_totals(board):
    totals = {
        key: board.table(key).rows[-1].values
        for key in (
            "orientations_par_mois",
            "orientations_par_motif",
            "orientations_par_profession",
            "orientations_par_destination",
        )
    }
    shown = {key: [v.text for v in values] for key, values in totals.items()}
    assert len({tuple(v) for v in shown.values()}) == 1
    # The reorientation total is hidden in the outcome tables: hidden in theirs too.
    assert board.table("reorientations_par_service").rows[-1].values[0].masked
    assert board.table("usage_du_guide").rows[-1].values[0].masked


def test_delays_median_and_90th_percentile(board):
    stages = texts(board, "delais_par_etape")
    # Sent → received: 0.5 (×6), 1 (×2), 1.5: median 0.5; P90 = 1 + 0.2 × 0.5 = 1.1.
    assert stages["Envoi → réception"] == ["9", "0,5", "1,1"]
    # Sent → seen: 2, 3, 4, 5, 6, 11: median 4.5; P90 = 6 + 0.5 × 5 = 8.5.
    assert stages["Envoi → patient reçu (prise en charge)"] == ["6", "4,5", "8,5"]
    assert stages["Rendez-vous fixé → patient reçu"] == ["6", "3,0", "7,0"]
    assert stages["Patient reçu → clôture"] == ["6", "2,0", "2,0"]
    # Received → booked: 6 measures of 1 day.
    assert stages["Réception → premier rendez-vous fixé"] == ["6", "1,0", "1,0"]
    monthly = texts(board, "delais_par_mois")
    assert monthly["mars 2025"] == ["6", "4,5", "8,5"]
    assert monthly["janv. 2025"] == ["0", "—", "—"]
    headlines = {h.label: h.value.text for h in board.section("delais").headlines}
    assert headlines["Délai médian de prise en charge"] == "4,5\xa0j"


def test_fewer_than_five_measures_give_no_median(services, team, known):
    only_april = StatsFilter(data.date(2025, 4, 1), data.date(2025, 4, 30))
    board = services.statistics.dashboard(team.coordinator, only_april)
    assert texts(board, "delais_par_etape")["Envoi → réception"] == ["< 5", "—", "—"]


def test_orientation_errors_and_rates(services, team, known, board):
    services_table = texts(board, "reorientations_par_service")
    assert services_table == {"CCAS (centre communal d'action sociale)": ["< 5"], "Total": ["< 5"]}
    rules = texts(board, "reorientations_par_regle")
    assert [label[:5] for label in rules] == ["R1 — ", "Total"]
    assert rules["Total"] == ["< 5"]
    headlines = {h.label: h.value.text for h in board.section("erreurs").headlines}
    assert headlines["Part réorientée"] == "masqué"  # 2 out of 12: gives the 2 away
    # Five more reoriented in March: 7 out of 12. March's row would then read « < 5 » taken
    # in charge, 7 reoriented, « < 5 » refused, « < 5 » cancelled, 10 in all: three « < 5 »
    # making 3, each is 1 (bounds). So more is hidden, the 7 with it.
    with services.db.session() as session:
        rows = session.scalars(select(Referral).where(Referral.status == "closed")).all()
        for row in rows[:5]:
            row.status, row.reoriented_to_id = "reoriented", known.ccas
    board = services.statistics.dashboard(team.coordinator, data.PERIOD)
    assert texts(board, "orientations_par_mois")["mars 2025"][2] == "masqué"
    headlines = {h.label: h.value.text for h in board.section("erreurs").headlines}
    assert headlines["Part réorientée"] == "masqué"
    # One of them back to closed: 6 out of 12, nothing pinned: shown.
    with services.db.session() as session:
        back = session.scalars(select(Referral).where(Referral.id == rows[0].id)).one()
        back.status, back.reoriented_to_id = "closed", None
    board = services.statistics.dashboard(team.coordinator, data.PERIOD)
    assert texts(board, "orientations_par_mois")["mars 2025"][2] == "6"
    headlines = {h.label: h.value.text for h in board.section("erreurs").headlines}
    assert headlines["Part réorientée"] == "50,0\xa0%"  # 6 / 12
    guide = texts(board, "usage_du_guide")
    assert guide["Proposée par le guide d'orientation"][2] == "< 5"


def test_permanence_occupancy_and_no_shows(board):
    march = texts(board, "permanence_par_mois")["mars 2025"]
    # Half-days, slots, booked, occupancy, seen, no-shows, cancelled by clinic, by patient.
    assert march == ["4", "24", "8", "33,3\xa0%", "6", "< 5", "< 5", "< 5"]
    headlines = {h.label: h.value.text for h in board.section("permanence").headlines}
    assert headlines["Demi-journées tenues"] == "4"
    assert headlines["Taux d'absence"] == "masqué"  # 2 no-shows: hidden, and so their rate


def test_home_care_and_discharge(board):
    kinds = texts(board, "soins_par_type")
    # Waiting, accepted or in progress, finished, refused, cancelled, total.
    # Nurse 6 finished and 1 refused (7), physiotherapist 2 cancelled, total 9: the refusal
    # hides the 6 (its row), the 6 its column's total; the physiotherapists' « < 5 » hides
    # the nurses' 7 (the « Total » column, whose total 9 is shown).
    assert kinds == {
        "Infirmier(ère)": ["0", "0", "masqué", "< 5", "0", "masqué"],
        "Masseur-kinésithérapeute": ["0", "0", "0", "0", "< 5", "< 5"],
        "Sage-femme": ["0"] * 6,
        "Total": ["0", "0", "masqué", "< 5", "< 5", "9"],
    }
    delays = texts(board, "soins_delai_acceptation")
    # 1, 1, 2, 2, 3, 5 days: median 2; P90 = 3 + 0.5 × 2 = 4.
    assert delays["Infirmier(ère)"] == ["6", "2,0", "4,0"]
    plans = texts(board, "sorties_par_destination")
    # Home 5 (3 eligible, 2 not), EHPAD 1 (to check): the EHPAD's « < 5 » hides the 5.
    assert plans["Retour à domicile"] == ["< 5", "< 5", "0", "masqué"]
    assert plans["EHPAD"] == ["0", "0", "< 5", "< 5"]
    assert plans["Total"] == ["< 5", "< 5", "< 5", "6"]
    follow = texts(board, "suivis_apres_sortie")
    # Done at 23:30 in Paris on the due day: on time; at 00:30 the day after: late.
    assert follow["Suivis prévus"] == ["< 5", "< 5", "< 5", "0", "< 5"]


def test_follow_up_days_are_the_clinic_days(services, team, known):
    from app.services.statistics import care_stats
    from app.services.statistics.periods import Period

    with services.db.session(write=False) as session:
        counts = care_stats.follow_up_counts(
            session, Period(data.PERIOD.start, data.PERIOD.end), data.PERIOD, data.date(2026, 1, 1)
        )
    assert counts == [1, 1, 1, 0]


def test_filters_professional_and_category(services, team, known):
    living = replace(data.PERIOD, reason_category="living")
    board = services.statistics.dashboard(team.coordinator, living)
    assert texts(board, "orientations_par_mois")["Total"][-1] == "< 5"  # 4 « living »
    mine = replace(data.PERIOD, professional_id=team.gp2.user_id)
    board = services.statistics.dashboard(team.coordinator, mine)
    assert texts(board, "orientations_par_mois")["Total"][-1] == "0"
    assert board.scope_label.startswith("Activité de")
    own = services.statistics.dashboard(
        team.gp, replace(data.PERIOD, professional_id=team.gp.user_id)
    )
    assert own.scope_label.startswith("Mes orientations")
    assert texts(own, "orientations_par_mois")["Total"][-1] == "12"


def test_progress_and_cancellation(services, team, known):
    seen = []
    services.statistics.dashboard(
        team.coordinator, data.PERIOD, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (6, 6) and seen == sorted(seen)
    calls = iter(range(100))
    with pytest.raises(StatisticsCancelled):
        services.statistics.dashboard(
            team.coordinator, data.PERIOD, cancelled=lambda: next(calls) >= 2
        )


def test_invalid_filters_are_refused(services, team):
    from app.services.kernel.errors import ValidationError

    with pytest.raises(ValidationError):
        services.statistics.dashboard(
            team.coordinator, StatsFilter(data.date(2025, 2, 1), data.date(2025, 1, 1))
        )
    with pytest.raises(ValidationError):
        services.statistics.dashboard(team.coordinator, replace(data.PERIOD, reason_category="x"))
