"""Qt widgets, dialogs and item models. No SQLAlchemy, no SQL, no policy decisions."""
