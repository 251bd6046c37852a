"""The progress dashboard, its exports and the quarterly report; figures counted across apps.

Read in this order; each module imports only the ones before it:

- ``periods``: the year window up to the as-of date and the period shown;
- ``figures``: the queries, ``desk_progress`` → ``Progress`` (plain numbers, definitions);
- ``tables``: ``present`` → ``Figures``, one function per table, the small-count suppression;
- ``charts``: the tables drawn as SVG;
- ``reports``: CSV, JSON and the quarterly PDF (a background task).

Import from the module that holds a name; this package re-exports nothing.
"""
