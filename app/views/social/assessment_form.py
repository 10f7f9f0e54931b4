"""The structured social assessment: the form (one box per section, built from
``social_rules.SECTIONS``: choices, several choices, a line, a date, and a free text) that opens
on the latest version and saves a new one, and the history of versions with what each changed."""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.services.social.assessment_form import SECTIONS, FieldKind, FieldSpec, display_value
from app.services.social.records import (
    AssessmentInput,
    AssessmentValue,
    AssessmentVersion,
    AssessmentView,
    SectionChange,
)
from app.views.common.forms import align_labels
from app.views.common.labels import datetime_fr
from app.views.common.patient_tab import LazyTab
from app.views.common.rows import RowsModel
from app.views.common.widgets import FieldErrors, error_label, record_table
from app.views.ports import ConsultationsPort

MULTI_COLUMNS = 3


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def assessment_html(view: AssessmentView) -> str:
    """One version as rich text: the filled-in fields and texts, section by section."""
    parts = []
    for section in SECTIONS:
        rows = [
            (spec.label, display_value(spec, view.value(section.key, spec.key)))
            for spec in section.fields
        ]
        rows = [(label, value) for label, value in rows if value]
        text = view.texts.get(section.key, "")
        if not rows and not text:
            continue
        parts.append(f"<h4>{_esc(section.label)}</h4>")
        if rows:
            parts.append(
                "<table cellspacing='0' cellpadding='2'>"
                + "".join(
                    f"<tr><td style='color:#455a64; padding-right:10px'>{_esc(k)}</td>"
                    f"<td><b>{_esc(v)}</b></td></tr>"
                    for k, v in rows
                )
                + "</table>"
            )
        if text:
            parts.append(f"<p>{_esc(text)}</p>")
    return "".join(parts) or "<p><i>Évaluation vide.</i></p>"


def changes_html(changes: list[SectionChange]) -> str:
    if not changes:
        return "<p><i>Aucun changement.</i></p>"
    return "".join(
        f"<h4>{_esc(c.label)}</h4><ul>"
        + "".join(f"<li>{_esc(line)}</li>" for line in c.lines())
        + "</ul>"
        for c in changes
    )


