"""The agenda's toolbar: whose agenda, day or week, moving in time, the call list, the
sessions and the iCalendar export. Mnemonics avoid the menu bar's (F, P, O, A, C, I)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from app.views.common.responsive import FlowLayout


def _tool(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


def agenda_toolbar(agenda) -> FlowLayout:
    """The agenda's toolbar; its widgets become attributes of ``agenda`` (professional,
    day/week, previous/today/next, date, calls, sessions, export)."""
    agenda.professional = QComboBox()
    agenda.professional.setObjectName("agendaProfessional")
    agenda.professional.setMinimumWidth(200)
    label = QLabel(QCoreApplication.translate("AgendaWidget", "Agenda &de"))
    label.setBuddy(agenda.professional)
    agenda.day_button = _tool(
        QCoreApplication.translate("AgendaWidget", "&Jour"), "agendaDayButton"
    )
    agenda.week_button = _tool(
        QCoreApplication.translate("AgendaWidget", "&Semaine"), "agendaWeekButton"
    )
    group = QButtonGroup(agenda)
    for button in (agenda.day_button, agenda.week_button):
        button.setCheckable(True)
        group.addButton(button)
    agenda.day_button.setChecked(True)
    agenda.previous_button = _tool("◀", "agendaPrevious")
    agenda.previous_button.setToolTip(
        QCoreApplication.translate("AgendaWidget", "Jour ou semaine précédente (Alt+Gauche)")
    )
    agenda.previous_button.setAccessibleName(
        QCoreApplication.translate("AgendaWidget", "Jour ou semaine précédente")
    )
    agenda.today_button = _tool(
        QCoreApplication.translate("AgendaWidget", "Aujourd'&hui"), "agendaToday"
    )
    agenda.next_button = _tool("▶", "agendaNext")
    agenda.next_button.setToolTip(
        QCoreApplication.translate("AgendaWidget", "Jour ou semaine suivante (Alt+Droite)")
    )
    agenda.next_button.setAccessibleName(
        QCoreApplication.translate("AgendaWidget", "Jour ou semaine suivante")
    )
    for button in (agenda.previous_button, agenda.next_button):
        button.setFixedWidth(36)
    agenda.date_edit = QDateEdit(QDate(agenda.day))
    agenda.date_edit.setObjectName("agendaDate")
    agenda.date_edit.setAccessibleName(QCoreApplication.translate("AgendaWidget", "Date affichée"))
    agenda.date_edit.setCalendarPopup(True)
    agenda.date_edit.setDisplayFormat("dd/MM/yyyy")
    agenda.calls_button = _tool(
        QCoreApplication.translate("AgendaWidget", "Appels de la &veille…"), "callListButton"
    )
    if not agenda.can_book:  # never setVisible(True) before the button has a parent
        agenda.calls_button.hide()
    agenda.sessions_button = _tool(
        QCoreApplication.translate("AgendaWidget", "Per&manences…"), "sessionsButton"
    )
    agenda.export_button = _tool(
        QCoreApplication.translate("AgendaWidget", "E&xporter (iCalendar)…"), "icsExportButton"
    )
    # Groups of controls that wrap onto a second row when the agenda is narrow (200 %).
    toolbar = FlowLayout()
    toolbar.setSpacing(12)
    for group in (
        (label, agenda.professional),
        (agenda.day_button, agenda.week_button),
        (agenda.previous_button, agenda.today_button, agenda.next_button, agenda.date_edit),
        (agenda.calls_button, agenda.sessions_button, agenda.export_button),
    ):
        toolbar.addWidget(_group(agenda, *group))
    return toolbar


def _group(agenda: QWidget, *widgets: QWidget) -> QWidget:
    group = QWidget(agenda)
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    return group
