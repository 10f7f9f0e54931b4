"""Colour is never the only signal (issue 14): an urgent, overdue or unread row says so in
words, in the cell the colour marks or in the row's status."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from app.services.referrals.orientation_guide import Proposal, Service
from app.services.referrals.records import ReferralStatus, ReferralSummary, Urgency
from app.views.agenda.side_models import ToScheduleModel
from app.views.referrals.orientation_dialog import ProposalsModel
from app.views.referrals.referrals_model import ReferralsModel

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def summary(**changes) -> ReferralSummary:
    values = dict(
        id=1,
        patient_id=1,
        patient_name="DUPRÉ Jean",
        sender_name="Paul Durand",
        destination_name="Sophie Moreau",
        status=ReferralStatus.SENT,
        status_label="Envoyée",
        urgency=Urgency.NORMAL,
        created_at=NOW,
        sent_at=NOW,
        updated_at=NOW,
        overdue=False,
        unread=False,
        can_read_content=True,
    )
    values.update(changes)
    return ReferralSummary(**values)


def texts(model, row: int) -> str:
    return " ".join(
        str(model.data(model.index(row, column)) or "") for column in range(model.columnCount())
    )


def coloured(model, row: int) -> list[int]:
    return [
        column
        for column in range(model.columnCount())
        if model.data(model.index(row, column), Qt.ItemDataRole.ForegroundRole) is not None
    ]


def test_referral_lists_say_overdue_urgent_and_unread_in_words():
    rows = [
        summary(id=1),
        summary(id=2, overdue=True),
        summary(id=3, urgency=Urgency.URGENT),
        summary(id=4, urgency=Urgency.EMERGENCY, unread=True),
    ]
    for model in (ReferralsModel(), ToScheduleModel()):
        model.set_rows(rows)
        assert coloured(model, 0) == []
        assert coloured(model, 1) and "en retard" in texts(model, 1)
        assert coloured(model, 2) and "Urgente" in texts(model, 2)
        assert coloured(model, 3) and "urgence" in texts(model, 3)
    referrals = ReferralsModel()
    referrals.set_rows(rows)
    assert texts(referrals, 3).startswith("●")  # unread: bold and a mark
    assert referrals.data(referrals.index(3, 0), Qt.ItemDataRole.ToolTipRole)


def test_an_urgent_proposal_of_the_guide_says_urgent():
    model = ProposalsModel()
    model.set_rows(
        [
            Proposal(Service.CARSAT, "Service social", "R1", "Situation d'urgence", True),
            Proposal(Service.CARSAT, "Service social", "R2", "Accès aux droits", False),
        ]
    )
    assert coloured(model, 0) and texts(model, 0).startswith("URGENT")
    assert coloured(model, 1) == [] and "URGENT" not in texts(model, 1)
