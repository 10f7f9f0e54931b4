"""The detail panel of one referral: its content, timeline, action buttons and prints.

Shared by the patient file's « Orientations » tab and the workspace's « Orientations » window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import GeneratedDocument
from app.services.referrals.records import (
    REFERRAL_ACTION_LABELS,
    ReferralAction,
    ReferralStatus,
    ReferralView,
)
from app.views.agenda.booking_dialog import SlotPickerDialog
from app.views.common import pdf_view
from app.views.common.labels import date_fr
from app.views.common.step_dialog import StepDialog
from app.views.common.steps import open_preview, run_step
from app.views.common.tasks import TaskRunner, runner_of
from app.views.common.widgets import error_label
from app.views.referrals.ports import ReferralViewsPort
from app.views.referrals.referral_detail_actions import ReferralDetailActions
from app.views.referrals.referral_html import referral_html
from app.views.referrals.referrals_model import ReferralEventsModel

# The secretariat books from a referral in these states (the social worker's own steps are
# the service's ``allowed_actions``).
SCHEDULABLE = {ReferralStatus.SENT, ReferralStatus.RECEIVED}
Made = TypeVar("Made")  # what a background generation hands back (a document, its pages)

# Button label and order (the service says which ones apply).
ACTION_BUTTONS: tuple[tuple[ReferralAction, str], ...] = (
    (
        ReferralAction.UPDATE_DRAFT,
        QT_TRANSLATE_NOOP("ReferralDetail", "&Modifier / envoyer le brouillon…"),
    ),
    (ReferralAction.ACKNOWLEDGE, QT_TRANSLATE_NOOP("ReferralDetail", "Accuser ré&ception")),
    (ReferralAction.BOOK, QT_TRANSLATE_NOOP("ReferralDetail", "Fixer un rendez-vous…")),
    (ReferralAction.RECORD_SEEN, QT_TRANSLATE_NOOP("ReferralDetail", "Patient v&u")),
    (ReferralAction.CLOSE, QT_TRANSLATE_NOOP("ReferralDetail", "C&lôturer…")),
    (ReferralAction.REORIENT, QT_TRANSLATE_NOOP("ReferralDetail", "Réorien&ter…")),
    (ReferralAction.SEND_FEEDBACK, QT_TRANSLATE_NOOP("ReferralDetail", "Envoyer un r&etour…")),
    (ReferralAction.CANCEL, QT_TRANSLATE_NOOP("ReferralDetail", "A&nnuler l'orientation…")),
)
PRINTABLE = {
    ReferralStatus.SENT,
    ReferralStatus.RECEIVED,
    ReferralStatus.APPOINTMENT_BOOKED,
    ReferralStatus.SEEN,
    ReferralStatus.CLOSED,
    ReferralStatus.REORIENTED,
}


class ReferralDetail(ReferralDetailActions, QWidget):
    """One referral: its content as this user may read it, its timeline, the buttons of the
    actions the service allows, and the printed form / feedback letter."""

    changed = Signal(object)  # the new ReferralView
    edit_draft = Signal(object)

    def __init__(
        self,
        services: ReferralViewsPort,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralDetail")
        self._services = services
        self._actor = actor
        self._runner = runner
        self._printer: TaskRunner | None = None  # documents' runner when no window has one
        self._loads = 0  # the latest read of a referral (an older one is dropped)
        self._sessions: dict[int, bool] = {}  # whether a professional holds sessions
        self.view: ReferralView | None = None
        self.step_dialog: StepDialog | None = None
        self.slot_picker: SlotPickerDialog | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.printed: GeneratedDocument | None = None
        self.capabilities = services.referrals.capabilities(actor)
        self.can_book_appointments = self.capabilities.can_book_appointments
        self.title = QLabel()
        self.title.setObjectName("referralTitle")
        self.title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.body = QTextBrowser()
        self.body.setObjectName("referralBody")
        self.body.setOpenLinks(False)
        self._build_events()
        self.error = error_label()
        self.error.setObjectName("referralError")
        actions = self._build_actions()
        prints = self._build_prints()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.body, 1)
        layout.addWidget(QLabel(self.tr("<b>Étapes</b> (horodatées)")))
        layout.addWidget(self.events)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        layout.addLayout(prints)
        self.show_view(None)

    def _build_events(self) -> None:
        """The timeline table (read only)."""
        self.events_model = ReferralEventsModel(self)
        self.events = QTableView()
        self.events.setObjectName("referralEvents")
        self.events.setModel(self.events_model)
        self.events.verticalHeader().hide()
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.events.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.events.setMaximumHeight(150)

    def _build_actions(self) -> QHBoxLayout:
        """One button per action; ``show_view`` shows those the service allows."""
        self.action_buttons: dict[ReferralAction, QPushButton] = {}
        actions = QHBoxLayout()
        for action, label in ACTION_BUTTONS:
            button = QPushButton(self.tr(label))
            button.setObjectName(f"action_{action}")
            button.setAutoDefault(False)
            button.setToolTip(self.tr(REFERRAL_ACTION_LABELS[action]))
            button.clicked.connect(lambda _c=False, a=action: self.run_action(a))
            button.hide()
            self.action_buttons[action] = button
            actions.addWidget(button)
        actions.addStretch(1)
        return actions

    def _build_prints(self) -> QHBoxLayout:
        """« Imprimer la fiche » (one action), its preview, and the feedback letter."""
        self.print_form_button = QPushButton(self.tr("&Imprimer la fiche"))
        self.print_form_button.setObjectName("printReferralForm")
        self.print_form_button.setToolTip(
            self.tr("Imprime la fiche d'orientation sur la dernière imprimante utilisée.")
        )
        self.preview_form_button = QPushButton(self.tr("&Aperçu de la fiche…"))
        self.preview_form_button.setObjectName("previewReferralForm")
        self.print_feedback_button = QPushButton(self.tr("Imprimer le &retour…"))
        self.print_feedback_button.setObjectName("printFeedbackLetter")
        self.print_status = QLabel()
        self.print_status.setObjectName("referralPrintStatus")
        self.print_status.setStyleSheet("color: #2e7d32;")
        prints = QHBoxLayout()
        prints.addWidget(self.print_status, 1)
        for button in (
            self.preview_form_button,
            self.print_form_button,
            self.print_feedback_button,
        ):
            button.setAutoDefault(False)
            button.hide()
            prints.addWidget(button)
        self.print_form_button.clicked.connect(self.print_form)
        self.preview_form_button.clicked.connect(self.preview_form)
        self.print_feedback_button.clicked.connect(self.print_feedback)
        return prints

    # ---- display ------------------------------------------------------------------------
    def load(
        self,
        referral_id: int,
        *,
        then: Callable[[ReferralView], object] | None = None,
        at_once: bool = False,
    ) -> ReferralView | None:
        """Read and show ``referral_id`` (then ``then(view)``); returned when read at once.
        With the window's task runner (unless ``at_once``) the read runs there and the view
        is shown (and None returned) when it ends."""
        self._loads += 1
        loads, referrals, actor = self._loads, self._services.referrals, self._actor

        def failed(message: str) -> None:
            if loads == self._loads:
                self.show_view(None)
                self._fail(message)

        def read() -> ReferralView:
            view = referrals.get(actor, referral_id)
            receiver = self._secretariat_receiver(view)
            if receiver is not None:  # whether the secretariat books: read here too
                self._read_sessions(receiver)
            return view

        return run_step(
            read,
            None,
            failed,
            runner=None if at_once else self._tasks(),
            done=lambda view: self._loaded(loads, view, then),
            write=False,
            owner=self,
        )

    def _loaded(
        self, loads: int, view: ReferralView, then: Callable[[ReferralView], object] | None
    ) -> None:
        if loads != self._loads:  # a later read is on its way
            return
        self.error.hide()
        self.show_view(view)
        if then is not None:
            then(view)
        if view.summary.unread:
            referrals, actor, rid = self._services.referrals, self._actor, view.id
            run_step(
                lambda: referrals.mark_seen(actor, rid),
                None,
                lambda _message: None,  # read or not, the referral is shown
                runner=self._tasks(),
                owner=self,
            )

    def _tasks(self) -> TaskRunner | None:
        """The task runner that service calls from slots go to: the one given, else the
        window's; None (calls made at once) for a panel shown on its own."""
        return self._runner if self._runner is not None else runner_of(self)

    def show_view(self, view: ReferralView | None) -> None:
        self.view = view
        if view is None:
            self.title.setText(self.tr("Choisissez une orientation dans la liste."))
            self.body.clear()
            self.events_model.set_rows([])
            for button in self.action_buttons.values():
                button.hide()
            self.print_form_button.hide()
            self.preview_form_button.hide()
            self.print_feedback_button.hide()
            return
        self.title.setText(
            self.tr("Orientation du {date} — {status}").format(
                date=date_fr(view.summary.created_at), status=view.summary.status_label
            )
        )
        self.body.setHtml(referral_html(view))
        self.events_model.set_rows(view.events)
        allowed = set(view.allowed_actions)
        if self._secretariat_books(view):
            allowed.add(str(ReferralAction.BOOK))
        for action, button in self.action_buttons.items():
            button.setVisible(str(action) in allowed)
        readable = view.summary.can_read_content
        self.print_form_button.setVisible(readable and view.status in PRINTABLE)
        self.preview_form_button.setVisible(readable and view.status in PRINTABLE)
        self.print_feedback_button.setVisible(
            readable and (bool(view.feedback) or view.status is ReferralStatus.CLOSED)
        )

    def focus_first_action(self) -> None:
        shown = [b for b in self.action_buttons.values() if not b.isHidden()]
        (shown[0] if shown else self.body).setFocus(Qt.FocusReason.OtherFocusReason)

    def visible_actions(self) -> list[str]:
        return [str(a) for a, b in self.action_buttons.items() if not b.isHidden()]

    def _secretariat_books(self, view: ReferralView) -> bool:
        """The secretariat (appointments, no referral steps of its own) fixes the appointment
        of a referral addressed to a professional holding sessions."""
        receiver = self._secretariat_receiver(view)
        return receiver is not None and self._has_sessions(receiver)

    def _secretariat_receiver(self, view: ReferralView) -> int | None:
        """The receiver whose sessions decide whether the secretariat books, if any."""
        if not self.can_book_appointments or view.allowed_actions:
            return None
        if self.capabilities.can_handle or view.status not in SCHEDULABLE:
            return None
        return view.summary.receiver_id

    def _has_sessions(self, professional_id: int) -> bool:
        """Whether ``professional_id`` holds sessions (as last read with a referral on the
        task runner, else read now)."""
        known = self._sessions.get(professional_id)
        if known is not None:
            return known
        return self._read_sessions(professional_id)

    def _read_sessions(self, professional_id: int) -> bool:
        """Any thread: no widget touched."""
        try:
            held = bool(
                self._services.scheduling.sessions(self._actor, professional_id=professional_id)
            )
        except RelaisError:
            held = False
        self._sessions[professional_id] = held
        return held

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ---- printing -----------------------------------------------------------------------
    def runner(self) -> TaskRunner:
        """The window's task runner (documents are generated off the UI thread; a panel
        shown on its own makes its own)."""
        found = self._tasks()
        if found is not None:
            return found
        if self._printer is None:
            self._printer = TaskRunner(self)
        return self._printer

    def _generate(self, produce: Callable[[], Made], then: Callable[[Made], None]) -> None:
        """Generate (and archive) a document in the background, then ``then`` it here."""
        self.print_status.setText(self.tr("Préparation du document…"))
        for button in (self.print_form_button, self.preview_form_button):
            button.setEnabled(False)

        def done(generated: Made) -> None:
            self._generated()
            then(generated)
            if self.view is not None:
                self.changed.emit(self.view)  # a document was archived in the file

        def failed(exc: BaseException) -> None:
            self._generated()
            self.print_status.clear()
            self._fail(exc.message if isinstance(exc, RelaisError) else str(exc))

        self.runner().run(lambda _report: produce(), success=done, failure=failed, write=True)

    def _generated(self) -> None:
        for button in (self.print_form_button, self.preview_form_button):
            button.setEnabled(True)

    def _preview(self, generated: GeneratedDocument) -> None:
        self.print_status.clear()
        open_preview(self, generated)

    def _form(self) -> Callable[[], GeneratedDocument] | None:
        if self.view is None:
            return None
        rid, actor, documents = self.view.id, self._actor, self._services.referral_documents
        return lambda: documents.referral_form(actor, rid)

    def print_form(self) -> None:
        """« Imprimer la fiche »: one action, on the last printer used. The form is made and
        its pages rendered for that printer on the task runner; the UI thread only paints."""
        produce = self._form()
        if produce is None:
            return
        dpi = pdf_view.remembered_print_dpi()

        def made() -> tuple[GeneratedDocument, list[pdf_view.RawPage]]:
            generated = produce()
            return generated, (pdf_view.rasterise(generated.pdf, dpi) if dpi else [])

        self._generate(made, self._print_rendered)

    def _print_rendered(self, made: tuple[GeneratedDocument, list[pdf_view.RawPage]]) -> None:
        generated, pages = made
        title = f"{generated.title} — {generated.number}"
        if pdf_view.print_rendered(self, generated.pdf, pages, title):
            self.printed = generated
            self.print_status.setText(
                self.tr("Fiche n° {number} imprimée.").format(number=generated.number)
            )
        else:
            self.print_status.clear()

    def preview_form(self) -> None:
        produce = self._form()
        if produce is not None:
            self._generate(produce, self._preview)

    def print_feedback(self) -> None:
        if self.view is not None:
            rid, actor, documents = self.view.id, self._actor, self._services.referral_documents
            self._generate(lambda: documents.feedback_letter(actor, rid), self._preview)