class AssessmentForm(LazyTab):
    """Opens on the latest version; « Enregistrer une nouvelle version » appends one."""

    saved = Signal(object)  # AssessmentView

    def __init__(
        self,
        consultations: ConsultationsPort,
        actor: Actor,
        patient_id: int,
        *,
        appointment_id: int | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name="assessmentForm", parent=parent)
        self._consultations = consultations
        self._appointment_id = appointment_id
        self.based_on: int | None = None
        self.latest: AssessmentView | None = None
        self.choices: dict[tuple[str, str], QComboBox] = {}
        self.multis: dict[tuple[str, str], dict[str, QCheckBox]] = {}
        self.lines: dict[tuple[str, str], QLineEdit] = {}
        self.texts: dict[str, QPlainTextEdit] = {}
        self.general_error = error_label()
        self.general_error.setObjectName("assessmentError")
        self.errors = FieldErrors(self.general_error)
        self.status = QLabel()
        self.status.setObjectName("assessmentStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Enregistrer une nouvelle version"), self)
        self.save_button.setObjectName("saveAssessmentButton")
        self.save_button.setVisible(not read_only)
        self.save_button.setAutoDefault(False)
        self.reset_button = QPushButton(self.tr("&Revenir à la dernière version"), self)
        self.reset_button.setObjectName("resetAssessmentButton")
        self.reset_button.setVisible(not read_only)
        self.reset_button.setAutoDefault(False)

        self.scroll = self._build_sections()
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.reset_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.general_error)
        layout.addWidget(self.scroll, 1)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(lambda: self.show_version(self.latest))
        for widget in self._inputs():
            widget.setEnabled(not read_only)

    def _build_sections(self) -> QScrollArea:
        body = QWidget()
        column = QVBoxLayout(body)
        forms = []
        for section in SECTIONS:
            box = QGroupBox(self.tr(section.label))
            box.setObjectName(f"assessment_{section.key}")
            form = QFormLayout(box)
            forms.append(form)
            for spec in section.fields:
                name = f"{section.key}.{spec.key}"
                self.errors.add_row(form, name, self.tr(spec.label), self._field(section.key, spec))
            text = QPlainTextEdit()
            text.setObjectName(f"assessment_{section.key}_text")
            text.setPlaceholderText(self.tr(section.hint))
            text.setFixedHeight(64)
            text.setTabChangesFocus(True)
            self.texts[section.key] = text
            self.errors.add_row(form, f"{section.key}.text", self.tr("Commentaire"), text)
            column.addWidget(box)
        align_labels(*forms)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        return scroll

    def _field(self, section: str, spec: FieldSpec) -> QWidget:
        key = (section, spec.key)
        name = f"assessment_{section}_{spec.key}"
        if spec.kind is FieldKind.CHOICE:
            combo = QComboBox()
            combo.setObjectName(name)
            combo.addItem(self.tr("— non renseigné —"), "")
            for code, label in spec.choices:
                combo.addItem(self.tr(label), code)
            self.choices[key] = combo
            return combo
        if spec.kind is FieldKind.MULTI:
            box = QWidget()
            box.setObjectName(name)
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 0, 0, 0)
            boxes: dict[str, QCheckBox] = {}
            for i, (code, label) in enumerate(spec.choices):
                check = QCheckBox(self.tr(label))
                check.setObjectName(f"{name}_{code}")
                boxes[code] = check
                grid.addWidget(check, i // MULTI_COLUMNS, i % MULTI_COLUMNS)
            self.multis[key] = boxes
            return box
        line = QLineEdit()
        line.setObjectName(name)
        if spec.kind is FieldKind.DATE:
            line.setPlaceholderText("jj/mm/aaaa")
            line.setMaximumWidth(140)
        self.lines[key] = line
        return line

    def _inputs(self) -> list[QWidget]:
        return [
            *self.choices.values(),
            *(c for boxes in self.multis.values() for c in boxes.values()),
            *self.lines.values(),
            *self.texts.values(),
        ]

    # ---- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        self._loaded = True
        try:
            latest = self._consultations.assessment(self._actor, self._patient_id)
        except RelaisError as exc:
            self.status.setText(exc.message)
            self.save_button.setEnabled(False)
            return
        self.latest = latest
        self.based_on = latest.id if latest else None
        self.show_version(latest)

    def _describe(self, view: AssessmentView | None) -> str:
        if view is None:
            return self.tr("Aucune évaluation enregistrée : remplissez ce qui est connu.")
        v = view.version
        return self.tr("Version {n} du {when}, par {who}.").format(
            n=v.number, when=datetime_fr(v.created_at), who=v.author_name
        )

    def show_version(self, view: AssessmentView | None) -> None:
        """Fill the form with a version (None: empty)."""
        self.errors.clear()
        self.status.setText(self._describe(view))
        for (section, key), combo in self.choices.items():
            value = view.value(section, key) if view else ""
            combo.setCurrentIndex(max(combo.findData(value), 0))
        for (section, key), boxes in self.multis.items():
            chosen = set(view.value(section, key) or ()) if view else set()
            for code, check in boxes.items():
                check.setChecked(code in chosen)
        for (section, key), line in self.lines.items():
            value = str(view.value(section, key) or "") if view else ""
            spec = next(s for s in SECTIONS if s.key == section).field(key)
            if value and spec is not None and spec.kind is FieldKind.DATE:
                value = display_value(spec, value)
            line.setText(value)
        for section, text in self.texts.items():
            text.setPlainText(view.texts.get(section, "") if view else "")

    # ---- saving -------------------------------------------------------------------------
    def value(self) -> AssessmentInput:
        values: dict[str, dict[str, AssessmentValue]] = {}
        for (section, key), combo in self.choices.items():
            values.setdefault(section, {})[key] = combo.currentData() or ""
        for (section, key), boxes in self.multis.items():
            values.setdefault(section, {})[key] = tuple(
                code for code, check in boxes.items() if check.isChecked()
            )
        for (section, key), line in self.lines.items():
            values.setdefault(section, {})[key] = line.text()
        texts = {section: text.toPlainText() for section, text in self.texts.items()}
        return AssessmentInput(values, texts)

    def set_choice(self, section: str, key: str, code: str) -> None:
        combo = self.choices[(section, key)]
        combo.setCurrentIndex(combo.findData(code))

    def save(self) -> AssessmentView | None:
        try:
            view = self._consultations.save_assessment(
                self._actor,
                self._patient_id,
                self.value(),
                based_on=self.based_on,
                appointment_id=self._appointment_id,
            )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return None
        except ConflictError as exc:
            theirs = exc.theirs if isinstance(exc.theirs, AssessmentView) else None
            self.based_on = theirs.id if theirs else None
            self.latest = theirs
            self.errors.show_general(
                exc.message
                + self.tr(
                    " Vos saisies sont conservées dans le formulaire ; la version enregistrée "
                    "est dans l'historique. Enregistrez à nouveau pour la remplacer par la vôtre."
                )
            )
            return None
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return None
        self.latest = view
        self.based_on = view.id
        self.show_version(view)
        self.saved.emit(view)
        return view


class VersionsModel(RowsModel[AssessmentVersion]):
    NUMBER, DATE, AUTHOR = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Version"),
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Auteur(e)"),
    )

    def cell(self, row: AssessmentVersion, column: int) -> str:
        if column == self.NUMBER:
            return str(row.number)
        if column == self.DATE:
            return datetime_fr(row.created_at)
        return row.author_name


