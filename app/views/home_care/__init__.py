"""Home care requests and hospital discharge plans."""
