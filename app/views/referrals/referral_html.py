"""The referral detail as rich text: only the fields the service filled for this user."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QCoreApplication

from app.services.referrals.records import (
    SHARED_ITEM_LABELS,
    ReferralView,
    reason_title,
)
from app.views.common.labels import date_fr, datetime_fr


def _day(value: object) -> str:
    """A note's date (a ``date``, or ISO text as stored in the referral)."""
    if isinstance(value, str):
        try:
            return date_fr(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return date_fr(value)  # type: ignore[arg-type]


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _summary_rows(view: ReferralView) -> list[tuple[str, str]]:
    s = view.summary
    rows = [
        (
            QCoreApplication.translate("ReferralDetail", "Statut"),
            s.status_label
            + (QCoreApplication.translate("ReferralDetail", " — en retard") if s.overdue else ""),
        ),
        (QCoreApplication.translate("ReferralDetail", "De"), s.sender_name),
        (QCoreApplication.translate("ReferralDetail", "Vers"), s.destination_name),
        (QCoreApplication.translate("ReferralDetail", "Urgence"), s.urgency_label),
        (QCoreApplication.translate("ReferralDetail", "Créée le"), datetime_fr(s.created_at)),
    ]
    if s.sent_at:
        rows.append(
            (QCoreApplication.translate("ReferralDetail", "Envoyée le"), datetime_fr(s.sent_at))
        )
    if view.reoriented_to_name:
        rows.append(
            (
                QCoreApplication.translate("ReferralDetail", "Réorientée vers"),
                view.reoriented_to_name,
            )
        )
    return rows


def referral_html(view: ReferralView) -> str:
    """The detail as rich text: only the fields the service filled for this user."""
    s = view.summary
    rows = _summary_rows(view)
    parts = [
        "<table cellspacing='0' cellpadding='2'>"
        + "".join(
            f"<tr><td style='color:#455a64; padding-right:10px'>{_esc(k)}</td>"
            f"<td><b>{_esc(v)}</b></td></tr>"
            for k, v in rows
        )
        + "</table>"
    ]
    if not s.can_read_content:
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail",
                "<p style='color:#455a64'><i>Le motif, le message et le retour de cette "
                "orientation ne sont visibles que par son émetteur(trice) et son (sa) "
                "destinataire.</i></p>",
            )
        )
        return "".join(parts)
    if view.reason is not None:
        parts.append(
            QCoreApplication.translate("ReferralDetail", "<h4>Motif</h4><p>{value}</p>").format(
                value=_esc(reason_title(view.reason))
            )
        )
    if view.orientation_rule:
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail",
                "<p style='color:#455a64'>Proposée par le guide d'orientation (règle "
                "{orientation_rule}).</p>",
            ).format(orientation_rule=_esc(view.orientation_rule))
        )
    if view.message:
        parts.append(
            QCoreApplication.translate("ReferralDetail", "<h4>Message</h4><p>{message}</p>").format(
                message=_esc(view.message)
            )
        )
    if view.items:
        parts.append(
            QCoreApplication.translate("ReferralDetail", "<h4>Éléments transmis</h4><ul>")
            + "".join(
                f"<li>{_esc(SHARED_ITEM_LABELS[item])} : {_esc(value)}</li>"
                for item, value in view.items.items()
            )
            + "</ul>"
        )
    if view.notes:
        parts.append(
            QCoreApplication.translate("ReferralDetail", "<h4>Notes de liaison jointes</h4>")
            + "".join(
                f"<p><b>{_esc(_day(day))} — {_esc(author)}</b><br>{_esc(text)}</p>"
                for day, author, text in view.notes
            )
        )
    if view.withheld:
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail",
                "<p style='color:#e65100'>Retenu (consentement retiré depuis l'envoi) : ",
            )
            + _esc(", ".join(view.withheld))
            + "</p>"
        )
    parts.extend(_closing_html(view))
    return "".join(parts)


def _closing_html(view: ReferralView) -> list[str]:
    """How the referral ended: re-referral, cancellation, outcome and feedback."""
    parts: list[str] = []
    if view.reorientation_reason:
        rule = (
            QCoreApplication.translate(
                "ReferralDetail", " (règle {orientation_error_rule})"
            ).format(orientation_error_rule=view.orientation_error_rule)
            if view.orientation_error_rule
            else ""
        )
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail", "<h4>Réorientation{rule}</h4><p>{reorientation_reason}</p>"
            ).format(rule=_esc(rule), reorientation_reason=_esc(view.reorientation_reason))
        )
    if view.cancel_reason:
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail", "<h4>Motif d'annulation</h4><p>{cancel_reason}</p>"
            ).format(cancel_reason=_esc(view.cancel_reason))
        )
    if view.outcome:
        parts.append(
            QCoreApplication.translate("ReferralDetail", "<h4>Issue</h4><p>{outcome}</p>").format(
                outcome=_esc(view.outcome)
            )
        )
    if view.feedback:
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail",
                "<h4>Retour d'orientation</h4><p style='background:#e8f5e9; "
                "padding:6px'>{feedback}</p>",
            ).format(feedback=_esc(view.feedback))
        )
    elif view.feedback_summary:
        parts.append(
            QCoreApplication.translate(
                "ReferralDetail",
                "<h4>Retour d'orientation</h4><p>Orientation « {feedback_summary} » "
                "(le texte du retour n'est pas partagé sans l'accord du patient au "
                "partage entre médecins et assistante sociale).</p>",
            ).format(feedback_summary=_esc(view.feedback_summary))
        )
    return parts
