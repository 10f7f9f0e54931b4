"""The strength bar under a new password, updated as the user types.

The rating and its French words come from the password policy (``app.services.security.passwords``):
the same check that the services apply when the password is saved, so that the bar never
says « Bon » for a password that will be refused.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from app.services.security.passwords import (
    REFUSED_LABEL,
    PasswordAssessment,
    PasswordContext,
    assess,
)

# One colour per level: refused or very weak, weak, fair, good, very good.
LEVEL_COLOURS = ("#b00020", "#d9480f", "#c98a00", "#5c940d", "#2b8a3e")


def typed_context(
    username: QLineEdit, first_name: QLineEdit, last_name: QLineEdit, clinic_name: str
) -> PasswordContext:
    """What a password typed in a form must not be built from: the fields as typed so far."""
    return PasswordContext(username.text(), first_name.text(), last_name.text(), clinic_name)


class PasswordStrength(QWidget):
    """A bar (empty, then one to five segments), a short label and a hint, for ``edit``.

    ``context`` gives what the password must not be built from (username, names, clinic); it
    is called again at each keystroke, so it may read other fields of the form.
    """

    changed = Signal(object)  # PasswordAssessment

    def __init__(
        self,
        edit: QLineEdit,
        context: Callable[[], PasswordContext],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordStrength")
        self._edit = edit
        self._context = context
        self.bar = QProgressBar()
        self.bar.setObjectName("passwordStrengthBar")
        self.bar.setRange(0, 5)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.bar.setAccessibleName(self.tr("Solidité du mot de passe"))
        self.label = QLabel()
        self.label.setObjectName("passwordStrengthLabel")
        self.label.setMinimumWidth(80)
        self.hint = QLabel()
        self.hint.setObjectName("passwordStrengthHint")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.assessment: PasswordAssessment = assess("", PasswordContext())
        edit.textChanged.connect(self.refresh)
        self.refresh()

    def errors_shown(self, errors: dict[str, str], field: str = "password") -> None:
        """The form now shows ``errors`` under its fields: the hint does not say the same
        thing a second time (it comes back at the next keystroke)."""
        if errors.get(field) == self.hint.text():
            self.hint.hide()

    def refresh(self) -> None:
        """Rate the field's current text (connected to its ``textChanged``)."""
        text = self._edit.text()
        assessment = assess(text, self._context())
        self.assessment = assessment
        level = assessment.score
        self.bar.setValue(level + 1 if text else 0)
        colour = LEVEL_COLOURS[level]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background-color: {colour}; }}")
        self.label.setText(assessment.label)
        self.label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.hint.setText(assessment.hint)
        self.hint.show()
        refused = assessment.label == REFUSED_LABEL
        self.hint.setStyleSheet(f"color: {LEVEL_COLOURS[0] if refused else '#555'};")
        self.bar.setAccessibleDescription(assessment.label)
        self.changed.emit(assessment)
