"""The statistics service: the activity dashboard, its CSV tables and the annual report.

Policy (DESIGN.md §3): the coordinator, the GPs and the social worker read the statistics
(aggregates, no names); the paramedical staff and the secretariat are refused, and the refusal
is audited. Each reader sees the whole clinic's figures and their own activity (« mes
orientations »); the coordinator may also look at any one professional's.

Everything is computed in SQL from readable columns (docs/security.md §3): no key is needed,
nothing is unsealed, and an actor holding no key at all gets the same figures. Every count is
masked (``masking``) before it leaves this package. Long computations report their progress
and stop between two queries when asked (``cancelled``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.clock import Clock, clinic_today
from app.i18n import _
from app.models import User
from app.models.db import Database
from app.models.enums import Role
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import PermissionDenied, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.statistics import activity_stats, care_stats, delay_stats, referral_stats
from app.services.statistics import labels as L
from app.services.statistics.model import (
    Dashboard,
    Professional,
    StatisticsCancelled,
    StatsFilter,
)
from app.services.statistics.periods import MAX_DAYS, Period, default_period, year_period

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

REFUSED = "Votre rôle ne donne pas accès aux statistiques (agrégats sans noms)."
OWN_ONLY = (
    "Vous pouvez consulter les chiffres de toute la maison de santé et les vôtres "
    "(« mes orientations ») : ceux d'un(e) autre professionnel(le) sont réservés à la "
    "coordination."
)
STEPS = 6
READERS = (Role.GP, Role.PARAMEDICAL, Role.SOCIAL_WORKER)


class StatisticsService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock

    # ---- who ----------------------------------------------------------------------------
    @staticmethod
    def can_read(actor: Actor) -> bool:
        return policy.allows(actor.role, Resource.STATISTICS, Action.READ)

    def _require(self, actor: Actor, flt: StatsFilter | None = None) -> None:
        if not self.can_read(actor):
            self._refuse(actor, REFUSED)
        if (
            flt is not None
            and flt.professional_id not in (None, actor.user_id)
            and actor.role != Role.COORDINATOR
        ):
            self._refuse(actor, OWN_ONLY)

    def _refuse(self, actor: Actor, message: str) -> None:
        self._audit.refused(actor, AuditAction.READ, object_type="statistics", detail=message)
        raise PermissionDenied(message)

    def default_filter(self, actor: Actor) -> StatsFilter:
        period = default_period(self._clock)
        return StatsFilter(period.start, period.end)

    def professionals(self, actor: Actor) -> list[Professional]:
        """Whose activity ``actor`` may look at, besides the whole clinic."""
        self._require(actor)
        if actor.role != Role.COORDINATOR:
            own = [Professional(actor.user_id, "Mes orientations")] if actor.user_id else []
            return own
        with self._db.session(write=False) as session:
            users = session.scalars(
                select(User)
                .where(User.role.in_([str(r) for r in READERS]))
                .order_by(User.last_name, User.first_name)
            ).all()
            return [
                Professional(u.id, f"{u.display_name} — {L.PROFESSION_NAMES[u.profession]}")
                for u in users
            ]

    # ---- the dashboard ------------------------------------------------------------------
    def _validate(self, flt: StatsFilter) -> None:
        errors = {}
        if flt.end < flt.start:
            errors["end"] = "La fin de la période précède son début."
        elif (flt.end - flt.start).days > MAX_DAYS:
            errors["start"] = "La période est trop longue (vingt ans au plus)."
        if flt.reason_category and flt.reason_category not in L.CATEGORY_LABELS:
            errors["reason_category"] = "Cette catégorie de motif n'existe pas."
        if errors:
            raise ValidationError(errors)

    def _scope_label(self, actor: Actor, flt: StatsFilter) -> str:
        if flt.professional_id is None:
            return _(L.WHOLE_CLINIC)
        if flt.professional_id == actor.user_id:
            return f"Mes orientations — {actor.display_name}"
        with self._db.session(write=False) as session:
            user = session.get(User, flt.professional_id)
        if user is None:
            raise ValidationError({"professional_id": "Ce professionnel n'existe pas."})
        return f"Activité de {user.display_name}"

    def dashboard(
        self,
        actor: Actor,
        flt: StatsFilter,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Dashboard:
        """Every section for ``flt``, masked; audited (period and filters, no figure)."""
        self._require(actor, flt)
        self._validate(flt)
        scope = self._scope_label(actor, flt)
        dashboard = self._compute(actor, flt, scope, progress, cancelled)
        self._audit.record(
            actor,
            AuditAction.READ,
            object_type="statistics",
            detail=self._detail("tableau de bord", flt),
        )
        return dashboard

    @staticmethod
    def _detail(what: str, flt: StatsFilter) -> str:
        parts = [f"{what} {flt.start.isoformat()} → {flt.end.isoformat()}"]
        if flt.professional_id is not None:
            parts.append(f"professionnel {flt.professional_id}")
        if flt.reason_category:
            parts.append(f"motif {flt.reason_category}")
        return ", ".join(parts)

    def _compute(
        self,
        actor: Actor,
        flt: StatsFilter,
        scope: str,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> Dashboard:
        period = Period(flt.start, flt.end)
        now = self._clock()
        today = clinic_today(self._clock)
        step = _Steps(progress, cancelled)
        with self._db.session(write=False) as session:
            step()
            cube = referral_stats.cube(session, period, flt)
            step()
            delays = delay_stats.measure(session, period, flt)
            step()
            consents = activity_stats.consent_counts(session, period, flt)
            step()
            permanence = activity_stats.permanence_section(
                session, period.clipped(self._clock), flt, now
            )
            step()
            requests = care_stats.request_counts(session, period, flt)
            acceptance = care_stats.acceptance(session, period, flt)
            step()
            plans = care_stats.plan_counts(session, period, flt)
            follow_ups = care_stats.follow_up_counts(session, period, flt, today)
        step(last=True)
        referrals, errors = referral_stats.referral_sections(cube, period)
        refused = referrals.tables[0].total(L.OUTCOME_LABELS[referral_stats.REFUSED])
        sections = (
            referrals,
            delay_stats.delay_section(delays, period),
            errors,
            activity_stats.refusal_section(consents, refused),
            permanence,
            care_stats.care_section(requests, acceptance, plans, follow_ups),
        )
        return Dashboard(
            filter=flt,
            scope_label=scope,
            period_label=period.label(),
            category_label=L.CATEGORY_LABELS.get(flt.reason_category or "", _(L.EVERY_CATEGORY)),
            generated_at=now,
            sections=sections,
        )

    # ---- exports ------------------------------------------------------------------------
    def annual(
        self,
        actor: Actor,
        year: int,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> Dashboard:
        """The whole clinic's figures for one calendar year (the annual activity report)."""
        if not 2000 <= year <= clinic_today(self._clock).year + 1:
            raise ValidationError({"year": "Cette année n'est pas valable."})
        period = year_period(year)
        return self.dashboard(
            actor, StatsFilter(period.start, period.end), progress=progress, cancelled=cancelled
        )

    def report_pdf(self, actor: Actor, dashboard: Dashboard) -> bytes:
        """The activity report (PDF) of ``dashboard``; audited."""
        from app.services.statistics.report import render_report

        self._require(actor, dashboard.filter)
        with self._db.session() as session:
            data = render_report(session, actor, dashboard, self._clock())
            self._audit.add(
                session,
                actor,
                AuditAction.EXPORT,
                object_type="statistics",
                detail=self._detail("rapport d'activité (PDF)", dashboard.filter),
            )
        return data

    def export_csv(self, actor: Actor, dashboard: Dashboard, folder: Path) -> list[Path]:
        """One CSV file per table of ``dashboard`` in ``folder``; audited."""
        from app.services.statistics.csv_export import write_tables

        self._require(actor, dashboard.filter)
        paths = write_tables(dashboard, folder)
        self._audit.record(
            actor,
            AuditAction.EXPORT,
            object_type="statistics",
            detail=self._detail(f"tableaux CSV ({len(paths)})", dashboard.filter),
        )
        return paths


class _Steps:
    """Progress after each query; a cancellation stops before the next one."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.done = -1

    def __call__(self, *, last: bool = False) -> None:
        if self._cancelled is not None and self._cancelled():
            raise StatisticsCancelled()
        self.done += 1
        if self._progress is not None:
            self._progress(STEPS if last else self.done, STEPS)
