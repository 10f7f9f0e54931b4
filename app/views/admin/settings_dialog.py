"""Clinic details, the inactivity delay and the security settings (coordination).

Saving starts from the clinic's current values (``ClinicInfo.as_input()``) and replaces only
what this dialog shows: no setting is ever reset silently."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import LANGUAGE_NAMES
from app.services.clinic.records import MAX_INACTIVITY, MIN_INACTIVITY, ClinicInfo
from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.views.common.buttons import DialogButtons
from app.views.common.forms import align_labels, compact, form_box
from app.views.common.responsive import scrolled_content
from app.views.common.widgets import FieldErrors, error_label
from app.views.ports import ClinicPort


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, clinic: ClinicPort, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._clinic = clinic
        self._actor = actor
        self.setWindowTitle(self.tr("Paramètres de la maison de santé"))
        self.setModal(True)
        self.setMinimumWidth(680)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        form = self._build_general()
        security = self._build_security()
        data = self._build_data()
        self.buttons = DialogButtons(self, self.tr("&Enregistrer"), ok_name="saveSettingsButton")
        self.save_button = self.buttons.ok
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addWidget(self.buttons)  # the buttons keep their size when no error shows
        layout = QVBoxLayout(scrolled_content(self))  # scrolls on a small screen
        general = QGroupBox(self.tr("Maison de santé"))
        general.setLayout(form)
        align_labels(form, security.layout(), data.layout())  # the three boxes, one column
        compact(
            self.inactivity,
            self.session_hours,
            self.break_glass_minutes,
            self.retention_years,
            self.backup_keep,
        )
        layout.addWidget(general)
        layout.addWidget(security)
        layout.addWidget(data)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self._version = 0
        self._info: ClinicInfo | None = None
        self.load()

    # ---- building -----------------------------------------------------------------------
    def _build_general(self) -> QFormLayout:
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
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add = self.errors.add_row
        add(form, "name", self.tr("Nom"), self.name)
        add(form, "address", self.tr("Adresse"), self.address)
        add(form, "finess", self.tr("N° FINESS"), self.finess)
        add(form, "phone", self.tr("Téléphone"), self.phone)
        add(form, "inactivity_minutes", self.tr("Verrouillage après"), self.inactivity)
        return form

    def _build_security(self) -> QGroupBox:
        add = self.errors.add_row
        t = self.tr
        self.require_totp = QCheckBox(t("Exiger pour les professionnels de santé et du social"))
        self.require_totp.setObjectName("require_totp")
        self.session_hours = QSpinBox()
        self.session_hours.setObjectName("session_hours")
        self.session_hours.setRange(1, 24)
        self.session_hours.setSuffix(t(" h"))
        self.session_hours.setToolTip(
            t("Au-delà, même une session active doit se reconnecter (mot de passe et code).")
        )
        self.break_glass = QCheckBox(t("Autoriser l'accès exceptionnel en cas d'urgence"))
        self.break_glass.setObjectName("break_glass_enabled")
        self.break_glass.setToolTip(
            t("Justification obligatoire, durée limitée, tracé, titulaires du volet prévenus.")
        )
        self.break_glass_minutes = QSpinBox()
        self.break_glass_minutes.setObjectName("break_glass_minutes")
        self.break_glass_minutes.setRange(5, 240)
        self.break_glass_minutes.setSuffix(t(" min"))
        self.break_glass.toggled.connect(self.break_glass_minutes.setEnabled)
        security, security_form = form_box(t("Sécurité"))
        add(security_form, "require_totp", t("Double authentification"), self.require_totp)
        add(security_form, "session_hours", t("Durée maximale d'une session"), self.session_hours)
        add(security_form, "break_glass_enabled", t("Accès exceptionnel"), self.break_glass)
        add(security_form, "break_glass_minutes", t("Durée d'un accès"), self.break_glass_minutes)
        return security

    def _build_data(self) -> QGroupBox:
        t = self.tr
        add = self.errors.add_row
        self.retention_years = QSpinBox()
        self.retention_years.setObjectName("retention_years")
        self.retention_years.setRange(1, 30)
        self.retention_years.setSuffix(t(" ans"))
        self.retention_years.setToolTip(
            t(
                "Sans activité pendant cette durée, un dossier est proposé à l'archivage "
                "(5 ans : recommandation de la CNIL pour les cabinets)."
            )
        )
        self.backup_dir = QLineEdit()
        self.backup_dir.setObjectName("backup_dir")
        self.backup_dir.setPlaceholderText(t("dossier par défaut de Relais"))
        browse = QPushButton(t("C&hoisir…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.backup_keep = QSpinBox()
        self.backup_keep.setObjectName("backup_keep")
        self.backup_keep.setRange(1, 365)
        self.backup_keep.setSuffix(t(" sauvegardes"))
        data, data_form = form_box(t("Conservation et sauvegardes"))
        add(data_form, "retention_years", t("Archivage après"), self.retention_years)
        folder_row = QWidget()
        folder_layout = QHBoxLayout(folder_row)
        folder_layout.setContentsMargins(0, 0, 0, 0)
        folder_layout.addWidget(self.backup_dir, 1)
        folder_layout.addWidget(browse)
        add(data_form, "backup_dir", t("Dossier des sauvegardes"), folder_row)
        add(data_form, "backup_keep", t("Sauvegardes gardées"), self.backup_keep)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        add(data_form, "language", t("Langue des documents imprimés"), self.language)
        backup_hint = QLabel(
            t(
                "Relais sauvegarde (chiffré) à la fermeture et une fois par jour. Choisissez de "
                "préférence un disque externe ou un dossier réseau sauvegardé."
            )
        )
        backup_hint.setWordWrap(True)
        data_form.addRow(backup_hint)
        return data

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Dossier des sauvegardes"), self.backup_dir.text()
        )
        if folder:
            self.backup_dir.setText(folder)

    def load(self) -> None:
        try:
            info = self._clinic.settings(self._actor)
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        if info is None:
            return
        self._version = info.version
        self._info = info
        self.name.setText(info.name)
        self.address.setText(info.address)
        self.finess.setText(info.finess)
        self.phone.setText(info.phone)
        self.inactivity.setValue(info.inactivity_minutes)
        self.require_totp.setChecked(info.require_totp)
        self.session_hours.setValue(info.session_hours)
        self.break_glass.setChecked(info.break_glass_enabled)
        self.break_glass_minutes.setValue(info.break_glass_minutes)
        self.break_glass_minutes.setEnabled(info.break_glass_enabled)
        self.retention_years.setValue(info.retention_years)
        self.backup_dir.setText(info.backup_dir)
        self.backup_keep.setValue(info.backup_keep)
        self.language.setCurrentIndex(max(self.language.findData(info.language), 0))

    def save(self) -> None:
        self.errors.clear()
        base = self._info or self._clinic.settings(self._actor)
        if base is None:
            return
        # Start from every current value; replace only the fields shown here.
        data = replace(
            base.as_input(),
            name=self.name.text(),
            address=self.address.text(),
            finess=self.finess.text(),
            phone=self.phone.text(),
            inactivity_minutes=self.inactivity.value(),
            require_totp=self.require_totp.isChecked(),
            session_hours=self.session_hours.value(),
            break_glass_enabled=self.break_glass.isChecked(),
            break_glass_minutes=self.break_glass_minutes.value(),
            retention_years=self.retention_years.value(),
            backup_dir=self.backup_dir.text().strip(),
            backup_keep=self.backup_keep.value(),
            language=self.language.currentData(),
        )
        try:
            self._clinic.update(self._actor, data, self._version)
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except ConflictError:
            info = self._clinic.settings(self._actor)
            self._version = info.version if info else self._version
            self._info = info or self._info
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
