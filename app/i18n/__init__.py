"""Languages of Relais, without Qt: French (the source and default) and English.

Service messages are French sentences marked with :func:`_` (or :func:`ngettext` for plurals);
their English lives in ``resources/i18n/en/LC_MESSAGES/relais.po`` (compiled to ``relais.mo``,
read by the standard library's :mod:`gettext`). The views' strings go through Qt (``self.tr``,
``resources/i18n/relais_en.ts`` and ``.qm``). The language is chosen once at start-up
(:func:`set_language`); PDFs may use the clinic's language for a while (:func:`use_language`).
``python -m app.i18n.update`` regenerates every catalogue (docs/administration.md).

Labels defined at import time (before the language is known) are marked with :func:`N_` and
translated where they are used, or kept in a :class:`Labels` mapping, which translates on read.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TypeVar

DOMAIN = "relais"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
CATALOGUES = Path(__file__).resolve().parents[2] / "resources" / "i18n"

_current: dict[str, object] = {"language": DEFAULT_LANGUAGE, "catalogue": None}
_cache: dict[str, _gettext.NullTranslations] = {}
_local = threading.local()  # use_language(): this thread only (a PDF built in a worker)

K = TypeVar("K")


def _catalogue(language: str) -> _gettext.NullTranslations:
    if language not in _cache:
        if language == DEFAULT_LANGUAGE:
            _cache[language] = _gettext.NullTranslations()
        else:
            _cache[language] = _gettext.translation(
                DOMAIN, CATALOGUES, languages=[language], fallback=True
            )
    return _cache[language]


def normalise(language: str | None) -> str | None:
    """``"en_GB.UTF-8"`` → ``"en"``; None for a language Relais does not have."""
    if not language:
        return None
    code = language.replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else None


def choose_language(preference: str | None, system_locale: str | None) -> str:
    """The user's preference if set, else English on an English system, else French."""
    return normalise(preference) or ("en" if normalise(system_locale) == "en" else DEFAULT_LANGUAGE)


def set_language(language: str | None) -> str:
    """Make ``language`` (or French) the language of every service message; returns it."""
    chosen = normalise(language) or DEFAULT_LANGUAGE
    _current["language"] = chosen
    _current["catalogue"] = _catalogue(chosen)
    return chosen


def language() -> str:
    return str(getattr(_local, "language", None) or _current["language"])


@contextlib.contextmanager
def use_language(code: str | None) -> Iterator[str]:
    """For a while and in this thread only (a PDF in the clinic's language), then back."""
    chosen = normalise(code) or DEFAULT_LANGUAGE
    previous = getattr(_local, "language", None), getattr(_local, "catalogue", None)
    _local.language, _local.catalogue = chosen, _catalogue(chosen)
    try:
        yield chosen
    finally:
        _local.language, _local.catalogue = previous


def _active() -> _gettext.NullTranslations | None:
    local = getattr(_local, "catalogue", None)
    return local if local is not None else _current["catalogue"]  # type: ignore[return-value]


def _(message: str) -> str:
    """``message`` (French) in the active language."""
    catalogue = _active()
    if catalogue is None:
        return message
    return catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The French singular or plural (French: 0 and 1 are singular) in the active language."""
    catalogue = _active()
    if catalogue is None or language() == DEFAULT_LANGUAGE:
        return singular if n in (0, 1, -1) else plural
    return catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a French label for the catalogue without translating it yet (import time)."""
    return message


class Labels(dict[K, str]):
    """A mapping of French labels (marked with :func:`N_`) read in the active language."""

    def __getitem__(self, key: K) -> str:
        return _(super().__getitem__(key))

    def get(self, key: K, default: str | None = None) -> str | None:  # type: ignore[override]
        value = super().get(key, default)
        return _(value) if value is not None else None

    def values(self):  # type: ignore[no-untyped-def, override]
        return [_(v) for v in super().values()]

    def items(self):  # type: ignore[no-untyped-def, override]
        return [(k, _(v)) for k, v in super().items()]

    def step(self, previous: object, target: object) -> str:
        """« Envoyée → Acceptée »: a change of status as the audit journal shows it, in the
        active language (« — » for none; a value without a label as itself)."""

        def label(value: object) -> str:
            return "—" if value in (None, "") else (self.get(value) or str(value))  # type: ignore[arg-type]

        return f"{label(previous)} → {label(target)}"

    def keyed_by_value(self) -> Labels[str]:
        """The same French labels keyed by their enum's value (``str(key)``), still read in
        the active language (not translated once, in whatever language was active at import)."""
        return Labels({str(k): v for k, v in super().items()})


def labels(mapping: Mapping[K, str]) -> Labels[K]:
    return Labels(mapping)
