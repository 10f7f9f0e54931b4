"""Referral aggregates without names (counts by state, delays), for the dashboards."""

from __future__ import annotations

import statistics

from sqlalchemy import func, select

from app.i18n import _
from app.models import Referral
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    PermissionDenied,
)
from app.services.kernel.policy import Action, Resource
from app.services.kernel.timefmt import aware
from app.services.referrals.errors import (
    STATS_REFUSED,
)
from app.services.referrals.records import (
    ReferralDelays,
    ReferralStatus,
)
from app.services.referrals.store import (
    StorePart,
)


class ReferralAggregates(StorePart):
    """How many referrals in each state, and how long they wait."""

    # ---- aggregates ---------------------------------------------------------------------
    def _require_statistics(self, actor: Actor) -> None:
        if not policy.allows(actor.role, Resource.STATISTICS, Action.READ):
            self._audit.refused(
                actor, AuditAction.READ, object_type="referral_statistics", detail=STATS_REFUSED
            )
            raise PermissionDenied(_(STATS_REFUSED))

    def counts(self, actor: Actor) -> dict[ReferralStatus, int]:
        """How many referrals in each state (no names): coordination, GPs, social worker."""
        self._require_statistics(actor)
        with self._db.session() as session:
            rows = session.execute(
                select(Referral.status, func.count()).group_by(Referral.status)
            ).all()
            self._audit.add(
                session, actor, AuditAction.READ, object_type="referral_statistics", detail="counts"
            )
        out = {status: 0 for status in ReferralStatus}
        for status, n in rows:
            out[ReferralStatus(status)] = int(n)
        return out

    def delays(self, actor: Actor) -> ReferralDelays:
        """Days from sending to the first consultation (median, mean) — and to reception."""
        self._require_statistics(actor)
        with self._db.session() as session:
            rows = session.execute(
                select(Referral.sent_at, Referral.received_at, Referral.seen_at).where(
                    Referral.sent_at.is_not(None)
                )
            ).all()
            self._audit.add(
                session, actor, AuditAction.READ, object_type="referral_statistics", detail="delays"
            )
        to_seen, to_ack, waiting = [], [], 0
        for sent, received, seen in rows:
            sent = aware(sent)
            if seen is not None:
                to_seen.append((aware(seen) - sent).total_seconds() / 86_400)
            else:
                waiting += 1
            if received is not None:
                to_ack.append((aware(received) - sent).total_seconds() / 86_400)
        return ReferralDelays(
            measured=len(to_seen),
            median_days=round(statistics.median(to_seen), 1) if to_seen else None,
            mean_days=round(statistics.fmean(to_seen), 1) if to_seen else None,
            waiting=waiting,
            median_ack_days=round(statistics.median(to_ack), 1) if to_ack else None,
        )
