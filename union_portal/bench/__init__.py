"""Keqiao-scale synthetic data and the benchmark (`manage.py seed_demo --scale keqiao`, `manage.py bench`).

- ``synthetic``: realistic people, firms and unions (names, ID numbers, phones, skewed union sizes).
- ``writer``: fast inserts, PostgreSQL COPY (bulk_create elsewhere), used by the generator and by the COPY
  anchor of the Excel-import benchmark.
- ``generate``: the generator as a pipeline of named steps; later apps append their own steps.
- ``runner``: timing, query counting, the registry of operations, the results table and JSON.
- ``operations``: the registered operations (one small function each).
- ``views`` / ``urls`` / ``wsgi``: the anchor view, reachable only through the benchmark's own urlconf.
"""
