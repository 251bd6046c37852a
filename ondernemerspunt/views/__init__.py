"""The foundation's pages: ``pages`` (home, the audit trail, password reset), ``progress`` (the
dashboard, its exports and reports) and ``desk`` (the coordinator runs the desk)."""
