"""The dashboard: a static site of the warehouse's figures, published with it.

One job per module:

- ``semantic``: the figures, queried through the semantic layer (MetricFlow compiles each
  metric query from ``models/marts/_marts__semantic_models.yml``; the SQL runs read-only
  on the warehouse);
- ``charts``: what a section is made of (its table cells, the metric queries run once,
  number formats, the figure's layout);
- ``sections``: the charts and tables, one module each, each with its explanation and
  source table;
- ``page``: the HTML, with every script it needs beside it (no network at view time);
- ``__main__``: ``python -m navtiltak.dashboard`` (``make build`` calls ``build`` from
  ``navtiltak.engines.duckdb_file``).
"""
