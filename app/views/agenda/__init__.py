"""The social worker's agenda: sessions, booking, calls."""
