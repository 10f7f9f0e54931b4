"""The one place note contents pass through on their way to and from the database.

Every medical, social and liaison text is turned into bytes by :meth:`ContentCodec.seal` before
it is stored, and back by :meth:`ContentCodec.open`. The stored form starts with a format tag so
that per-compartment encryption can be introduced here, and existing rows migrated, without any
other module changing.
"""

from __future__ import annotations

from app.models.enums import Compartment
from app.services.actor import Actor
from app.services.errors import RelaisError

PLAIN_TAG = b"P1:"


class UnreadableContent(RelaisError):
    def __init__(self) -> None:
        super().__init__("Ce contenu est illisible ou a été altéré : contactez la coordination.")


class ContentCodec:
    """Seals and opens compartment contents for an acting user."""

    def seal(self, actor: Actor, compartment: Compartment, text: str) -> bytes:
        return PLAIN_TAG + text.encode("utf-8")

    def open(self, actor: Actor, compartment: Compartment, blob: bytes) -> str:
        if not blob.startswith(PLAIN_TAG):
            raise UnreadableContent()
        try:
            return blob[len(PLAIN_TAG) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableContent() from exc
