"""The orientation guide: a table of situations and the services expected, in order."""

from __future__ import annotations

import pytest

from app.services.referrals.orientation_guide import (
    FALLBACK,
    RULES,
    Activity,
    Need,
    Service,
    Situation,
    propose,
    rules_table,
)

A, N, S = Activity, Need, Service

CASES = [
    # (id, situation, expected services in order, rules that must have fired)
    (
        "salarie-arret-long",
        Situation(45, A.EMPLOYED, frozenset(), sick_leave_days=120),
        [S.CARSAT],
        {"C1"},
    ),
    (
        "salarie-arret-court",
        Situation(45, A.EMPLOYED, frozenset(), sick_leave_days=20),
        [S.CARSAT],
        {"Z0"},
    ),
    (
        "invalidite",
        Situation(52, A.EMPLOYED, frozenset(), invalidity=True),
        [S.CARSAT],
        {"C1"},
    ),
    (
        "retraite-gir5-sortie-hopital-ardh",
        Situation(78, A.RETIRED, frozenset({N.RETURN_HOME}), gir=5),
        [S.CARSAT],
        {"C2"},
    ),
    (
        "retraite-gir3-sortie-hopital-apa",
        Situation(82, A.RETIRED, frozenset({N.RETURN_HOME}), gir=3),
        [S.CARSAT, S.CD_APA],
        {"C3", "D1"},
    ),
    (
        "perte-autonomie-gir2",
        Situation(85, A.RETIRED, frozenset({N.AUTONOMY}), gir=2),
        [S.CD_APA],
        {"D1"},
    ),
    (
        "retraite-autonome-bien-vieillir",
        Situation(70, A.RETIRED, frozenset({N.AUTONOMY}), gir=6),
        [S.CARSAT],
        {"C4"},
    ),
    (
        "handicap-jeune",
        Situation(34, A.UNEMPLOYED, frozenset({N.DISABILITY})),
        [S.MDPH],
        {"H1"},
    ),
    (
        "complementaire-sante",
        Situation(40, A.UNEMPLOYED, frozenset({N.HEALTH_COVERAGE})),
        [S.CARSAT, S.CPAM],
        {"C5"},
    ),
    (
        "renoncement-soins",
        Situation(29, A.EMPLOYED, frozenset({N.CARE_COST})),
        [S.CARSAT, S.CPAM],
        {"C6"},
    ),
    (
        "violences-conjugales-d-abord",
        Situation(31, A.EMPLOYED, frozenset({N.HOUSING, N.DOMESTIC_VIOLENCE}), emergency=True),
        [S.VIOLENCE_3919, S.CARSAT, S.CCAS, S.CAF],
        {"U1", "L1"},
    ),
    (
        "enfant-en-danger",
        Situation(36, A.OTHER, frozenset({N.CHILD_IN_DANGER, N.FAMILY})),
        [S.CHILD_119, S.CD_ASE, S.CAF, S.CD_PMI],
        {"U2", "F1"},
    ),
    (
        "sans-abri",
        Situation(50, A.UNEMPLOYED, frozenset({N.HOMELESS, N.EMPLOYMENT})),
        [S.SIAO_115, S.CCAS, S.FRANCE_TRAVAIL],
        {"U3", "E1"},
    ),
    (
        "urgence-sans-regle-specifique",
        Situation(60, A.RETIRED, frozenset({N.RESOURCES}), emergency=True),
        [S.CARSAT, S.CCAS],
        {"Z0", "R1"},
    ),
    ("rien-de-precis", Situation(40, A.OTHER, frozenset()), [S.CARSAT], {"Z0"}),
]


@pytest.mark.parametrize(
    ("situation", "services", "rules"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_guide_proposes_expected_services(situation, services, rules):
    proposals = propose(situation)
    assert [p.service for p in proposals] == services
    assert {p.rule for p in proposals} == rules
    for proposal in proposals:
        assert proposal.reason and proposal.label  # says which rule fired, in French


def test_urgent_services_come_first_and_are_marked():
    proposals = propose(Situation(31, A.EMPLOYED, frozenset({N.HOUSING, N.DOMESTIC_VIOLENCE})))
    assert proposals[0].urgent and proposals[0].service is S.VIOLENCE_3919
    assert not proposals[-1].urgent


def test_rule_codes_are_unique_and_table_is_printable():
    codes = [rule.code for rule in (*RULES, FALLBACK)]
    assert len(codes) == len(set(codes))
    rows = rules_table()
    assert len(rows) == len(codes)
    assert all(code and services and text for code, services, text in rows)