class AssessmentHistory(LazyTab):
    """The versions (newest first); the selected one is shown with what it changed."""

    def __init__(
        self,
        consultations: ConsultationsPort,
        actor: Actor,
        patient_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name="assessmentHistory", parent=parent)
        self._consultations = consultations
        self.model = VersionsModel(self)
        self.table = record_table(self.model, name="assessmentVersions")
        self.table.horizontalHeader().setSectionResizeMode(
            VersionsModel.AUTHOR, QHeaderView.ResizeMode.Stretch
        )
        self.message = QLabel()
        self.message.setObjectName("historyMessage")
        self.message.setWordWrap(True)
        self.changes = QTextBrowser()
        self.changes.setObjectName("assessmentChanges")
        self.content = QTextBrowser()
        self.content.setObjectName("assessmentContent")
        right = QSplitter(Qt.Orientation.Vertical)
        for title, widget in (
            (self.tr("<b>Ce qui a changé</b> par rapport à la version précédente"), self.changes),
            (self.tr("<b>Contenu de la version</b>"), self.content),
        ):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(QLabel(title))
            column.addWidget(widget, 1)
            right.addWidget(box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([260, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selected())

    def reload(self) -> None:
        self._loaded = True
        try:
            versions = self._consultations.history(self._actor, self._patient_id)
        except RelaisError as exc:
            self.model.set_rows([])
            self.message.setText(exc.message)
            return
        self.model.set_rows(versions)
        self.message.setText(
            self.tr("Aucune version enregistrée.")
            if not versions
            else self.tr("%n version(s), de la plus récente à la plus ancienne.", "", len(versions))
        )
        if versions:
            self.table.selectRow(0)
        else:
            self.changes.clear()
            self.content.clear()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        version = self.model.row_at(rows[0].row()) if rows else None
        if version is None:
            return
        try:
            view = self._consultations.version(self._actor, version.id)
            changes = self._consultations.changes(self._actor, version.id)
        except RelaisError as exc:
            self.content.setPlainText(exc.message)
            self.changes.clear()
            return
        self.content.setHtml(assessment_html(view))
        self.changes.setHtml(changes_html(changes))
