"""Referring from an open file: the orientation guide, then the referral dialog (the referral
screens' widgets, opened one at a time over the file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.clock import clinic_today
from app.services.kernel.actor import Actor
from app.services.patient_file.records import PatientRecord
from app.views.ports import ServicesPort
from app.views.referrals.orientation_dialog import OrientationGuideDialog
from app.views.referrals.referral_dialog import ReferralDialog

__all__ = ["Orientation", "OrientationGuideDialog", "ReferralDialog"]


class Orientation(QObject):
    """``saved(view)`` once a referral is saved (or sent) from the dialog."""

    saved = Signal(object)

    def __init__(
        self,
        file: QWidget,
        services: ServicesPort,
        actor: Actor,
        record: Callable[[], PatientRecord],
    ) -> None:
        super().__init__(file)
        self._file = file
        self._services = services
        self._actor = actor
        self._record = record
        self.guide_dialog: OrientationGuideDialog | None = None
        self.referral_dialog: ReferralDialog | None = None

    def open_guide(self) -> None:
        if self.guide_dialog is not None:
            self.guide_dialog.raise_()
            return
        dialog = OrientationGuideDialog(
            self._record().birth_date, today=clinic_today(self._services.clock), parent=self._file
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.guide_dialog = dialog
        dialog.chosen.connect(
            lambda proposal, situation: self.open_referral_dialog(
                proposal=proposal, situation=situation
            )
        )
        dialog.finished.connect(lambda _r: setattr(self, "guide_dialog", None))
        dialog.open()

    def open_referral_dialog(
        self, *, draft: Any = None, proposal: Any = None, situation: Any = None
    ) -> None:
        if self.referral_dialog is not None:
            self.referral_dialog.raise_()
            return
        dialog = ReferralDialog(
            self._services, self._actor, self._record(), draft=draft, parent=self._file
        )
        if proposal is not None and situation is not None:
            dialog.prefill(proposal, situation)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.referral_dialog = dialog
        dialog.saved.connect(self.saved)
        dialog.finished.connect(lambda _r: setattr(self, "referral_dialog", None))
        dialog.open()
