"""The patient file: identity, notes, history, documents, consents."""
