"""Relais: a shared medico-social patient file for French multi-professional health clinics."""

__version__ = "0.1.0"
