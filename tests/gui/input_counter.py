"""Count the user's input events, for the clinician walkthroughs (issue 14).

One counter for every walkthrough: it is installed on the application and counts what a
person does with the mouse and the keyboard, whatever widget receives it.

* a **mouse action** is a button press (a click, a double click counts once per press);
* a **key** is a key press that is not auto-repeat; typing « Dupont » is 6 keys;
* an **action** (the issue's unit) is a click, a shortcut or key that triggers something, or
  one typed text: consecutive printable keys to the same widget count as one action.

Rows are appended by :func:`record` to ``benchmarks/out/walkthroughs.json`` so that
``benchmarks/bench_walkthroughs.py`` prints them as a table.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

# Ctrl+P is one key press for a person: the modifier alone is not counted.
_MODIFIER_KEYS = {
    Qt.Key.Key_Control,
    Qt.Key.Key_Shift,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
}

OUT = Path(__file__).resolve().parents[2] / "benchmarks" / "out" / "walkthroughs.json"


@dataclass
class Counts:
    clicks: int = 0
    keys: int = 0
    actions: int = 0
    log: list[str] = field(default_factory=list)


class InputCounter(QObject):
    """An application-wide event filter counting presses (mouse and keyboard).

    A press a child ignores is delivered again to its parents: that is one press, counted
    once (same event, ancestor receiver). Presses seen by the native window are counted on the
    widget that receives them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.counts = Counts()
        self._typing_into: object | None = None
        self._last: tuple[int, QWidget] | None = None
        self._offered: tuple[object, object] | None = None  # key offered to the shortcuts

    def __enter__(self) -> InputCounter:
        QApplication.instance().installEventFilter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        QApplication.instance().removeEventFilter(self)

    def _propagated(self, watched: QWidget, event: QEvent) -> bool:
        pointer = shiboken6.getCppPointer(event)[0]
        last, self._last = self._last, (pointer, watched)
        if last is None or last[0] != pointer:
            return False
        try:
            return last[1] is not watched and watched.isAncestorOf(last[1])
        except RuntimeError:  # the last receiver is gone
            return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(watched, QWidget):
            return False
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            if self._propagated(watched, event):
                return False
            self.counts.clicks += 1
            self.counts.actions += 1
            self.counts.log.append(f"click {type(watched).__name__}")
            self._typing_into = None
        elif (
            kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and not event.isAutoRepeat()
            and event.key() not in _MODIFIER_KEYS
        ):
            # Qt offers every key press to the shortcuts first (ShortcutOverride): a key a
            # shortcut or mnemonic takes (Alt+N, Ctrl+P) never arrives as a KeyPress. Count
            # it there, and the KeyPress that may follow not twice.
            if self._propagated(watched, event):
                return False
            pressed = (event.key(), event.modifiers())
            if kind == QEvent.Type.KeyPress and self._offered == pressed:
                self._offered = None
                return False
            self._offered = pressed if kind == QEvent.Type.ShortcutOverride else None
            self.counts.keys += 1
            text = event.text()
            modifiers = event.modifiers() & ~(
                Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
            )
            printable = (
                bool(text) and text.isprintable() and modifiers == Qt.KeyboardModifier.NoModifier
            )
            if printable and self._typing_into is watched:
                return False
            self.counts.actions += 1
            self.counts.log.append(f"key {event.key()} {text!r} -> {type(watched).__name__}")
            self._typing_into = watched if printable else None
        return False


def record(flow: str, how: str, counts: Counts, budget: int | None = None) -> None:
    """Append one walkthrough's figures to the JSON file the benchmark table reads."""
    if os.environ.get("RELAIS_WALKTHROUGH_OUT") == "0":
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    try:
        rows = json.loads(OUT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rows = {}
    data = asdict(counts)
    data.pop("log")
    data["budget"] = budget
    rows[f"{flow} ({how})"] = data
    OUT.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
