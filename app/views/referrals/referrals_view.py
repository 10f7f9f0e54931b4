"""Referrals: the patient file's « Orientations » tab (list, detail, receiver's actions), the
detail panel shared with the workspace's « Orientations » window, and that window.

The detail shows only what the service returns for this user: for a secretary, who, when,
status and destination; the reason, message, items and feedback only to the sender and the
receiver. The buttons are the ``allowed_actions`` the service computed.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.records import GeneratedDocument
from app.services.patient_file.records import PatientRecord
from app.services.referrals.records import (
    REFERRAL_ACTION_LABELS,
    SHARED_ITEM_LABELS,
    ReferralAction,
    ReferralStatus,
    ReferralView,
    reason_title,
)
from app.views.agenda.booking_dialog import SlotPickerDialog
from app.views.common import pdf_view
from app.views.common.labels import date_fr, datetime_fr
from app.views.common.step_dialog import StepDialog
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, record_table
from app.views.referrals.ports import ReferralViewsPort
from app.views.referrals.referral_actions import (
    BookDialog,
    CancelDialog,
    CloseDialog,
    FeedbackDialog,
    ReorientDialog,
)
from app.views.referrals.referrals_model import ReferralEventsModel, ReferralsModel

# The secretariat books from a referral in these states (the social worker's own steps are
# the service's ``allowed_actions``).
SCHEDULABLE = {ReferralStatus.SENT, ReferralStatus.RECEIVED}
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


class ReferralDetail(QWidget):
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
        self.error = error_label()
        self.error.setObjectName("referralError")
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
    def load(self, referral_id: int) -> ReferralView | None:
        try:
            view = self._services.referrals.get(self._actor, referral_id)
        except RelaisError as exc:
            self.show_view(None)
            self._fail(exc.message)
            return None
        self.error.hide()
        self.show_view(view)
        if view.summary.unread:
            with contextlib.suppress(RelaisError):
                self._services.referrals.mark_seen(self._actor, referral_id)
        return view

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
                date=date_fr(view.summary.created_at.date()), status=view.summary.status_label
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
        if not self.can_book_appointments or view.allowed_actions:
            return False
        if self.capabilities.can_handle:
            return False
        receiver = view.summary.receiver_id
        return view.status in SCHEDULABLE and receiver is not None and self._has_sessions(receiver)

    def _has_sessions(self, professional_id: int) -> bool:
        try:
            return bool(
                self._services.scheduling.sessions(self._actor, professional_id=professional_id)
            )
        except RelaisError:
            return False

    def _open_slot_picker(self, view: ReferralView) -> bool:
        """« Fixer un rendez-vous » in the receiver's sessions, when she holds some."""
        receiver = view.summary.receiver_id
        if receiver is None or not self._has_sessions(receiver):
            return False
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
        return True

    def _booked(self, referral_id: int) -> None:
        view = self.load(referral_id)
        if view is not None:
            self.changed.emit(view)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ---- actions ------------------------------------------------------------------------
    def _apply(self, call: Callable[[], ReferralView], dialog: StepDialog | None = None) -> bool:
        try:
            view = call()
        except ValidationError as exc:
            if dialog is not None:
                dialog.errors.show(exc.fields)
            else:
                self._fail("\n".join(exc.fields.values()))
            return False
        except RelaisError as exc:
            kept = getattr(exc, "view", None)  # FeedbackNotShared: the step was kept
            if kept is not None:
                if dialog is not None:
                    dialog.accept()
                self.show_view(kept)
                self._fail(exc.message)
                self.changed.emit(kept)
                return True
            if dialog is not None:
                dialog.errors.show_general(exc.message)
            else:
                self._fail(exc.message)
            return False
        if dialog is not None:
            dialog.accept()
        self.error.hide()
        self.show_view(view)
        self.changed.emit(view)
        return True

    def _open_step(self, dialog: StepDialog, confirm: Callable[[], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.step_dialog = dialog
        dialog.ok.clicked.connect(confirm)
        dialog.finished.connect(lambda _r: setattr(self, "step_dialog", None))
        dialog.open()

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
            if self._open_slot_picker(view):
                return
            book = BookDialog(self._services.clock(), parent=self)
            self._open_step(
                book, lambda: self._apply(lambda: referrals.book(actor, rid, book.value()), book)
            )
        elif action is ReferralAction.CLOSE:
            close = CloseDialog(self)
            self._open_step(
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
            self._open_step(
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

            self._open_step(reorient, confirm)
        elif action is ReferralAction.CANCEL:
            cancel = CancelDialog(self)
            self._open_step(
                cancel,
                lambda: self._apply(
                    lambda: referrals.cancel(actor, rid, cancel.reason.toPlainText()), cancel
                ),
            )

    # ---- printing -----------------------------------------------------------------------
    def runner(self) -> TaskRunner:
        """The window's task runner (documents are generated off the UI thread)."""
        if self._runner is None:
            found = getattr(self.window(), "runner", None)
            self._runner = found if isinstance(found, TaskRunner) else TaskRunner(self)
        return self._runner

    def _generate(
        self,
        produce: Callable[[], GeneratedDocument],
        then: Callable[[GeneratedDocument], None],
    ) -> None:
        """Generate (and archive) a document in the background, then ``then`` it here."""
        self.print_status.setText(self.tr("Préparation du document…"))
        for button in (self.print_form_button, self.preview_form_button):
            button.setEnabled(False)

        def done(generated: GeneratedDocument) -> None:
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
        dialog = pdf_view.PdfPreviewDialog(
            generated.pdf,
            f"{generated.title} — {generated.number}",
            f"{generated.number}.pdf",
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        dialog.open()

    def _print_now(self, generated: GeneratedDocument) -> None:
        title = f"{generated.title} — {generated.number}"
        if pdf_view.print_now(self, generated.pdf, title):
            self.printed = generated
            self.print_status.setText(
                self.tr("Fiche n° {number} imprimée.").format(number=generated.number)
            )
        else:
            self.print_status.clear()

    def _form(self) -> Callable[[], GeneratedDocument] | None:
        if self.view is None:
            return None
        rid, actor, documents = self.view.id, self._actor, self._services.referral_documents
        return lambda: documents.referral_form(actor, rid)

    def print_form(self) -> None:
        """« Imprimer la fiche »: one action, on the last printer used."""
        produce = self._form()
        if produce is not None:
            self._generate(produce, self._print_now)

    def preview_form(self) -> None:
        produce = self._form()
        if produce is not None:
            self._generate(produce, self._preview)

    def print_feedback(self) -> None:
        if self.view is not None:
            rid, actor, documents = self.view.id, self._actor, self._services.referral_documents
            self._generate(lambda: documents.feedback_letter(actor, rid), self._preview)


def _table(name: str, model: ReferralsModel) -> QTableView:
    table = record_table(model, name=name)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ReferralsTab(QWidget):
    """The patient's referrals; « Orienter… » (guide) and « Nouvelle orientation… »."""

    changed = Signal()
    guide_requested = Signal()
    new_requested = Signal()
    edit_requested = Signal(object)

    def __init__(
        self,
        services: ReferralViewsPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("referralsTab")
        self._services = services
        self._actor = actor
        self._patient = patient
        self._loaded = False
        self.can_refer = services.referrals.capabilities(actor).can_refer and not read_only
        self.message = QLabel()
        self.message.setObjectName("referralsMessage")
        self.message.setWordWrap(True)
        self.guide_button = QPushButton(self.tr("Orienter avec le &guide…"), self)
        self.guide_button.setObjectName("referralGuideButton")
        self.new_button = QPushButton(self.tr("Nouvelle &orientation…"), self)
        self.new_button.setObjectName("newReferralButton")
        for button in (self.guide_button, self.new_button):
            button.setAutoDefault(False)
            button.setVisible(self.can_refer)
        self.guide_button.clicked.connect(self.guide_requested)
        self.new_button.clicked.connect(self.new_requested)
        self.model = ReferralsModel(self)
        self.table = _table("referralsTable", self.model)
        self.table.hideColumn(ReferralsModel.PATIENT)
        self.table.setMaximumHeight(180)
        self.detail = ReferralDetail(services, actor)
        self.detail.changed.connect(self._detail_changed)
        self.detail.edit_draft.connect(self.edit_requested)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.guide_button)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.activated.connect(lambda _i: self.open_current())

    def start_referral(self) -> bool:
        """« Orienter… » from the open file (menu action, shortcut, the tab's button): opens
        the referral form. False when this user may not refer this patient."""
        if not self.can_refer:
            return False
        self.new_requested.emit()
        return True

    def open_current(self) -> None:
        """Return (or a double click) on a row: its referral, and the focus on its first
        action (or its text)."""
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is None:
            return
        if self.detail.view is None or self.detail.view.id != summary.id:
            self.detail.load(summary.id)
        self.detail.focus_first_action()

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self._loaded = True
        keep = (
            select_id
            if select_id is not None
            else (self.detail.view.id if self.detail.view else None)
        )
        try:
            rows = self._services.referrals.for_patient(self._actor, self._patient.id)
        except RelaisError as exc:
            self.model.set_rows([])
            self.message.setText(exc.message)
            self.detail.show_view(None)
            return
        self.model.set_rows(rows)
        self.message.setText(
            self.tr("%n orientation(s), la plus récente en haut.", "", len(rows))
            if rows
            else self.tr("Aucune orientation pour ce patient.")
        )
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            stale = self.detail.view is None or self.detail.view.id != rows[row].id
            if stale or select_id is not None:
                self.detail.load(rows[row].id)
        else:
            self.detail.show_view(None)

    def select_referral(self, referral_id: int) -> bool:
        self.reload(select_id=referral_id)
        return self.detail.view is not None and self.detail.view.id == referral_id

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is not None and (self.detail.view is None or self.detail.view.id != summary.id):
            self.detail.load(summary.id)

    def _detail_changed(self, view: ReferralView) -> None:
        self.reload(select_id=view.id)
        self.changed.emit()


class OrientationsDialog(QDialog):
    """« Orientations »: what awaits this user (new for them, feedback on theirs, overdue).
    Double-click opens the referral in the patient file."""

    open_referral = Signal(int, int)  # patient id, referral id

    def __init__(
        self, services: ReferralViewsPort, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orientationsDialog")
        self.setWindowTitle(self.tr("Orientations en cours"))
        self.resize(1100, 720)
        self._services = services
        self._actor = actor
        intro = QLabel(
            self.tr(
                "Les orientations qui vous attendent : reçues, retours sur celles que vous avez "
                "envoyées, et celles en retard. Double-cliquez (ou Entrée) pour ouvrir le "
                "dossier."
            )
        )
        intro.setWordWrap(True)
        self.model = ReferralsModel(self)
        self.table = _table("orientationsTable", self.model)
        self.detail = ReferralDetail(services, actor)
        self.detail.changed.connect(lambda view: self.reload(view.id))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 2)
        self.open_button = QPushButton(self.tr("&Ouvrir dans le dossier"))
        self.open_button.setObjectName("openReferralFile")
        close = QPushButton(self.tr("&Fermer"))
        for button in (self.open_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        close.clicked.connect(self.accept)
        self.open_button.clicked.connect(self._open)
        self.table.activated.connect(lambda _i: self._open())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        try:
            rows = self._services.referrals.inbox(self._actor)
        except RelaisError as exc:
            rows = []
            self.detail._fail(exc.message)
        self.model.set_rows(rows)
        row = self.model.row_of(select_id) if select_id is not None else (0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self.open_button.setEnabled(bool(rows))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is not None:
            self.detail.load(summary.id)

    def _open(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is not None:
            self.open_referral.emit(summary.patient_id, summary.id)
            self.accept()
