"""The statistics bank: the marts served through PxWebApi 2.0 with JSON-stat 2.0 datasets.

    python -m navtiltak.statbank --warehouse warehouse/nav_tiltak.duckdb --port 8000

Reads only schema `marts` of the published DuckDB file, read-only, into an in-memory
snapshot keyed by the file's identity (docs/statbank.md).
"""
