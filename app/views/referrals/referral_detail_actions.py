"""The action handlers of ``ReferralDetail``: each step the service allows (acknowledge,
book, record seen, close, reorient, send feedback, cancel), its small dialog, and the step
run on the window's task runner with its refusal shown in the dialog or under the buttons.
« Fixer un rendez-vous » opens the receiver's sessions (slot picker) when she holds some,
else the date step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.services.kernel.errors import RelaisError
from app.services.referrals.records import ReferralAction, ReferralView
from app.views.agenda.booking_dialog import SlotPickerDialog
from app.views.common.step_dialog import StepDialog
from app.views.common.steps import open_step, run_step
from app.views.referrals.referral_actions import (
    BookDialog,
    CancelDialog,
    CloseDialog,
    FeedbackDialog,
    ReorientDialog,
)


class ReferralDetailActions:
    """Mixed into ``ReferralDetail``: its ``view``, ``changed``, ``edit_draft``,
    ``action_buttons``, ``error``, ``_services``, ``_actor``, ``_tasks()``, ``load()``,
    ``show_view()``, ``_read_sessions()`` and ``_fail()``; sets ``step_dialog`` (through
    ``open_step``) and ``slot_picker``."""

    def run_action(self, action: ReferralAction) -> None:
        view = self.view
        if view is None:
            return
        referrals = self._services.referrals
        actor, rid = self._actor, view.id
        if action is ReferralAction.UPDATE_DRAFT:
            self.edit_draft.emit(view)
        elif action is ReferralAction.ACKNOWLEDGE:
            self._apply(lambda: referrals.acknowledge(actor, rid))
        elif action is ReferralAction.RECORD_SEEN:
            self._apply(lambda: referrals.record_seen(actor, rid))
        elif action is ReferralAction.BOOK:
            self._book(view)
        elif action is ReferralAction.CLOSE:
            close = CloseDialog(self)
            open_step(
                self,
                close,
                lambda: self._apply(
                    lambda: referrals.close(
                        actor,
                        rid,
                        outcome=close.outcome.currentText(),
                        feedback=close.feedback.toPlainText().strip() or None,
                    ),
                    close,
                ),
            )
        elif action is ReferralAction.SEND_FEEDBACK:
            feedback = FeedbackDialog(self)
            open_step(
                self,
                feedback,
                lambda: self._apply(
                    lambda: referrals.send_feedback(actor, rid, feedback.text.toPlainText()),
                    feedback,
                ),
            )
        elif action is ReferralAction.REORIENT:
            try:
                partners = self._services.partners.list(actor)
            except RelaisError:
                partners = []
            reorient = ReorientDialog(partners, self)

            def confirm() -> None:
                partner_id = reorient.partner.currentData()
                if partner_id is None:
                    reorient.errors.show({"partner_id": self.tr("Choisissez le partenaire.")})
                    return
                self._apply(
                    lambda: referrals.reorient(
                        actor,
                        rid,
                        partner_id=partner_id,
                        reason=reorient.reason.toPlainText(),
                        rule=reorient.rule.currentData() or "",
                    ),
                    reorient,
                )

            open_step(self, reorient, confirm)
        elif action is ReferralAction.CANCEL:
            cancel = CancelDialog(self)
            open_step(
                self,
                cancel,
                lambda: self._apply(
                    lambda: referrals.cancel(actor, rid, cancel.reason.toPlainText()), cancel
                ),
            )

    def _apply(self, call: Callable[[], ReferralView], dialog: StepDialog | None = None) -> None:
        """Run a step (on the window's task runner when there is one, the action buttons and
        the dialog's OK disabled meanwhile); its refusal shows in the dialog or under the
        buttons, its new view here."""

        def step() -> tuple[ReferralView, str]:
            try:
                return call(), ""
            except RelaisError as exc:
                view = getattr(exc, "view", None)  # FeedbackNotShared: the step was kept
                if view is None:
                    raise
                return view, exc.message

        busy = [b for b in self.action_buttons.values() if not b.isHidden()]
        ok = getattr(dialog, "ok", None)
        if isinstance(ok, QPushButton):
            busy.append(ok)
        run_step(
            step,
            dialog,
            self._fail,
            runner=self._tasks(),
            done=self._applied,
            busy=busy,
            owner=self,
        )

    def _applied(self, outcome: tuple[ReferralView, str]) -> None:
        view, message = outcome
        if not message:
            self.error.hide()
        self.show_view(view)
        if message:
            self._fail(message)
        self.changed.emit(view)

    # ---- booking -------------------------------------------------------------------------
    def _open_slot_picker(self, view: ReferralView) -> bool:
        """« Fixer un rendez-vous » in the receiver's sessions, when she holds some."""
        receiver = view.summary.receiver_id
        if receiver is None or not self._read_sessions(receiver):
            return False
        self._show_slot_picker(view, receiver)
        return True

    def _show_slot_picker(self, view: ReferralView, receiver: int) -> None:
        dialog = SlotPickerDialog(
            self._services,
            self._actor,
            patient_id=view.summary.patient_id,
            patient_name=view.summary.patient_name,
            professional_id=receiver,
            referral_id=view.id,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.slot_picker = dialog
        dialog.booked.connect(lambda _a, rid=view.id: self._booked(rid))
        dialog.finished.connect(lambda _r: setattr(self, "slot_picker", None))
        dialog.open()

    def _book(self, view: ReferralView) -> None:
        """« Fixer un rendez-vous »: the slot picker when the receiver holds sessions (asked
        on the task runner when there is one), else the date step."""
        runner, receiver = self._tasks(), view.summary.receiver_id
        if runner is None or receiver is None:
            if not self._open_slot_picker(view):
                self._book_date(view)
            return
        scheduling, actor = self._services.scheduling, self._actor

        def has_sessions() -> bool:
            return bool(scheduling.sessions(actor, professional_id=receiver))

        def opened(sessions: bool) -> None:
            if self.view is None or self.view.id != view.id:
                return  # another referral is shown now
            if sessions:
                self._show_slot_picker(view, receiver)
            else:
                self._book_date(view)

        run_step(
            has_sessions,
            None,
            lambda _message: opened(False),  # no sessions to read: the date step
            runner=runner,
            done=opened,
            busy=[self.action_buttons[ReferralAction.BOOK]],
            write=False,
            owner=self,
        )

    def _book_date(self, view: ReferralView) -> None:
        referrals, actor, rid = self._services.referrals, self._actor, view.id
        book = BookDialog(self._services.clock(), parent=self)
        open_step(
            self,
            book,
            lambda: self._apply(lambda: referrals.book(actor, rid, book.value()), book),
        )

    def _booked(self, referral_id: int) -> None:
        """The slot picker booked: the referral is read again, then the list."""
        self.load(referral_id, then=self.changed.emit)
