"""relais-admin: headless administration of a Relais database (IT scripts, tests, support).

Every command takes ``--database URL`` (else ``RELAIS_DATABASE_URL``, else the user-data folder),
creates and migrates the database when needed, and runs without prompts when its options are
given: passwords come from standard input (``--password-stdin``), from ``RELAIS_PASSWORD``, or
from a prompt when a terminal is attached. Account commands act as the system actor
``relais-admin`` (coordinator rights, audited under that name). Messages are French; exit code
0 on success, 1 on an error, 2 on a usage error.
"""

from __future__ import annotations

import getpass  # noqa: F401 - tests answer the prompts through app.admin.getpass

from app.admin.cli import build_parser, main
from app.admin.common import PASSWORD_ENV, text_table

__all__ = ["PASSWORD_ENV", "build_parser", "main", "text_table"]
