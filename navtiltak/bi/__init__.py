"""Apache Superset over the published marts: `make bi` (README, docs/bi.md).

- `assets`: the dashboard, charts and datasets of bi/assets/ made whole for import,
  every dataset's SQL compiled by MetricFlow from the metric definitions;
- `client`: Superset's REST API, logged in with the login form;
- `server`: Superset's own venv, its metadata home, admin and server process;
- `__main__`: `make bi`, which puts them together.
"""

from __future__ import annotations

from navtiltak.bi.assets import Bundle
from navtiltak.bi.client import SupersetClient

# Superset's import endpoints, in the order each one's parents exist: the database, the
# datasets on it, the charts on them, the dashboard of the charts. Each overwrites what
# it imported before (a dashboard import alone would keep old datasets and charts).
IMPORT_ORDER = (
    ("database", "Database"),
    ("dataset", "SqlaTable"),
    ("chart", "Slice"),
    ("dashboard", "Dashboard"),
)


def deploy(client: SupersetClient, bundle: Bundle, passwords: dict[str, str] | None = None) -> None:
    """Import every asset of `bundle` into a logged-in Superset, replacing earlier ones."""
    for kind, bundle_type in IMPORT_ORDER:
        client.import_zip(kind, bundle.zip(bundle_type), passwords)
