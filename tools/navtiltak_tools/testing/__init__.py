"""What the tests share, installed with the tooling (no test edits ``sys.path``).

``project_paths``: paths in this working tree; ``warehouse_fixtures``: the test warehouse,
project copies and builds in them, real publications; ``report_cells``: printed cells
read back from a built warehouse. Each folder of ``tests/python/`` keeps its own helpers
beside its tests (``extract/report_text.py``), imported by pytest's rootdir rules.
"""
