"""« Ce patient existe peut-être déjà » : candidates, open the existing file or create anyway."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.records import PatientSummary
from app.views.common.buttons import DialogButtons
from app.views.common.labels import date_fr, nir_display


class DuplicateDialog(QDialog):
    open_existing = Signal(int)
    create_anyway = Signal()

    def __init__(self, candidates: list[PatientSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateDialog")
        self.setWindowTitle(self.tr("Doublon possible"))
        self.setModal(True)
        self.resize(620, 340)
        intro = QLabel(
            self.tr(
                "Ce patient existe peut-être déjà (même date de naissance et nom proche, ou "
                "même NIR). Vérifiez avant de créer un nouveau dossier : un doublon disperse les "
                "informations du patient."
            )
        )
        intro.setWordWrap(True)
        self.candidates = QListWidget()
        self.candidates.setObjectName("duplicateCandidates")
        self.candidates.setWordWrap(True)
        self.candidates.setSpacing(2)
        self.candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for candidate in candidates:
            details = [self.tr("né(e) le {date}").format(date=date_fr(candidate.birth_date))]
            if candidate.nir:
                details.append(self.tr("NIR {nir}").format(nir=nir_display(candidate.nir)))
            if candidate.city:
                details.append(candidate.city)
            # The name, then its details below it: whole in the dialog's width, no sideways
            # scrolling to read the NIR or the town.
            item = QListWidgetItem(f"{candidate.display_name}\n{' · '.join(details)}")
            item.setData(Qt.ItemDataRole.UserRole, candidate.id)
            self.candidates.addItem(item)
        if candidates:
            self.candidates.setCurrentRow(0)

        self.buttons = DialogButtons(
            self, self.tr("&Ouvrir le dossier existant"), ok_name="openExistingButton"
        )
        self.open_button = self.buttons.ok
        assert self.buttons.cancel is not None
        self.buttons.cancel.setText(self.tr("&Revenir au formulaire"))
        self.create_button = self.buttons.addButton(
            self.tr("&Créer quand même"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.create_button.setObjectName("createAnywayButton")
        self.create_button.setAutoDefault(False)
        label = QLabel(self.tr("&Dossiers proches"))
        label.setBuddy(self.candidates)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.candidates, 1)
        layout.addWidget(self.buttons)

        self.open_button.clicked.connect(self._open)
        self.candidates.itemActivated.connect(lambda _item: self._open())  # Return, double click
        self.create_button.clicked.connect(self._create)

    def _open(self) -> None:
        item = self.candidates.currentItem()
        if item is None:
            return
        self.accept()
        self.open_existing.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _create(self) -> None:
        self.accept()
        self.create_anyway.emit()
