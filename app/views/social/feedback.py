"""The feedback offered to the referral's sender when a consultation is closed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from app.views.referrals.referral_actions import FeedbackDialog


def feedback_dialog(sender: str, liaison: bool, parent: QWidget) -> FeedbackDialog:
    """« Retour à … »: only what the social worker writes reaches the sender; without the
    patient's liaison consent a notice says the text will not be passed on."""
    dialog = FeedbackDialog(parent)
    dialog.setWindowTitle(
        QCoreApplication.translate("ConsultationScreen", "Retour à {sender}").format(sender=sender)
    )
    intro = QLabel(
        QCoreApplication.translate(
            "ConsultationScreen",
            "La consultation est close. Voulez-vous envoyer un retour à {sender} ? Seul ce que "
            "vous écrivez ici lui parvient (jamais l'évaluation sociale ni vos notes).",
        ).format(sender=sender)
    )
    intro.setWordWrap(True)
    dialog.column.insertWidget(0, intro)
    if not liaison:
        notice = QLabel(
            QCoreApplication.translate(
                "ConsultationScreen",
                "Le patient n'a pas donné (ou a retiré) son accord au partage entre médecins et "
                "assistante sociale : votre texte ne sera pas transmis, l'émetteur saura "
                "seulement que l'orientation est prise en charge.",
            )
        )
        notice.setObjectName("feedbackConsentNotice")
        notice.setWordWrap(True)
        notice.setStyleSheet("background: #fff8e1; border: 1px solid #ffb300; padding: 6px;")
        dialog.column.insertWidget(1, notice)
    return dialog
