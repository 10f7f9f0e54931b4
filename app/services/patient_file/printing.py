"""A document printed now and kept: its archive number, its PDF, its row in the patient file's
archive and its audited print, all in the caller's unit of work (home-care papers, referral
papers, appointment slips, the patient's access report)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.clock import Clock
from app.lazy import on_first_use
from app.models.enums import Compartment
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.records import GeneratedDocument

if TYPE_CHECKING:
    from app.services.kernel import pdf
    from app.services.patient_file.documents import DocumentService
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document


class DocumentPrinter:
    """Prints into the archive of :class:`DocumentService` (its ``printer``)."""

    def __init__(self, documents: DocumentService, audit: AuditWriter, clock: Clock) -> None:
        self._documents = documents
        self._audit = audit
        self._clock = clock

    def print_archived(
        self,
        session: Session,
        actor: Actor,
        *,
        kind: str,
        title: str,
        patient_id: int,
        compartment: Compartment,
        build: Callable[[pdf.DocumentMeta], bytes],
        detail: str = "",
        referral_id: int | None = None,
        confidentiality: str | None = None,
    ) -> GeneratedDocument:
        """The next archive number, the PDF of ``build(meta)``, archived for ``compartment``
        (under the referral's key with ``referral_id``), and the print audited: « kind
        number detail », never the content. The footer says ``confidentiality`` (by default
        the professional secrecy notice)."""
        documents = self._documents
        number = documents.next_number(session)
        meta = pdf.DocumentMeta(
            title,
            number,
            actor.display_name,
            self._clock(),
            documents.letterhead(session),
            confidentiality=confidentiality or pdf.CONFIDENTIAL,
        )
        data = build(meta)
        row = documents.archive(
            session,
            actor,
            number=number,
            kind=kind,
            title=title,
            patient_id=patient_id,
            compartment=compartment,
            data=data,
            referral_id=referral_id,
        )
        self._audit.add(
            session,
            actor,
            AuditAction.PRINT,
            patient_id=patient_id,
            compartment=compartment,
            object_type="document",
            object_id=row.id,
            detail=" ".join(x for x in (kind, number, detail) if x),
        )
        return GeneratedDocument(row.id, number, title, data)
