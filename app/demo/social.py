"""Demo social follow-up: for a few patients the demo social worker has taken on, a social
assessment in two or three versions (spread over the last months) and an action plan with
actions in every status, some overdue and some reminders due — made through the real
consultation service (sealed content, audit), then dated back."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from app.models import Partner, Referral, SocialAction, SocialAssessment
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import local
from app.services.social.records import ActionKind, ActionStatus, AssessmentInput, SocialActionInput

if TYPE_CHECKING:
    from app.container import Services


def _evolved(values: dict[str, dict[str, str]], **changes: dict[str, str]) -> dict:
    """``values`` with some answers of some sections changed (a later version)."""
    return {name: {**answers, **changes.get(name, {})} for name, answers in values.items()}


# Three successive pictures of one situation (job retention, then coverage, then housing).
_FIRST = {
    "resources": {"main_income": "daily_allowance", "debts": "arrears"},
    "housing": {"status": "private_tenant", "condition": "access"},
    "family": {"household": "single_parent", "children": "2", "caregiver": "none"},
    "work": {
        "status": "employee",
        "employer": "Transports Normands",
        "daily_allowance": "pending",
        "job_loss_risk": "high",
    },
    "coverage": {"basic": "open", "complementary": "none"},
}
_SECOND = _evolved(
    _FIRST,
    work={"daily_allowance": "paid", "job_loss_risk": "medium"},
    coverage={"complementary": "c2s"},
)
_THIRD = _evolved(
    _SECOND,
    resources={"main_income": "salary", "debts": "none"},
    housing={"status": "social_tenant", "condition": "suitable"},
    work={"daily_allowance": "ended", "job_loss_risk": "low"},
)
VERSIONS = (
    AssessmentInput(
        _FIRST,
        {
            "resources": "IJ versées avec retard, deux mois de loyer impayés.",
            "work": "Arrêt long après une chirurgie du dos ; inquiète pour son poste.",
        },
    ),
    AssessmentInput(
        _SECOND,
        {
            "resources": "IJ régularisées ; FSL demandé pour les loyers.",
            "work": "Visite de pré-reprise faite, temps partiel thérapeutique envisagé.",
        },
    ),
    AssessmentInput(_THIRD, {"housing": "Relogée au rez-de-chaussée (bailleur social)."}),
)
# (kind, status, due in days from today, reminder in days, partner kind, detail)
ACTIONS = (
    (ActionKind.C2S, ActionStatus.DONE, -40, None, "cpam", "Dossier C2S accordé."),
    (ActionKind.FSL, ActionStatus.WAITING, -5, -8, "ccas", "Dossier FSL transmis au CCAS."),
    (ActionKind.SOCIAL_HOUSING, ActionStatus.IN_PROGRESS, 20, 0, None, "Numéro unique obtenu."),
    (ActionKind.MDPH, ActionStatus.PLANNED, -2, None, "mdph", "Certificat médical à demander."),
    (ActionKind.FRANCE_TRAVAIL, ActionStatus.CANCELLED, None, None, "france_travail", ""),
    (ActionKind.RETIREMENT, ActionStatus.PLANNED, 45, 30, "carsat", ""),
)


def create_demo_social(services: Services, actors: dict[str, Actor], *, count: int = 4) -> int:
    """Assessments and action plans for up to ``count`` patients referred to the demo social
    worker (taken on); returns for how many patients."""
    social_worker = next((a for a in actors.values() if a.role == "social_worker"), None)
    if social_worker is None:
        return 0
    rng = random.Random(f"relais-demo-social:{count}")
    with services.db.session(write=False) as session:
        patient_ids = list(
            dict.fromkeys(
                session.scalars(
                    select(Referral.patient_id)
                    .where(
                        Referral.receiver_id == social_worker.user_id,
                        Referral.status.in_(["appointment_booked", "seen", "closed"]),
                    )
                    .order_by(Referral.id)
                )
            )
        )[:count]
        partners = {
            kind: pid
            for kind, pid in session.execute(
                select(Partner.kind, Partner.id).where(Partner.active.is_(True))
            )
        }
    now = services.clock()
    today = local(now).date()
    made = 0
    for index, patient_id in enumerate(patient_ids):
        try:
            _assessments(services, social_worker, patient_id, index, now)
            _actions(services, social_worker, patient_id, partners, today, now, rng)
        except RelaisError:
            continue  # a patient whose file does not allow it (archived…): skip
        made += 1
    return made


def _assessments(services: Services, sw: Actor, patient_id: int, index: int, now) -> None:
    versions = VERSIONS[: 2 + index % 2]  # two or three versions
    based_on = None
    ids = []
    for data in versions:
        view = services.consultations.save_assessment(sw, patient_id, data, based_on=based_on)
        based_on = view.id
        ids.append(view.id)
    # Spread the versions over the last months (one consultation every six weeks).
    with services.db.session() as session:
        for age, row_id in enumerate(reversed(ids)):
            session.execute(
                update(SocialAssessment)
                .where(SocialAssessment.id == row_id)
                .values(created_at=now - timedelta(days=42 * age + 1))
            )


def _actions(services, sw, patient_id, partners, today, now, rng) -> None:
    ids = []
    for kind, status, due, remind, partner_kind, detail in ACTIONS:
        view = services.consultations.add_action(
            sw,
            patient_id,
            SocialActionInput(
                kind,
                partner_id=partners.get(partner_kind) if partner_kind else None,
                status=status,
                due_on=today + timedelta(days=due) if due is not None else None,
                remind_on=today + timedelta(days=remind) if remind is not None else None,
                detail=detail,
            ),
        )
        ids.append(view.id)
    with services.db.session() as session:
        for row_id in ids:
            created = now - timedelta(days=rng.randint(10, 80))
            session.execute(
                update(SocialAction)
                .where(SocialAction.id == row_id)
                .values(created_at=created, updated_at=created)
            )
