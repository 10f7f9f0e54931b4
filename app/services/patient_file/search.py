"""Finding a patient: the search as you type (name prefixes, a birth date, a NIR) over the
name-token index, and the likely duplicates of an identity being entered."""

from __future__ import annotations

import difflib
import re

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Patient, PatientToken
from app.services.kernel.patient_rows import summary_columns, summary_of
from app.services.kernel.records import PatientSummary
from app.services.kernel.text import prefix_upper_bound, search_key, search_tokens
from app.services.kernel.validation import parse_date_fr
from app.services.patient_file.records import PatientInput

MAX_QUERY_TOKENS = 4
# Above this many matching name tokens, a one-word search walks the name index in order.
DENSE_PREFIX_ROWS = 10_000
_NIR_QUERY = re.compile(r"^[0-9]([0-9 ]|2[AaBb]){4,}[0-9 ]*$")


def prefix_count(session: Session, token: str) -> int:
    """How many name tokens start with ``token``, counted up to DENSE_PREFIX_ROWS + 1."""
    hits = (
        select(PatientToken.patient_id)
        .where(PatientToken.token >= token, PatientToken.token < prefix_upper_bound(token))
        .limit(DENSE_PREFIX_ROWS + 1)
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(hits)) or 0)


def search_statement(session: Session, query: str) -> Select | None:
    base = select(*summary_columns()).where(Patient.archived_at.is_(None))
    birth = parse_date_fr(query)
    if birth is not None:
        return base.where(Patient.birth_date == birth).order_by(Patient.sort_key, Patient.id)
    compact = query.replace(" ", "").upper()
    if _NIR_QUERY.match(query) and len(compact) >= 5:
        return base.where(
            Patient.nir >= compact, Patient.nir < prefix_upper_bound(compact)
        ).order_by(Patient.nir, Patient.id)
    tokens = sorted(search_tokens(query), key=len, reverse=True)[:MAX_QUERY_TOKENS]
    if not tokens:
        return None
    # The most selective prefix drives the query (its matches are collected, then sorted);
    # the other words are checked per candidate. When a single word matches a large share
    # of the names (one or two letters typed), walking the name index in order and stopping
    # at the first page is faster than collecting and sorting tens of thousands of matches.
    counts = {token: prefix_count(session, token) for token in tokens}
    driver = min(tokens, key=counts.__getitem__)
    stmt = base
    others = tokens
    if len(tokens) > 1 or counts[driver] <= DENSE_PREFIX_ROWS:
        stmt = stmt.where(
            Patient.id.in_(
                select(PatientToken.patient_id).where(
                    PatientToken.token >= driver,
                    PatientToken.token < prefix_upper_bound(driver),
                )
            )
        )
        others = [token for token in tokens if token != driver]
    for token in others:
        t = aliased(PatientToken)
        stmt = stmt.where(
            exists().where(
                t.patient_id == Patient.id,
                t.token >= token,
                t.token < prefix_upper_bound(token),
            )
        )
    return stmt.order_by(Patient.sort_key, Patient.id)


def duplicates(
    session: Session, data: PatientInput, exclude_id: int | None
) -> list[PatientSummary]:
    found: dict[int, PatientSummary] = {}
    if data.nir:
        for row in session.execute(select(*summary_columns()).where(Patient.nir == data.nir)):
            found[row.id] = summary_of(row)
    names = {search_key(n) for n in (data.birth_name, data.used_name) if n}
    first = search_key(str(data.first_names).split(" ")[0])
    for row in session.execute(
        select(*summary_columns()).where(Patient.birth_date == data.birth_date)
    ):
        theirs = {search_key(n) for n in (row.birth_name, row.used_name) if n}
        their_first = search_key(row.first_names.split(" ")[0])
        name_close = any(
            difflib.SequenceMatcher(None, a, b).ratio() >= 0.8 for a in names for b in theirs
        )
        first_close = difflib.SequenceMatcher(None, first, their_first).ratio() >= 0.8
        if (
            (name_close and first_close)
            or (name_close and not first)
            or (first_close and names & theirs)
        ):
            found[row.id] = summary_of(row)
    found.pop(exclude_id, None)  # type: ignore[arg-type]
    return sorted(found.values(), key=lambda s: (s.birth_name, s.first_names, s.id))
