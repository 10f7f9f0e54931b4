"""One appointment: its details and the steps the service allows (confirm, cancel by the
patient or by the clinic with a reason, no-show, seen), the slip, the patient's file; after a
cancellation, the waiting-list patients who could take the freed slot."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.scheduling.records import (
    APPOINTMENT_ACTION_LABELS,
    AppointmentAction,
    AppointmentRecord,
    AppointmentStatus,
    SlotRecord,
    fr_datetime,
    fr_time,
)
from app.views.agenda.booking_dialog import BookSlotDialog, open_slip
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.side_models import WaitingModel
from app.views.agenda.ui import fit_columns, form_row
from app.views.common import pdf_view
from app.views.common.keyboard import on_activate
from app.views.common.labels import datetime_fr
from app.views.common.step_dialog import StepDialog
from app.views.common.steps import open_step, run_step
from app.views.common.widgets import error_label, record_table
from app.views.social.consultation_screen import can_consult

# Button order and labels (the service's ``allowed_actions`` say which apply).
ACTIONS: tuple[tuple[AppointmentAction, str], ...] = (
    (AppointmentAction.CONFIRM, QT_TRANSLATE_NOOP("AppointmentDialog", "&Confirmer")),
    (AppointmentAction.RECORD_SEEN, QT_TRANSLATE_NOOP("AppointmentDialog", "Patient &reçu")),
    (AppointmentAction.RECORD_NO_SHOW, QT_TRANSLATE_NOOP("AppointmentDialog", "Patient a&bsent…")),
    (AppointmentAction.CANCEL, QT_TRANSLATE_NOOP("AppointmentDialog", "&Annuler le rendez-vous…")),
)
PENDING = {AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED}


def start_consultation(
    parent: QWidget,
    services,
    actor: Actor,
    appointment: AppointmentRecord,
    on_closed: Callable[[object], None],
) -> QWidget | None:
    """The social worker's consultation screen for this appointment (non-modal)."""
    ports = AgendaPorts.of(services)
    dialog = ports.open_consultation(parent, actor, appointment.patient_id, appointment.id)
    if dialog is not None:
        dialog.screen_widget.closed.connect(on_closed)
    return dialog


