"""The demo database's audit and backup keys: fixed, public, and said to be demo keys.

A demo database is fictitious and throw-away; its keys are derived from constant labels so that
``relais-admin --demo audit verify`` and ``backup verify`` work on any workstation, with or
without an OS keyring. They are never used for a real clinic (``Clinic.demo`` is false there).
"""

from __future__ import annotations

import hashlib

DEMO_KEY_LABEL = "clé de démonstration"
DEMO_AUDIT_KEY = hashlib.sha256(b"relais demo audit key - not a secret").digest()
DEMO_BACKUP_KEY = hashlib.sha256(b"relais demo backup key - not a secret").digest()
