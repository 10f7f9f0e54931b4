"""Coordination: accounts, partners, settings, the audit log."""
