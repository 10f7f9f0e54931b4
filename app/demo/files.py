"""A new demo database is built beside its final name and takes that name once complete.

A generation killed half-way (Ctrl+C, a closed terminal, a full disk) then leaves no database
under the expected name, only ``<name>.partial``, which the next generation removes: a half
filled file never looks like a finished demo (or reference data set).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.i18n import _
from app.services.kernel.errors import RelaisError

PARTIAL_SUFFIX = ".partial"
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL_SUFFIX)


def _remove(path: Path) -> None:
    for suffix in _SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def built_aside(path: Path) -> Iterator[Path]:
    """The file to build ``path``'s new SQLite database in (close every connection to it
    before the block ends); moved to ``path`` when the block succeeds, removed otherwise."""
    partial = partial_path(path)
    _remove(partial)  # left by a generation that was killed
    try:
        yield partial
    except BaseException:
        _remove(partial)
        raise
    if path.exists():
        _remove(partial)
        raise RelaisError(
            _(
                "La base « {path} » a été créée par un autre programme pendant la génération : "
                "elle n'a pas été remplacée."
            ).format(path=path)
        )
    # SQLite removes the write-ahead log when the last connection closes; one still there
    # (another program kept the file open) goes first, then the database itself.
    wal = Path(f"{partial}-wal")
    if wal.exists():
        os.replace(wal, f"{path}-wal")
    Path(f"{partial}-shm").unlink(missing_ok=True)
    os.replace(partial, path)
