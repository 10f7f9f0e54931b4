"""Small dialogs for the receiver's steps: book, close (outcome and feedback), reorient,
feedback, cancel. (``StepDialog`` lives in ``app.views.common.step_dialog``; it is still
imported from here by the agenda, social and home-care dialogs.)"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from app.clock import CLINIC_TZ
from app.services.kernel.timefmt import local
from app.services.partners.records import PartnerInfo
from app.services.referrals.orientation_guide import FALLBACK, RULES, SERVICE_LABELS
from app.views.common.step_dialog import StepDialog, form_row

OUTCOMES = (
    QT_TRANSLATE_NOOP("CloseDialog", "Prise en charge"),
    QT_TRANSLATE_NOOP("CloseDialog", "Droits ouverts"),
    QT_TRANSLATE_NOOP("CloseDialog", "Aide mise en place"),
    QT_TRANSLATE_NOOP("CloseDialog", "Orienté vers un autre service"),
    QT_TRANSLATE_NOOP("CloseDialog", "Patient non venu"),
    QT_TRANSLATE_NOOP("CloseDialog", "Sans suite"),
)


def _text(name: str, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(120)
    edit.setTabChangesFocus(True)
    return edit


class BookDialog(StepDialog):
    def __init__(self, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Rendez-vous pris"), self.tr("&Enregistrer"), parent)
        self.setObjectName("bookDialog")
        self.with_time = QCheckBox(self.tr("&Noter la date du rendez-vous"))
        self.with_time.setObjectName("bookWithTime")
        self.when = QDateTimeEdit()
        self.when.setObjectName("bookWhen")
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setCalendarPopup(True)
        # Shown and read in the clinic's time zone, whatever the workstation's.
        shown = local(now).replace(tzinfo=None, second=0, microsecond=0)
        self.when.setDateTime(QDateTime(shown))
        self.when.setEnabled(False)
        self.with_time.toggled.connect(self.when.setEnabled)
        self.form.addRow("", self.with_time)
        form_row(self.errors, self.form, "when", self.tr("Rendez-vous &le"), self.when)

    def value(self) -> datetime | None:
        if not self.with_time.isChecked():
            return None
        return self.when.dateTime().toPython().replace(tzinfo=CLINIC_TZ)


class CloseDialog(StepDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Clôturer l'orientation"), self.tr("&Clôturer"), parent)
        self.setObjectName("closeDialog")
        self.outcome = QComboBox()
        self.outcome.setObjectName("closeOutcome")
        self.outcome.setEditable(True)
        self.outcome.addItems([self.tr(o) for o in OUTCOMES])
        self.outcome.setCurrentIndex(-1)
        self.outcome.lineEdit().setPlaceholderText(self.tr("Issue (choisir ou écrire)"))
        self.feedback = _text(
            "closeFeedback",
            self.tr("Retour à l'émetteur (facultatif) : ce qui a été fait, ce qui reste à faire."),
        )
        form_row(self.errors, self.form, "outcome", self.tr("&Issue"), self.outcome)
        form_row(
            self.errors, self.form, "feedback", self.tr("&Retour d'orientation"), self.feedback
        )


class FeedbackDialog(StepDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Envoyer un retour d'orientation"), self.tr("En&voyer le retour"), parent
        )
        self.setObjectName("feedbackDialog")
        self.text = _text("feedbackText", self.tr("Ce que l'émetteur doit savoir."))
        form_row(self.errors, self.form, "feedback", self.tr("&Retour"), self.text)


class ReorientDialog(StepDialog):
    """Partner, reason and the orientation guide's rule that should have applied."""

    def __init__(self, partners: list[PartnerInfo], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Réorienter"), self.tr("&Réorienter"), parent)
        self.setObjectName("reorientDialog")
        self.setMinimumWidth(760)
        intro = QLabel(
            self.tr(
                "La réorientation est comptée comme une <b>erreur d'orientation</b> : indiquez "
                "le service adapté et la règle du guide qui aurait dû s'appliquer."
            )
        )
        intro.setWordWrap(True)
        self.column.insertWidget(0, intro)
        self.partner = QComboBox()
        self.partner.setObjectName("reorientPartner")
        self.partner.addItem(self.tr("— choisir —"), None)
        for partner in partners:
            self.partner.addItem(f"{partner.display_name} ({partner.kind_label})", partner.id)
        self.rule = QComboBox()
        self.rule.setObjectName("reorientRule")
        self.rule.addItem(self.tr("— aucune règle en particulier —"), "")
        for rule in (*RULES, FALLBACK):
            services = ", ".join(SERVICE_LABELS[s].split(" (")[0] for s in rule.services)
            self.rule.addItem(f"{rule.code} — {services}", rule.code)
            self.rule.setItemData(self.rule.count() - 1, rule.description, 3)  # tooltip
        self.reason = _text("reorientReason", self.tr("Pourquoi ce service est plus adapté."))
        form_row(self.errors, self.form, "partner_id", self.tr("&Vers"), self.partner)
        form_row(self.errors, self.form, "rule", self.tr("Règle du &guide"), self.rule)
        form_row(self.errors, self.form, "reason", self.tr("&Motif"), self.reason)


class CancelDialog(StepDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Annuler l'orientation"), self.tr("Annuler l'&orientation"), parent
        )
        self.setObjectName("cancelReferralDialog")
        self.reason = _text("cancelReason", self.tr("Pourquoi (facultatif)"))
        self.reason.setMinimumHeight(70)
        form_row(self.errors, self.form, "reason", self.tr("&Motif"), self.reason)


__all__ = [
    "BookDialog",
    "CancelDialog",
    "CloseDialog",
    "FeedbackDialog",
    "ReorientDialog",
    "StepDialog",
]
