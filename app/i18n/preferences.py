"""The user's own preferences on this workstation (the interface language), without Qt.

A small JSON file in the platform's user-config folder (``preferences.json``): the language
must be known before anyone logs in, so it belongs to the workstation's user, not to an account.
"""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs

from app.i18n import normalise

FILE_NAME = "preferences.json"


def preferences_file() -> Path:
    return Path(platformdirs.user_config_dir("relais", appauthor=False)) / FILE_NAME


def _read() -> dict[str, object]:
    try:
        data = json.loads(preferences_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def preferred_language() -> str | None:
    """ "fr" or "en" when the user chose one, None to follow the system."""
    value = _read().get("language")
    return normalise(value) if isinstance(value, str) else None


def save_preferred_language(language: str | None) -> None:
    """Remember ``language`` (None: follow the system) for the next start."""
    data = _read()
    code = normalise(language)
    if code is None:
        data.pop("language", None)
    else:
        data["language"] = code
    path = preferences_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
