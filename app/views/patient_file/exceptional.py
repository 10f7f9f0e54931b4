"""« Accès exceptionnel… » (break-glass): the dialog asking which compartment and why, and
the file's tabs of the accesses running."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.kernel.timefmt import local
from app.views.common.widgets import error_label
from app.views.patient_file.lazy_tabs import LazyTabs
from app.views.patient_file.notes_tab import NotesTab
from app.views.patient_file.ports import ExceptionalPort, NotesPort

EXCEPTIONAL_PREFIX = "exceptional:"
EXCEPTIONAL_CHECK_MS = 30_000
MIN_JUSTIFICATION = 15


def local_time(moment: datetime) -> str:
    value = local(moment) if moment.tzinfo else moment
    return value.strftime("%H:%M")


class ExceptionalAccessDialog(QDialog):
    """Compartment, justification (15 characters at least) and a plain warning."""

    def __init__(self, offered: list[Compartment], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exceptionalDialog")
        self.setWindowTitle(self.tr("Accès exceptionnel"))
        self.setMinimumWidth(560)
        self.error = error_label()
        self.error.setObjectName("exceptionalError")
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_warning())
        layout.addLayout(self._build_form(offered))
        layout.addWidget(self.error)
        layout.addWidget(self._build_buttons())

    def _build_warning(self) -> QLabel:
        warning = QLabel(
            self.tr(
                "<b>Réservé à une urgence.</b> Vous allez ouvrir un volet que votre rôle ne "
                "donne pas. Cet accès est <b>limité dans le temps</b>, <b>tracé dans le journal "
                "d'audit</b> avec votre justification, et <b>les professionnels titulaires de ce "
                "volet en sont informés</b> dans leurs messages."
            )
        )
        warning.setObjectName("exceptionalWarning")
        warning.setWordWrap(True)
        warning.setStyleSheet(
            "background: #fff3e0; border: 1px solid #e65100; padding: 8px; color: #3e2723;"
        )
        return warning

    def _build_form(self, offered: list[Compartment]) -> QFormLayout:
        self.compartment = QComboBox()
        self.compartment.setObjectName("exceptionalCompartment")
        for compartment in offered:
            self.compartment.addItem(self.tr(COMPARTMENT_LABELS[compartment]), compartment)
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("exceptionalJustification")
        self.justification.setTabChangesFocus(True)
        self.justification.setPlaceholderText(
            self.tr("ex. : patient inconscient aux urgences, besoin des antécédents…")
        )
        self.justification.setFixedHeight(90)
        form = QFormLayout()
        form.addRow(self.tr("&Volet"), self.compartment)
        form.addRow(self.tr("&Justification"), self.justification)
        return form

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(
            self.tr("&Ouvrir en accès exceptionnel"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setObjectName("exceptionalConfirm")
        self.ok.setAutoDefault(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)  # an emergency access is never the default
        buttons.rejected.connect(self.reject)
        return buttons

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class ExceptionalTabs(QObject):
    """A file's exceptional accesses: the dialog, one read-only notes tab per running access
    (inserted before ``before``), its expiry in the tab's title, removed once expired."""

    started = Signal()

    def __init__(
        self,
        file: QWidget,
        exceptional: ExceptionalPort,
        notes: NotesPort,
        actor: Actor,
        patient_id: int,
        lazy: LazyTabs,
        *,
        offered: list[Compartment],
        button: QPushButton,
        before: str,
    ) -> None:
        super().__init__(file)
        self._file = file
        self._service = exceptional
        self._notes = notes
        self._actor = actor
        self._patient_id = patient_id
        self._lazy = lazy
        self._before = before
        self.offered = offered
        self.button = button
        self.dialog: ExceptionalAccessDialog | None = None
        self.until: dict[Compartment, datetime] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(EXCEPTIONAL_CHECK_MS)
        self.timer.timeout.connect(self.refresh)
        button.setVisible(bool(offered))
        button.clicked.connect(self.ask)

    def tabs(self) -> dict[Compartment, NotesTab]:
        found = {c: self._lazy.built(EXCEPTIONAL_PREFIX + str(c)) for c in self.until}
        return {c: tab for c, tab in found.items() if isinstance(tab, NotesTab)}

    def ask(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        offered = [c for c in self.offered if c not in self.until]
        if not offered:
            return
        dialog = ExceptionalAccessDialog(offered, self._file)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.ok.clicked.connect(self._start)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def _start(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        text = dialog.justification.toPlainText().strip()
        if len(text) < MIN_JUSTIFICATION:
            dialog.show_error(
                self.tr(
                    "Expliquez en quelques mots l'urgence qui justifie cet accès "
                    "({n} caractères au moins)."
                ).format(n=MIN_JUSTIFICATION)
            )
            return
        compartment = Compartment(dialog.compartment.currentData())
        try:
            access = self._service.start(self._actor, self._patient_id, compartment, text)
        except ValidationError as exc:
            dialog.show_error("\n".join(exc.fields.values()))
            return
        except RelaisError as exc:
            dialog.show_error(exc.message)
            return
        dialog.accept()
        self._show(compartment, access.expires_at)
        tabs = self._lazy.tabs
        tabs.setCurrentIndex(self._lazy.index_of(EXCEPTIONAL_PREFIX + str(compartment)))
        self.started.emit()

    def _show(self, compartment: Compartment, until: datetime) -> None:
        key = EXCEPTIONAL_PREFIX + str(compartment)
        self.until[compartment] = until
        tabs = self._lazy.tabs
        if not self._lazy.offered(key):
            tab = NotesTab(self._notes, self._actor, self._patient_id, compartment, can_write=False)
            tab.setStyleSheet("QWidget#" + tab.objectName() + " { background: #fff3e0; }")
            index = self._lazy.add_built(key, "", tab, before=self._before)
            tabs.tabBar().setTabTextColor(index, QColor("#b71c1c"))
        index = self._lazy.index_of(key)
        # Short: a file has up to eleven tabs (the tooltip says the rest).
        tabs.setTabText(
            index,
            self.tr("{part} — exceptionnel, jusqu'à {time}").format(
                part=self.tr(COMPARTMENT_LABELS[compartment]), time=local_time(until)
            ),
        )
        tabs.setTabToolTip(
            index, self.tr("Accès exceptionnel tracé ; les titulaires du volet en sont informés.")
        )
        self._update_button()
        if not self.timer.isActive():
            self.timer.start()

    def _update_button(self) -> None:
        self.button.setVisible(any(c not in self.until for c in self.offered))

    def refresh(self) -> None:
        """Show the accesses still running; remove the tabs of those that expired."""
        try:
            active = {
                Compartment(a.compartment): a.expires_at
                for a in self._service.active(self._actor, self._patient_id)
            }
        except RelaisError:
            active = {}
        for compartment in list(self.until):
            if compartment not in active:
                self.until.pop(compartment)
                self._lazy.remove(EXCEPTIONAL_PREFIX + str(compartment))
        for compartment, until in active.items():
            self._show(compartment, until)
        self._update_button()
        if not self.until:
            self.timer.stop()
