"""The referral form's steps (``ReferralDialog``): save the draft, send with the patient's
agreement, record the patient's refusal. Each write runs on the window's task runner when
there is one, the form's buttons waiting meanwhile; a refusal shows under its fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.kernel.errors import RelaisError
from app.services.referrals.records import ReferralView
from app.views.common.steps import run_step

T = TypeVar("T")


class ReferralFormSteps:
    """Mixed into ``ReferralDialog``: its ``referral``, ``saved``, ``errors``, ``_runner``,
    ``_services``, ``_actor``, ``referral_input()`` and ``_action_buttons()``."""

    def _storing(self) -> Callable[[], ReferralView] | None:
        """The call saving the form (a new draft or the draft's new version), None when a
        field is missing (said under it)."""
        data = self.referral_input()
        if data is None:
            return None
        referrals, current, actor = self._services.referrals, self.referral, self._actor
        if current is None:
            return lambda: referrals.create(actor, data)
        return lambda: referrals.update_draft(actor, current.id, data, current.version)

    def _store(self, then: Callable[[ReferralView], object] | None = None) -> None:
        """Save the form (on the task runner when there is one), then ``then(view)``."""
        store = self._storing()
        if store is not None:
            self._run(store, lambda view: self._stored(view, then))

    def _run(self, call: Callable[[], T], done: Callable[[T], object]) -> None:
        """A write of the form on the task runner (the form's buttons waiting meanwhile);
        its refusal under its fields or above the buttons."""
        run_step(
            call,
            None,
            self.errors.show_general,
            refused=lambda error: self.errors.succeeds(lambda: _raise(error)),
            runner=self._runner,
            done=done,
            busy=self._action_buttons(),
            owner=self,
        )

    def _stored(self, view: ReferralView, then: Callable[[ReferralView], object] | None) -> None:
        self.errors.clear()
        self.referral = view
        self.saved.emit(view)
        if then is not None:
            then(view)

    def save_draft(self) -> None:
        self._store(lambda _view: self.accept())

    def send_agreed(self) -> None:
        """« Envoyer — le patient est d'accord »: saved, then sent with the agreement, in one
        task (a refused sending keeps the saved draft, its reason shown)."""
        store = self._storing()
        if store is None:
            return
        referrals, actor = self._services.referrals, self._actor

        def work() -> tuple[ReferralView, ReferralView | None, RelaisError | None]:
            stored = store()
            try:
                return stored, referrals.send(actor, stored.id, patient_agrees=True), None
            except RelaisError as exc:
                return stored, None, exc

        self._run(work, self._sent_agreed)

    def _sent_agreed(
        self, outcome: tuple[ReferralView, ReferralView | None, RelaisError | None]
    ) -> None:
        stored, sent, error = outcome
        if sent is None:
            self.referral = stored
            self.saved.emit(stored)
            self.errors.succeeds(lambda: _raise(error))
            return
        self.errors.clear()
        self._sent(sent)

    def ask_refusal(self) -> None:
        """The patient refuses to be referred: confirmed once, then recorded and counted."""
        self._store(lambda _view: self._ask_refusal())

    def _ask_refusal(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("patientRefusalBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Refus du patient"))
        box.setText(self.tr("Le patient refuse d'être orienté ?"))
        box.setInformativeText(
            self.tr(
                "L'orientation est close comme refusée par le patient (le refus est enregistré "
                "et compté)."
            )
        )
        self.confirm_refusal = box.addButton(
            self.tr("&Oui, le patient refuse"), QMessageBox.ButtonRole.YesRole
        )
        box.addButton(self.tr("&Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refusal_box = box
        box.buttonClicked.connect(
            lambda button: self.send(False) if button is self.confirm_refusal else None
        )
        box.finished.connect(lambda _r: setattr(self, "refusal_box", None))
        box.open()

    def send(self, patient_agrees: bool) -> None:
        if self.referral is None:
            return
        referrals, actor, referral_id = self._services.referrals, self._actor, self.referral.id
        self._run(
            lambda: referrals.send(actor, referral_id, patient_agrees=patient_agrees), self._sent
        )

    def _sent(self, view: ReferralView) -> None:
        self.referral = view
        self.saved.emit(view)
        self.accept()


def _raise(error: BaseException | None) -> None:
    if error is not None:
        raise error
