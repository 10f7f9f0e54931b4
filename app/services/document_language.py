"""Printed documents follow the clinic's language setting (``Clinic.language``), whatever the
language of the user's interface: the PDF is built under :func:`app.i18n.use_language`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select

from app.i18n import DEFAULT_LANGUAGE, use_language
from app.models import Clinic
from app.models.db import Database

F = TypeVar("F", bound=Callable[..., Any])


def clinic_language(db: Database) -> str:
    """The language of the clinic's printed documents ("fr" before setup)."""
    with db.session(write=False) as session:
        return session.scalar(select(Clinic.language).limit(1)) or DEFAULT_LANGUAGE


def in_clinic_language(method: F) -> F:
    """Run a service method that builds a PDF (``self._db`` is its database) in the clinic's
    language, in this thread only."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with use_language(clinic_language(self._db)):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
