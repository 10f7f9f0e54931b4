"""Builds the module that mypy checks: the real services assigned to every view port.

Every ``app/views/**/*ports.py`` is scanned for the ``Protocol`` classes it defines. Each port
is assigned from the container attribute that serves it, in a function that mypy checks::

    def _check(s: Services) -> None:
        p0: HomeCarePort = s.home_care

The attribute is the port's name without ``Port`` in snake case (``HomeCareDocumentsPort`` →
``home_care_documents``), or the explicit entry of :data:`ATTRIBUTES` for the narrow ports a
screen declares (``ConsultationAppointmentsPort`` → ``scheduling``). A port made only of
properties (``ServicesPort``, a feature's view of the container) is the container itself.
Protocols named ``…Like`` describe values returned by a port and are checked through it. A
port that maps to nothing fails the test: add it to :data:`ATTRIBUTES`.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "app" / "views"

# Ports whose container attribute is not their own name.
ATTRIBUTES: dict[str, str] = {
    "ServicesPort": "",  # the container itself (it also has methods: user_action…)
    "AuditStatePort": "audit",
    "ConsultationAppointmentsPort": "scheduling",
    "ConsultationReferralsPort": "referrals",
    "ConsentGlancePort": "consents",
    "PartnerListPort": "partners",
    "PatientReaderPort": "patients",
    "PatientFinderPort": "patients",
    "IdentityWriterPort": "patients",
    "ProfessionalsPort": "accounts",
    "ConsentRecorderPort": "consents",
    "ConsentFormPort": "referral_documents",
    "ArchivingPort": "retention",
}


@dataclass(frozen=True)
class Port:
    module: str
    name: str
    attribute: str | None  # None: no container attribute found

    @property
    def expression(self) -> str:
        return "s" if self.attribute == "" else f"s.{self.attribute}"


def ports_modules(views: Path = VIEWS, root: Path = ROOT) -> list[str]:
    """Every ports module under the views, as dotted names."""
    found = sorted(p for p in views.rglob("*ports.py") if p.is_file())
    return [".".join(p.relative_to(root).with_suffix("").parts) for p in found]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def container_attributes() -> set[str]:
    """The services of the container: built with it (annotated) or at first use (``built``)."""
    from app.container import Services, built

    lazy = {name for name, value in vars(Services).items() if isinstance(value, built)}
    return set(inspect.get_annotations(Services)) | lazy


def protocols(module_name: str) -> list[str]:
    """The Protocol classes defined (not imported) in a module."""
    module = importlib.import_module(module_name)
    return [
        name
        for name, value in vars(module).items()
        if inspect.isclass(value)
        and getattr(value, "_is_protocol", False)
        and value.__module__ == module_name
    ]


def _only_properties(module_name: str, name: str) -> bool:
    """A protocol whose members are all properties: a view of the whole container."""
    cls = getattr(importlib.import_module(module_name), name)
    members = [
        value
        for key, value in vars(cls).items()
        if not key.startswith("_") and (callable(value) or isinstance(value, property))
    ]
    return bool(members) and all(isinstance(value, property) for value in members)


def discover(modules: list[str], attributes: set[str]) -> list[Port]:
    ports: list[Port] = []
    for module in modules:
        for name in protocols(module):
            if name.endswith("Like"):
                continue
            guess = _snake(name.removesuffix("Port"))
            attribute: str | None
            if name in ATTRIBUTES:
                attribute = ATTRIBUTES[name]
            elif guess in attributes:
                attribute = guess
            elif _only_properties(module, name):
                attribute = ""
            else:
                attribute = None
            ports.append(Port(module, name, attribute))
    return ports


def render(ports: list[Port]) -> str:
    """The conformance module's source (ports without an attribute must be mapped first)."""
    lines = ["from __future__ import annotations", "", "from app.container import Services"]
    for i, port in enumerate(ports):
        lines.append(f"from {port.module} import {port.name} as P{i}")
    lines += ["", "", "def _check(s: Services) -> None:"]
    for i, port in enumerate(ports):
        lines.append(f"    p{i}: P{i} = {port.expression}  # {port.module}.{port.name}")
    if not ports:
        lines.append("    pass")
    return "\n".join(lines) + "\n"
