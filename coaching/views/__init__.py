"""The coaching pages: ``plans`` (writing, reading and printing a plan; invitations),
``reviews`` (the review queue and the review of one version) and ``checklists`` (the desk's
review checklist, kept by the coordinator)."""
