"""Use cases. Each public call takes the acting user, asks ``policy`` and writes ``audit``.

No Qt here; views call these services and get plain dataclasses back.
"""
