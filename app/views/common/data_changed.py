"""One "data changed" hub for the whole window, and what each view does with it.

The services' change feed (``services.changes``) tells each committed unit of work by kind and
id — this workstation's own at once, the other workstations' through PostgreSQL's
``LISTEN/NOTIFY`` (``app.services.kernel.change_listener``, from a background thread). The
:class:`DataChangedHub` brings them to the GUI thread, gathers those that arrive together and
emits ``changed(batches)`` once; :class:`LiveRefresh` then refreshes what the window shows:
the inbox counter and an open inbox, the open agenda, the referral lists, and, for an open
patient file that someone else changed, a « Modifié par … à … — Actualiser » banner that
reloads only when asked (what the user is typing is never touched). The hub also carries the
listener's connection state to the « Connexion au serveur perdue » banner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.change_kinds import AGENDA_KINDS, INBOX_KINDS, REFERRAL_KINDS
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import local

GATHER_MS = 150  # changes arriving together refresh the views once


class ChangesPort(Protocol):
    origin: str

    def subscribe(self, subscriber: Callable[[Any], None]) -> Callable[[], None]: ...
    def author_name(self, actor: Actor, user_id: int | None) -> str: ...


class DataChangedHub(QObject):
    """``changed(list of ChangeBatch)`` in the GUI thread; ``connection(state)`` likewise."""

    changed = Signal(object)
    connection = Signal(object)
    _incoming = Signal(object)
    _incoming_state = Signal(object)

    def __init__(self, feed: ChangesPort | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.feed = feed
        self.origin = feed.origin if feed is not None else ""
        self._pending: list[Any] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GATHER_MS)
        self._timer.timeout.connect(self._flush)
        queued = Qt.ConnectionType.QueuedConnection  # from any thread to the GUI thread
        self._incoming.connect(self._gather, queued)
        self._incoming_state.connect(self.connection, queued)
        self._unsubscribe = feed.subscribe(self.deliver) if feed is not None else None
        if self._unsubscribe is not None:  # a deleted hub must not stay subscribed
            self.destroyed.connect(lambda *_a, stop=self._unsubscribe: stop())

    def deliver(self, batch: Any) -> None:
        """Thread-safe: called by the feed after a commit or by the listener's thread."""
        self._incoming.emit(batch)

    def report_state(self, state: Any) -> None:
        """Thread-safe: the listener's connection state (lost, retry delay, restored)."""
        self._incoming_state.emit(state)

    def _gather(self, batch: Any) -> None:
        self._pending.append(batch)
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        batches, self._pending = self._pending, []
        if batches:
            self.changed.emit(batches)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def _loaded(tab: Any) -> bool:
    return tab is not None and bool(getattr(tab, "loaded", False) or getattr(tab, "_loaded", False))


def _touches(batches: Iterable[Any], kinds: frozenset[str]) -> bool:
    return any(b.touches(kinds) for b in batches)


class ChangedBanner(QFrame):
    """« Modifié par … à … — Actualiser » on top of an open patient file."""

    def __init__(self, refresh: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedBanner")
        self.setStyleSheet("#changedBanner { background: #fff4ce; border: 1px solid #e0c060; }")
        self.label = QLabel()
        self.label.setObjectName("changedText")
        self.button = QPushButton(self.tr("Actualiser"))
        self.button.setObjectName("changedRefresh")
        self.button.clicked.connect(refresh)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()

    def show_change(self, author: str, at_text: str) -> None:
        if author and at_text:
            text = self.tr("Modifié par {who} à {at}").format(who=author, at=at_text)
        elif author:
            text = self.tr("Modifié par {who}").format(who=author)
        else:
            text = self.tr("Ce dossier a peut-être été modifié sur un autre poste")
        self.label.setText(
            self.tr("{what} — cliquez sur « Actualiser » pour le voir.").format(what=text)
        )
        self.show()


class ConnectionBanner(QLabel):
    """« Connexion au serveur perdue — nouvel essai dans … » while the server is away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setWordWrap(True)
        self.setStyleSheet("background: #b00020; color: white; padding: 6px; font-weight: 600;")
        self.remaining = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.hide()

    def show_state(self, state: Any) -> None:
        if state.connected:
            self._countdown.stop()
            self.hide()
            return
        self.remaining = max(1, round(state.retry_in))
        self._render()
        self._countdown.start()
        self.show()

    def _tick(self) -> None:
        self.remaining = max(0, self.remaining - 1)
        self._render()

    def _render(self) -> None:
        wait = (
            self.tr("nouvel essai dans {n} s").format(n=self.remaining)
            if self.remaining
            else self.tr("nouvel essai en cours…")
        )
        self.setText(
            self.tr(
                "Connexion au serveur perdue — {wait}. Ce que vous avez saisi est conservé ; "
                "enregistrez de nouveau une fois la connexion rétablie."
            ).format(wait=wait)
        )


class LiveRefresh(QObject):
    """Applies the hub's changes to a main window's workspaces (duck-typed)."""

    def __init__(self, hub: DataChangedHub, workspaces: Callable[[], Sequence[Any]]) -> None:
        super().__init__(hub)
        self.hub = hub
        self._workspaces = workspaces
        self.banner = ConnectionBanner()
        hub.changed.connect(self.apply)
        hub.connection.connect(self.banner.show_state)

    def apply(self, batches: list[Any]) -> None:
        inbox = _touches(batches, INBOX_KINDS)
        agenda = _touches(batches, AGENDA_KINDS | REFERRAL_KINDS)
        referrals = _touches(batches, REFERRAL_KINDS)
        for workspace in self._workspaces():
            if inbox:
                workspace.refresh_inbox()
                if workspace.inbox_dialog is not None:
                    workspace.inbox_dialog.reload()
            if agenda and workspace.agenda is not None:
                workspace.agenda.reload()
            if referrals and workspace.orientations_dialog is not None:
                workspace.orientations_dialog.reload()
            for file in workspace.open_files():
                self._apply_to_file(workspace.actor, file, batches, referrals)

    def _apply_to_file(self, actor: Actor, file: Any, batches: list[Any], referrals: bool) -> None:
        mine = [b for b in batches if b.touches_patient(file.patient_id)]
        if not mine:
            return
        file.apply_changes(mine)  # the lists already read that show what changed
        theirs = [b for b in mine if b.origin != self.hub.origin]
        if not theirs:
            return  # this workstation's own change: the file already shows it
        last = theirs[-1]
        author = ""
        if self.hub.feed is not None and last.user_id is not None:
            try:
                author = self.hub.feed.author_name(actor, last.user_id)
            except RelaisError:
                author = ""
        at_text = local(last.at).strftime("%H:%M") if last.at is not None else ""
        self.banner_for(file).show_change(author, at_text)

    def banner_for(self, file: Any) -> ChangedBanner:
        banner = getattr(file, "changed_banner", None)
        if banner is None:
            banner = ChangedBanner(lambda: refresh_file(file))
            file.layout().insertWidget(0, banner)
            file.changed_banner = banner
        return banner


def refresh_file(file: Any) -> None:
    """« Actualiser »: the identity, history and lists again; drafts being typed are kept."""
    try:
        record = file._services.patients.get(file._actor, file.patient_id, audit_open=False)
    except RelaisError as exc:
        file.changed_banner.label.setText(exc.message)
        return
    file.show_record(record)
    file.refresh_tabs(frozenset())  # every tab already read; drafts being typed are kept
    file.changed_banner.hide()
