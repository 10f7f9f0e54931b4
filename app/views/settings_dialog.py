"""Clinic details and the inactivity delay (coordination)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.actor import Actor
from app.services.errors import ConflictError, RelaisError, ValidationError
from app.services.records import MAX_INACTIVITY, MIN_INACTIVITY, ClinicInput
from app.views.ports import ClinicPort
from app.views.widgets import FieldErrors, error_label


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, clinic: ClinicPort, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._clinic = clinic
        self._actor = actor
        self.setWindowTitle(self.tr("Paramètres de la maison de santé"))
        self.setModal(True)
        self.setMinimumWidth(620)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.address = QLineEdit()
        self.address.setObjectName("address")
        self.finess = QLineEdit()
        self.finess.setObjectName("finess")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.inactivity = QSpinBox()
        self.inactivity.setObjectName("inactivity_minutes")
        self.inactivity.setRange(MIN_INACTIVITY, MAX_INACTIVITY)
        self.inactivity.setSuffix(self.tr(" min"))
        general = error_label()
        self.errors = FieldErrors(general)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add = self.errors.add_row
        add(form, "name", self.tr("Nom"), self.name)
        add(form, "address", self.tr("Adresse"), self.address)
        add(form, "finess", self.tr("N° FINESS"), self.finess)
        add(form, "phone", self.tr("Téléphone"), self.phone)
        add(form, "inactivity_minutes", self.tr("Verrouillage après"), self.inactivity)
        self.save_button = QPushButton(self.tr("Enregistrer"))
        self.save_button.setObjectName("saveSettingsButton")
        self.save_button.setDefault(True)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(general, 1)
        buttons.addStretch(1)  # buttons keep their size when no error shows
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self._version = 0
        self.load()

    def load(self) -> None:
        info = self._clinic.get()
        if info is None:
            return
        self._version = info.version
        self.name.setText(info.name)
        self.address.setText(info.address)
        self.finess.setText(info.finess)
        self.phone.setText(info.phone)
        self.inactivity.setValue(info.inactivity_minutes)

    def save(self) -> None:
        self.errors.clear()
        data = ClinicInput(
            name=self.name.text(),
            address=self.address.text(),
            finess=self.finess.text(),
            phone=self.phone.text(),
            inactivity_minutes=self.inactivity.value(),
        )
        try:
            self._clinic.update(self._actor, data, self._version)
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except ConflictError:
            info = self._clinic.get()
            self._version = info.version if info else self._version
            self.errors.show_general(
                self.tr(
                    "Quelqu'un d'autre vient de modifier les paramètres. Vos valeurs sont "
                    "gardées : enregistrez à nouveau pour les appliquer, ou annulez."
                )
            )
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.accept()
        self.saved.emit()
