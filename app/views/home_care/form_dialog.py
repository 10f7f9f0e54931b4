"""What the two home-care forms share: their head (the feature's ports, the actor, the
patient, inline errors) and their layout (sections in a scrolling column above the error and
« Enregistrer »)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from app.services.kernel.actor import Actor
from app.services.patient_file.records import PatientRecord
from app.views.common.buttons import DialogButtons
from app.views.common.widgets import FieldErrors, error_label
from app.views.home_care.ports import HomeCarePorts

if TYPE_CHECKING:
    from app.views.ports import ServicesPort

In = TypeVar("In", contravariant=True)  # the input a form sends
Out = TypeVar("Out", covariant=True)  # the record it gets back
Data = TypeVar("Data")
Record = TypeVar("Record")


class RecordWriter(Protocol[In, Out]):
    """A port that creates a record or updates a version of it."""

    def create(self, actor: Actor, data: In, /) -> Out: ...
    def update(self, actor: Actor, record_id: int, data: In, expected_version: int, /) -> Out: ...


class Versioned(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def version(self) -> int: ...


class HomeCareFormDialog(QDialog):
    """A home-care form of one patient; subclasses build the sections and ``save``."""

    saved = Signal(object)  # the record saved (request or discharge plan)

    def __init__(
        self,
        ports: HomeCarePorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        ports = HomeCarePorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(parent)
        self.setObjectName(name)
        self._ports = ports
        self._actor = actor
        self._patient = patient
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)

    def save(self) -> None:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    def _store(
        self, writer: RecordWriter[Data, Record], current: Versioned | None, data: Data
    ) -> Record | None:
        """Create the record (no ``current``) or update ``current``; None when refused (its
        French error shown)."""
        return self.errors.attempt(
            lambda: (
                writer.create(self._actor, data)
                if current is None
                else writer.update(self._actor, current.id, data, current.version)
            )
        )

    def _done(self, record: object) -> None:
        """Saved: tell the file, close the form."""
        self.errors.clear()
        self.saved.emit(record)
        self.accept()

    def _scrolling_layout(self, save_text: str, save_name: str) -> QVBoxLayout:
        """The dialog's layout; returns the column the sections go in."""
        self.buttons = DialogButtons(self, save_text, ok_name=save_name)
        self.save_button = self.buttons.ok
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addWidget(self.buttons)
        content = QWidget()
        column = QVBoxLayout(content)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        return column
