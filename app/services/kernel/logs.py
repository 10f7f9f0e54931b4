"""Logging of ``relais`` and ``relais-admin``: a rotating file in the platform's log folder.

What is logged: operations and failures (which command, which error class, how long) — never
any content of a patient file, a note, a password or a key. Log records name records by id.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

from app.models.db import APP_NAME

LOG_FOLDER = "journaux"
LOG_NAME = "relais.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def log_folder(base: Path | None = None) -> Path:
    """``base/journaux`` if given, else the platform's log folder (platformdirs
    ``user_log_dir``: Linux ``~/.local/state/Relais/log``, Windows
    ``%LOCALAPPDATA%\\Relais\\Logs``, macOS ``~/Library/Logs/Relais``)."""
    if base is not None:
        folder = base / LOG_FOLDER
    else:
        folder = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def configure(base: Path | None = None, *, level: int = logging.INFO) -> Path | None:
    """Send the ``relais`` loggers to ``relais.log`` in :func:`log_folder` (1 MB × 5 files).

    Returns the log file, or None when the folder cannot be written (logging then stays off:
    a read-only profile must not stop the application).
    """
    logger = logging.getLogger("relais")
    try:
        path = log_folder(base) / LOG_NAME
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    for old in [h for h in logger.handlers if getattr(h, "relais", False)]:
        logger.removeHandler(old)
        old.close()
    handler.relais = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return path


def get(name: str) -> logging.Logger:
    """A logger under ``relais`` (``relais.backup``, ``relais.admin``…)."""
    return logging.getLogger(f"relais.{name}")
