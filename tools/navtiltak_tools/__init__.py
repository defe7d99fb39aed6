"""Developer tooling of the warehouse, never shipped with the product (``navtiltak``).

``generate``: synthetic monthly reports for the tests and the benchmark; ``bench``: the
scaling benchmark behind BENCHMARKS.md; ``cookbook``: runs the analysts' guide's cookbook queries;
``structure``: the structure rules dbt-bouncer cannot express (``make structure``);
``score_rules``: the project's own dbt-score rules.
"""

from pathlib import Path

# The working tree this tooling lives in: tools/navtiltak_tools/ is two levels below it.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