def _esc(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def appointment_html(a: AppointmentRecord) -> str:
    """The appointment as this user may read it (the reason only when the service gave it)."""
    rows = [
        (QCoreApplication.translate("AppointmentDialog", "Patient"), a.patient_name),
        (
            QCoreApplication.translate("AppointmentDialog", "Téléphone"),
            a.patient_phone or QCoreApplication.translate("AppointmentDialog", "non renseigné"),
        ),
        (
            QCoreApplication.translate("AppointmentDialog", "Le"),
            f"{fr_datetime(a.starts_at)} – {fr_time(a.ends_at)}",
        ),
        (QCoreApplication.translate("AppointmentDialog", "Avec"), a.professional_name),
        (
            QCoreApplication.translate("AppointmentDialog", "Lieu"),
            ", ".join(p for p in (a.place, a.room) if p),
        ),
        (
            QCoreApplication.translate("AppointmentDialog", "Statut"),
            a.status_label + (f" — {a.status_reason}" if a.status_reason else ""),
        ),
    ]
    if a.reason_label:
        rows.append((QCoreApplication.translate("AppointmentDialog", "Motif"), a.reason_label))
    if a.booked_by_name:
        booked = a.booked_by_name
        if a.booked_at is not None:
            booked += QCoreApplication.translate("AppointmentDialog", ", le {date}").format(
                date=datetime_fr(a.booked_at)
            )
        rows.append((QCoreApplication.translate("AppointmentDialog", "Pris par"), booked))
    if a.called_at is not None:
        rows.append(
            (
                QCoreApplication.translate("AppointmentDialog", "Rappelé(e) le"),
                datetime_fr(a.called_at),
            )
        )
    table = "".join(
        f"<tr><td style='color:#455a64; padding-right:12px'>{_esc(k)}</td>"
        f"<td><b>{_esc(v)}</b></td></tr>"
        for k, v in rows
        if v
    )
    out = f"<table cellspacing='0' cellpadding='2'>{table}</table>"
    if a.no_show_count:
        out += "<p style='color:#b71c1c'>{}</p>".format(
            QCoreApplication.translate(
                "AppointmentDialog",
                "Absences non excusées de ce patient : <b>%n</b>",
                "",
                a.no_show_count,
            )
        )
    return out


MAX_CANDIDATES_SHOWN = 4  # rows of the freed slot's candidates in sight at once


class CancelAppointmentDialog(StepDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Annuler le rendez-vous"), self.tr("Annuler le rendez-vous"), parent
        )
        self.setObjectName("cancelAppointmentDialog")
        for button in self.findChildren(QPushButton):
            if button is not self.ok:  # « Annuler » beside « Annuler le rendez-vous »: ambiguous
                button.setText(self.tr("Ne pas annuler"))
        self.by_patient = QRadioButton(self.tr("par le pa&tient"))
        self.by_patient.setObjectName("cancelByPatient")
        self.by_clinic = QRadioButton(self.tr("par la maison de &santé"))
        self.by_clinic.setObjectName("cancelByClinic")
        self.by_patient.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_patient)
        group.addButton(self.by_clinic)
        who = QWidget()
        row = QHBoxLayout(who)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.by_patient)
        row.addWidget(self.by_clinic)
        row.addStretch(1)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("cancelAppointmentReason")
        self.reason.setPlaceholderText(
            self.tr("ex. : patient hospitalisé ; absence de l'assistante sociale")
        )
        self.reason.setFixedHeight(80)
        self.reason.setTabChangesFocus(True)  # Tab leaves the text (no tab character)
        self.form.addRow(self.tr("Annulé"), who)
        form_row(self.errors, self.form, "reason", self.tr("&Motif de l'annulation"), self.reason)


