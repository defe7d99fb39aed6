"""Scaling benchmark: extraction and ``dbt build`` at 1, 12 and 120 months, against a floor.

    python -m navtiltak_tools.bench [--months 1,12,120] [--repeat 2] [--out BENCHMARKS.md]
                                    [--workdir DIR]

For every N: N consecutive synthetic reports from November 2013 on
(``navtiltak_tools.generate``) go into a fresh copy of the dbt project (dbt_project.yml,
profiles.yml, models, macros, seeds/reference, the report seeds' YAML, tests/dbt, docs);
the extractor turns them into the copy's seeds/report/, and ``dbt build`` runs into a new
database file. Measured:

- extraction and ``dbt build`` wall and CPU time; peak memory is the peak resident set size
  of the process and the children it waited for, from ``os.wait4`` (the per-child form of
  ``getrusage(RUSAGE_CHILDREN).ru_maxrss``; what ``/usr/bin/time -v`` reports). Every
  measurement is the fastest of ``--repeat`` runs; peak memory the worst of them;
- dbt's phases from ``target/run_results.json``: what lies outside dbt's own elapsed time
  (start-up, parsing, artifacts), the seed phase, and node time summed by resource type;
- the floor: the same work in plain DuckDB without dbt, in a separate process;
- at the largest N, alternatives to loading the report seeds through ``dbt seed``, each in a
  modified copy of the project (the project itself is never changed): external sources read
  with ``read_csv`` (dbt-duckdb's ``external_location``), table models that read the CSV
  files, and DuckDB's ``memory_limit`` with seeds and with those models.

The results replace the generated section of BENCHMARKS.md (between the bench markers);
text outside the markers is kept.

One job per module: ``measure`` runs and measures commands (dbt builds included),
``project`` makes the project copies and extracts their reports, ``floor`` is the plain
DuckDB floor, ``alternatives`` the variants of ``dbt seed``, ``dbt_v2`` parses and builds
the copy with dbt v2 (the Rust engine) beside dbt-core, ``scales`` measures one N,
``report`` renders BENCHMARKS.md, ``cli`` is the command line.
"""
