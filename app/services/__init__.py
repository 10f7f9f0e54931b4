"""Use cases, one package per feature (see docs/architecture.md).

``kernel`` (actor, errors, policy, the guard, units of work), ``security`` (keys, the content
codec) and ``audit`` are used by every feature; a feature reaches another one through that
package's root (its service and records). No Qt here; views get plain records back.
"""
