"""The main window and what surrounds the work: login, lock, search, inbox, start-up."""
