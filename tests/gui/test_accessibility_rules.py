"""The application-wide keyboard and accessibility rules, one small widget per rule (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QIcon, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.views.common.accessibility import (
    install_accessibility,
    label_name,
    mnemonic_of,
    strip_mnemonic,
    uninstall_accessibility,
    with_mnemonic,
)
from app.views.common.keyboard import on_activate
from app.views.common.widgets import FieldErrors, error_label, record_table


@pytest.fixture
def rules(qapp) -> Iterator[None]:
    install_accessibility(qapp)
    yield
    uninstall_accessibility(qapp)


def show(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# ---- text helpers ---------------------------------------------------------------------------
def test_mnemonic_text_helpers():
    assert strip_mnemonic("&Nom") == "Nom" and strip_mnemonic("A && B") == "A & B"
    assert mnemonic_of("En&voyer") == "v" and mnemonic_of("A && B") is None
    assert label_name("&Date de naissance :") == "Date de naissance"
    assert label_name("Nom *") == "Nom"
    # first letters of long words first, ASCII letters only, never a taken one
    assert with_mnemonic("Nouvelle orientation", set()) == ("&Nouvelle orientation", "n")
    assert with_mnemonic("Nouvelle orientation", {"n"}) == ("Nouvelle &orientation", "o")
    assert with_mnemonic("Écrire", set()) == ("É&crire", "c")
    assert with_mnemonic("Ok", {"o", "k"}) is None


# ---- Tab leaves text editors and tables -------------------------------------------------------
def test_tab_leaves_text_editors(qtbot, rules):
    window = QWidget()
    layout = QVBoxLayout(window)
    plain, rich, after = QPlainTextEdit(), QTextEdit(), QLineEdit()
    for widget in (plain, rich, after):
        layout.addWidget(widget)
    show(qtbot, window)
    assert plain.tabChangesFocus() and rich.tabChangesFocus()
    window.activateWindow()
    plain.setFocus()
    qtbot.waitUntil(plain.hasFocus)
    qtbot.keyClick(plain, Qt.Key.Key_Tab)
    assert plain.toPlainText() == ""  # no tab character typed
    assert rich.hasFocus()


def test_tab_leaves_every_item_view(qtbot, rules):
    window = QWidget()
    layout = QVBoxLayout(window)
    table, listing = QTableView(), QListView()
    model = QStandardItemModel(3, 3)
    table.setModel(model)
    listing.setModel(QStringListModel(["a", "b"]))
    layout.addWidget(table)
    layout.addWidget(listing)
    show(qtbot, window)
    assert not table.tabKeyNavigation() and not listing.tabKeyNavigation()


def test_record_table_leaves_on_tab_sizes_columns_and_opens_rows_on_return(qtbot):
    """Without the application rules: ``record_table`` does it itself."""
    model = QStandardItemModel(0, 3)
    for row in (("Dupré", "Jean", "urgent"), ("Martin", "Léa", "normal")):
        model.appendRow([QStandardItem(text) for text in row])
    window = QWidget()
    layout = QVBoxLayout(window)
    table = record_table(model, name="records")
    after = QLineEdit()
    layout.addWidget(table)
    layout.addWidget(after)
    opened: list[int] = []
    table.doubleClicked.connect(lambda index: opened.append(index.row()))
    show(qtbot, window)
    header = table.horizontalHeader()
    assert not table.tabKeyNavigation()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    assert header.stretchLastSection()
    assert 0 < header.sectionSize(0) <= header.maximumSectionSize()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened == [1]
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert after.hasFocus()


def test_return_on_a_table_nobody_opens_goes_to_the_default_button(qtbot):
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    table = record_table(QStandardItemModel(2, 2), name="plain")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dialog.accept)
    layout.addWidget(table)
    layout.addWidget(buttons)
    show(qtbot, dialog)
    table.setFocus()
    table.selectRow(0)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(table, Qt.Key.Key_Return)


def test_on_activate_opens_the_current_row_once_with_return_enter_or_double_click(qtbot):
    view = QListView()
    view.setModel(QStringListModel(["Dupré", "Martin"]))
    opened: list[str] = []
    on_activate(view, lambda index: opened.append(index.data()))
    show(qtbot, view)
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == ["Martin", "Martin", "Dupré"]


# ---- accessible names ---------------------------------------------------------------------
def test_inputs_get_their_label_placeholder_or_tooltip_as_accessible_name(qtbot, rules):
    window = QWidget()
    outer = QVBoxLayout(window)
    form = QFormLayout()
    name, combo, spin = QLineEdit(), QComboBox(), QSpinBox()
    form.addRow("&Nom de naissance :", name)
    form.addRow("Motif", combo)
    outer.addLayout(form)
    row = QHBoxLayout()
    since = QLabel("Du :")
    start = QDateEdit()
    row.addWidget(since)
    row.addWidget(start)
    outer.addLayout(row)
    search = QLineEdit()
    search.setPlaceholderText("Rechercher un patient")
    tipped = spin
    tipped.setToolTip("Durée en minutes")
    outer.addWidget(search)
    outer.addWidget(tipped)
    icon_only = QToolButton()
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.black)
    icon_only.setIcon(QIcon(pixmap))
    icon_only.setToolTip("Imprimer")
    outer.addWidget(icon_only)
    show(qtbot, window)
    assert name.accessibleName() == "Nom de naissance"
    assert combo.accessibleName() == "Motif"
    assert since.buddy() is start and start.accessibleName() == "Du"
    assert search.accessibleName() == "Rechercher un patient"
    assert tipped.accessibleName() == "Durée en minutes"
    assert icon_only.accessibleName() == "Imprimer"


def test_a_name_set_by_the_screen_is_kept(qtbot, rules):
    window = QWidget()
    form = QFormLayout(window)
    edit = QLineEdit()
    edit.setAccessibleName("Identifiant")
    form.addRow("Utilisateur", edit)
    show(qtbot, window)
    assert edit.accessibleName() == "Identifiant"


def test_field_errors_rows_point_their_label_at_the_field(qtbot):
    window = QWidget()
    form = QFormLayout(window)
    errors = FieldErrors(error_label(window))
    edit = QLineEdit()
    errors.add_row(form, "name", "Nom :", edit)
    show(qtbot, window)
    assert form.labelForField(edit.parentWidget()).buddy() is edit
    assert edit.accessibleName() == "Nom"


def test_a_label_whose_buddy_is_a_box_points_at_the_input_inside(qtbot, rules):
    window = QWidget()
    form = QFormLayout(window)
    box = QWidget()
    inner = QVBoxLayout(box)
    edit = QLineEdit()
    inner.addWidget(edit)
    inner.addWidget(QLabel("aide"))
    form.addRow("Téléphone", box)
    show(qtbot, window)
    assert form.labelForField(box).buddy() is edit
    assert edit.accessibleName() == "Téléphone"


# ---- mnemonics ------------------------------------------------------------------------------
def test_buttons_and_labelled_inputs_get_unique_mnemonics(qtbot, rules):
    dialog = QDialog()
    layout = QVBoxLayout(dialog)
    form = QFormLayout()
    message = QPlainTextEdit()
    form.addRow("Message", message)
    layout.addLayout(form)
    send, save, keep = QPushButton("Envoyer…"), QPushButton("Enregistrer"), QPushButton("&Modifier")
    tick = QCheckBox("Coordonnées")
    for widget in (tick, send, save, keep):
        layout.addWidget(widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    layout.addWidget(buttons)
    cancel_text = buttons.button(QDialogButtonBox.StandardButton.Cancel).text()
    show(qtbot, dialog)
    label = form.labelForField(message)
    texts = [label.text(), tick.text(), send.text(), save.text(), keep.text()]
    letters = [mnemonic_of(text) for text in texts]
    assert None not in letters and len(set(letters)) == len(letters)
    assert keep.text() == "&Modifier"  # an existing mnemonic is kept
    assert strip_mnemonic(label.text()) == "Message" and letters[0] != "m"
    assert [strip_mnemonic(t) for t in texts[1:]] == [
        "Coordonnées",
        "Envoyer…",
        "Enregistrer",
        "Modifier",
    ]
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == cancel_text
    # Alt+letter of the label puts the focus in its field
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    send.setFocus()
    qtbot.keyClick(dialog, letters[0], Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(message.hasFocus)


def test_a_page_shown_later_gets_mnemonics_free_in_its_window(qtbot, rules):
    window = QWidget()
    layout = QVBoxLayout(window)
    first = QPushButton("Rechercher")
    layout.addWidget(first)
    page = QWidget()
    page_layout = QVBoxLayout(page)
    second = QPushButton("Réorienter")
    page_layout.addWidget(second)
    layout.addWidget(page)
    page.hide()
    show(qtbot, window)
    assert first.text() == "&Rechercher"
    page.show()
    qtbot.waitUntil(lambda: "&" in second.text())
    assert mnemonic_of(second.text()) != "r"


def test_rich_text_labels_and_labels_without_buddy_are_left_alone(qtbot, rules):
    window = QWidget()
    layout = QVBoxLayout(window)
    title = QLabel("Dossier de <b>DUPRÉ Jean</b>")
    plain = QLabel("Aucune orientation")
    layout.addWidget(title)
    layout.addWidget(plain)
    show(qtbot, window)
    assert "&" not in title.text() and plain.text() == "Aucune orientation"


def test_install_is_idempotent(qapp):
    first = install_accessibility(qapp)
    try:
        assert install_accessibility(qapp) is first
    finally:
        uninstall_accessibility(qapp)
