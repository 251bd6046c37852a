"""The page benchmark of issue 15 (``make bench``, docs/performance.md).

Only the benchmark uses this package: its settings (``ondernemerspunt.bench.settings``) add a
trivial view to the URLs and the ``bench`` management command; the application itself knows
nothing of it.
"""
