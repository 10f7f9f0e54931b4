"""The interface language: Qt's translators and the services' catalogue, set once at start-up.

French is the source and the default; English follows the system locale (QLocale), unless the
user chose a language (``app.i18n.preferences``, « Mon compte » → « Langue de l'interface »).
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.i18n.preferences import preferred_language, save_preferred_language

LOCALES = {
    "fr": QLocale(QLocale.Language.French, QLocale.Country.France),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}
_installed: list[QTranslator] = []


def startup_language(override: str | None = None) -> str:
    """The command line's choice, else the user's preference, else the system's locale."""
    return i18n.choose_language(override or preferred_language(), QLocale.system().name())


def load_catalogue(app: QApplication, code: str) -> QTranslator | None:
    """Install Relais's own ``relais_<code>.qm`` (None if missing)."""
    translator = QTranslator(app)
    if not translator.load(str(i18n.CATALOGUES / f"relais_{code}.qm")):
        return None
    app.installTranslator(translator)
    return translator


def install_language(app: QApplication, language: str) -> str:
    """Make ``language`` the language of the interface and of the services; returns it.

    French: Qt's own French strings (qtbase_fr.qm). English: Relais's ``relais_en.qm``."""
    code = i18n.set_language(language)
    QLocale.setDefault(LOCALES[code])
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if code == "fr":
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(LOCALES["fr"], "qtbase", "_", path):
            app.installTranslator(translator)
            _installed.append(translator)
            app.setProperty("relais_french", True)  # the self-test checks it
    # French is the source language, but its plural forms (« %n note(s) » → « 2 notes ») come
    # from relais_fr.qm, as English's whole interface comes from relais_en.qm.
    translator = load_catalogue(app, code)
    if translator is not None:
        _installed.append(translator)
    app.setProperty("relais_language", code)
    return code


class LanguageDialog(QDialog):
    """« Langue de l'interface » (« Mon compte »): follow the system, French or English; kept
    for this workstation's user and applied at the next start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Langue de l'interface"))
        self.choices: dict[str | None, QRadioButton] = {
            None: QRadioButton(self.tr("Celle du système")),
            "fr": QRadioButton(i18n.LANGUAGE_NAMES["fr"]),
            "en": QRadioButton(i18n.LANGUAGE_NAMES["en"]),
        }
        layout = QVBoxLayout(self)
        for code, button in self.choices.items():
            button.setObjectName(f"language_{code or 'system'}")
            layout.addWidget(button)
        self.choices[preferred_language()].setChecked(True)
        note = QLabel(self.tr("La nouvelle langue s'applique au prochain démarrage de Relais."))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("Enregistrer"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        return next(code for code, button in self.choices.items() if button.isChecked())

    def save(self) -> None:
        save_preferred_language(self.chosen())
        self.accept()
