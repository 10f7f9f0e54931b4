"""Every column of every table is classified (sealed under which key, or readable and why), the
sealed ones really are ciphertext, the legacy clear ones stay empty for rows written today, and
docs/security.md shows the current classification."""

from __future__ import annotations

from sqlalchemy import LargeBinary, func, select

import app.models  # noqa: F401  (every model registered on the metadata)
from app.models.base import Base
from app.services.kernel import policy
from app.services.security import classification as dc
from app.services.security.sealed_fields import REGISTRY

# Legacy columns that are not a sealed-fields registry entry (referrals have their own keys).
OTHER_LEGACY = {
    ("referral", "reason"),
    ("appointment", "reason"),
    ("document", "title"),
}


def _columns() -> set[tuple[str, str]]:
    return {(t.name, c.name) for t in Base.metadata.tables.values() for c in t.columns}


def test_every_column_of_every_table_is_classified():
    classified = {(t, c) for t, columns in dc.CLASSIFICATION.items() for c in columns}
    missing = sorted(_columns() - classified)
    stale = sorted(classified - _columns())
    assert missing == [], f"classify these columns in data_classification.py: {missing}"
    assert stale == [], f"these columns no longer exist: {stale}"


def test_sealed_columns_hold_bytes_and_name_a_known_key():
    tables = Base.metadata.tables
    for table, columns in dc.CLASSIFICATION.items():
        for column, kind in columns.items():
            if isinstance(kind, dc.Sealed):
                assert isinstance(tables[table].columns[column].type, LargeBinary), (table, column)
                assert kind.key in dc.KEY_LABELS or kind.key.startswith("the "), kind


def test_the_registry_of_sealed_fields_matches_the_classification():
    legacy = {
        (t, c)
        for t, columns in dc.CLASSIFICATION.items()
        for c, kind in columns.items()
        if isinstance(kind, dc.Legacy)
    }
    registered = set()
    for spec in REGISTRY:
        table = spec.model.__tablename__
        assert spec.domain in policy.KEY_DOMAINS
        sealed = dc.CLASSIFICATION[table][spec.column]
        assert isinstance(sealed, dc.Sealed) and sealed.key == spec.domain, spec
        for name in spec.fields:
            kind = dc.CLASSIFICATION[table][name]
            assert isinstance(kind, dc.Legacy) and kind.key == spec.domain, (table, name)
            registered.add((table, name))
    assert legacy == registered | OTHER_LEGACY


def test_the_security_page_shows_the_current_classification():
    text = dc.SECURITY_DOC.read_text("utf-8")
    assert dc.render_into(text) == text, (
        "docs/security.md is out of date: "
        "run python -m app.services.security.classification --write"
    )
    assert "`home_care_request`" in dc.markdown_table()


def test_rows_written_today_leave_every_legacy_column_empty(services):
    """The demo goes through every service that writes a sealed detail: not one legacy clear
    column holds anything afterwards."""
    from app.demo.generator import create_demo

    create_demo(services, patients=60, notes_per_patient=1)
    tables = Base.metadata.tables
    with services.db.session(write=False) as session:
        counted = 0
        for table, columns in dc.CLASSIFICATION.items():
            for column, kind in columns.items():
                if not isinstance(kind, dc.Legacy):
                    continue
                col = tables[table].columns[column]
                empty = col.is_(None) if col.nullable else col.in_(("", "[]", "{}"))
                total = session.scalar(select(func.count()).select_from(tables[table]))
                filled = session.scalar(
                    select(func.count()).select_from(tables[table]).where(~empty)
                )
                assert filled == 0, (table, column, filled)
                counted += total
        assert counted > 100  # the demo wrote rows in those tables