class NoShowDialog(StepDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Patient absent"), self.tr("Noter l'absence"), parent)
        self.setObjectName("noShowDialog")
        note = QLabel(
            self.tr(
                "L'absence est comptée dans le dossier du patient. Une orientation liée "
                "revient à « reçue » pour fixer un autre rendez-vous."
            )
        )
        note.setWordWrap(True)
        self.column.insertWidget(0, note)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("noShowReason")
        self.reason.setPlaceholderText(self.tr("Précision (facultatif)"))
        self.reason.setFixedHeight(70)
        self.reason.setTabChangesFocus(True)
        form_row(self.errors, self.form, "reason", self.tr("&Précision"), self.reason)


class AppointmentDialog(QDialog):
    """An appointment and its buttons; read-only for the roles that cannot book."""

    changed = Signal(object)  # the new AppointmentRecord (or a new booking)
    open_patient = Signal(int)
    consult = Signal(object)  # « Démarrer la consultation »: the AppointmentRecord

    def __init__(
        self,
        services,
        actor: Actor,
        appointment: AppointmentRecord,
        *,
        can_book: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("appointmentDialog")
        self.setWindowTitle(self.tr("Rendez-vous"))
        self.setMinimumWidth(640)
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.can_book = can_book
        self.appointment = appointment
        self.step_dialog: StepDialog | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.book_dialog: BookSlotDialog | None = None
        self.body = QLabel()
        self.body.setObjectName("appointmentBody")
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = error_label()
        self.error.setObjectName("appointmentError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        layout.addLayout(self._action_row())
        layout.addWidget(self.error)
        self._candidates(layout)
        layout.addStretch(1)
        layout.addWidget(self._bottom_row())
        self.show_appointment(appointment)

    def _action_row(self) -> QHBoxLayout:
        self.action_buttons: dict[AppointmentAction, QPushButton] = {}
        actions = QHBoxLayout()
        for action, label in ACTIONS:
            button = QPushButton(self.tr(label))
            button.setObjectName(f"appointment_{action}")
            button.setToolTip(self.tr(APPOINTMENT_ACTION_LABELS[action]))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, a=action: self.run_action(a))
            self.action_buttons[action] = button
            actions.addWidget(button)
        actions.addStretch(1)
        return actions

    def _candidates(self, layout: QVBoxLayout) -> None:
        """After a cancellation: who could take the freed slot."""
        self.candidates_label = QLabel()
        self.candidates_label.setObjectName("candidatesLabel")
        self.candidates_label.setWordWrap(True)
        self.candidates_label.setStyleSheet("font-weight: 600; color: #1b5e20;")
        self.candidates_model = WaitingModel(self)
        self.candidates = fit_columns(record_table(self.candidates_model, name="candidatesTable"))
        self.candidates.setMaximumHeight(200)
        on_activate(self.candidates, lambda _i: self.book_candidate())
        self.book_candidate_button = QPushButton(self.tr("&Lui fixer ce créneau…"))
        self.book_candidate_button.setObjectName("bookCandidate")
        self.book_candidate_button.setAutoDefault(False)
        self.book_candidate_button.clicked.connect(self.book_candidate)
        for widget in (self.candidates_label, self.candidates, self.book_candidate_button):
            widget.hide()
        layout.addWidget(self.candidates_label)
        layout.addWidget(self.candidates)
        layout.addWidget(self.book_candidate_button, alignment=Qt.AlignmentFlag.AlignLeft)

    def _bottom_row(self) -> QDialogButtonBox:
        box = QDialogButtonBox(self)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.consult_button = box.addButton(self.tr("&Démarrer la consultation"), action)
        self.consult_button.setObjectName("startConsultation")
        self.consult_button.setStyleSheet("font-weight: 600;")
        self.consult_button.clicked.connect(self._consult)
        self.print_button = box.addButton(self.tr("&Imprimer la convocation…"), action)
        self.print_button.setObjectName("printSlipButton")
        self.print_button.clicked.connect(self.print_slip)
        self.open_button = box.addButton(self.tr("&Ouvrir le dossier"), action)
        self.open_button.setObjectName("openPatientFile")
        self.open_button.clicked.connect(self._open_file)
        for button in (self.consult_button, self.print_button, self.open_button):
            button.setAutoDefault(False)
        close = box.addButton(self.tr("&Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("appointmentClose")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        return box

    def show_appointment(self, appointment: AppointmentRecord) -> None:
        self.appointment = appointment
        self.body.setText(appointment_html(appointment))
        allowed = set(appointment.allowed_actions)
        for action, button in self.action_buttons.items():
            button.setVisible(str(action) in allowed)
        self.print_button.setVisible(self.can_book and appointment.status in PENDING)
        self.consult_button.setVisible(
            can_consult(self._actor)
            and appointment.professional_id == self._actor.user_id
            and appointment.status in PENDING
        )

    def visible_actions(self) -> list[str]:
        return [str(a) for a, b in self.action_buttons.items() if not b.isHidden()]

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _apply(
        self, call: Callable[[], AppointmentRecord], dialog: StepDialog | None = None
    ) -> bool:
        appointment = run_step(call, dialog, self._fail, succeeded=self.error.hide)
        if appointment is None:
            return False
        self.show_appointment(appointment)
        self.changed.emit(appointment)
        return True

    def run_action(self, action: AppointmentAction) -> None:
        scheduling, actor = self._ports.scheduling, self._actor
        aid, version = self.appointment.id, self.appointment.version
        if action is AppointmentAction.CONFIRM:
            self._apply(lambda: scheduling.confirm(actor, aid, expected_version=version))
        elif action is AppointmentAction.RECORD_SEEN:
            self._apply(lambda: scheduling.record_seen(actor, aid, expected_version=version))
        elif action is AppointmentAction.RECORD_NO_SHOW:
            absent = NoShowDialog(self)
            open_step(
                self,
                absent,
                lambda: self._apply(
                    lambda: scheduling.record_no_show(
                        actor, aid, reason=absent.reason.toPlainText(), expected_version=version
                    ),
                    absent,
                ),
            )
        elif action is AppointmentAction.CANCEL:
            cancel = CancelAppointmentDialog(self)

            def confirm() -> None:
                if self._apply(
                    lambda: scheduling.cancel(
                        actor,
                        aid,
                        by_patient=cancel.by_patient.isChecked(),
                        reason=cancel.reason.toPlainText(),
                        expected_version=version,
                    ),
                    cancel,
                ):
                    self.show_candidates()

            open_step(self, cancel, confirm)

    # ---- the freed slot ---------------------------------------------------------------
    def show_candidates(self) -> None:
        a = self.appointment
        if not self.can_book:
            return
        try:
            rows = self._ports.scheduling.candidates_for(
                self._actor, a.professional_id, a.starts_at
            )
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.candidates_model.set_rows(rows)
        if rows:
            self.candidates_label.setText(
                self.tr(
                    "Créneau libéré. %n patient(s) en liste d'attente pourrai(en)t le prendre :",
                    "",
                    len(rows),
                )
            )
            self.candidates.selectRow(0)
        else:
            self.candidates_label.setText(
                self.tr("Créneau libéré. Personne n'attend en liste d'attente.")
            )
        self.candidates_label.show()
        self.candidates.setVisible(bool(rows))
        self.book_candidate_button.setVisible(bool(rows))
        if rows:  # up to four candidates in sight, not one row squeezed by the dialog's size
            table = self.candidates
            shown = min(len(rows), MAX_CANDIDATES_SHOWN)
            table.setMinimumHeight(
                table.horizontalHeader().sizeHint().height()
                + shown * table.verticalHeader().defaultSectionSize()
                + table.horizontalScrollBar().sizeHint().height()
                + 2 * table.frameWidth()
            )
            table.setMaximumHeight(max(table.maximumHeight(), table.minimumHeight()))
            # Every column in sight: the dialog as wide as the table's columns need.
            wanted = table.horizontalHeader().length() + 2 * table.frameWidth()
            wanted += table.verticalScrollBar().sizeHint().width()
            self.resize(self.width() + max(0, wanted - table.viewport().width()), self.height())
        room = self.screen().availableGeometry().size()  # never beyond the screen
        self.resize(self.size().expandedTo(self.sizeHint()).boundedTo(room))

    def book_candidate(self) -> None:
        rows = self.candidates.selectionModel().selectedRows()
        entry = self.candidates_model.row_at(rows[0].row()) if rows else None
        if entry is None:
            return
        a = self.appointment
        slot = SlotRecord(
            a.session_id or 0, a.professional_id, a.starts_at, a.ends_at, a.place, a.room
        )
        dialog = BookSlotDialog(self._ports, self._actor, slot, a.professional_name, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sources.setCurrentIndex(BookSlotDialog.WAITING)
        row = dialog.waiting_model.row_of(entry.id)
        if row >= 0:
            dialog.waiting.selectRow(row)
        dialog.booked.connect(self._candidate_booked)
        self.book_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "book_dialog", None))
        dialog.open()

    def _candidate_booked(self, appointment: AppointmentRecord) -> None:
        for widget in (self.candidates, self.book_candidate_button):
            widget.hide()
        self.candidates_label.setText(
            self.tr("Créneau repris par {name}.").format(name=appointment.patient_name)
        )
        self.changed.emit(appointment)

    # ---- slip and file ------------------------------------------------------------------
    def print_slip(self) -> None:
        try:
            self.preview = open_slip(self, self._ports.scheduling, self._actor, self.appointment.id)
        except RelaisError as exc:
            self._fail(exc.message)

    def _consult(self) -> None:
        self.consult.emit(self.appointment)
        self.accept()

    def _open_file(self) -> None:
        self.open_patient.emit(self.appointment.patient_id)
        self.accept()
