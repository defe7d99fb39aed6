"""The dashboard of one warehouse file: every section's metrics queried read-only, the
site written into a directory (``navtiltak.engines.duckdb_file`` builds it beside each new build;
``python -m navtiltak.dashboard`` builds one by hand)."""

from __future__ import annotations

from pathlib import Path

from navtiltak.dashboard import charts, page
from navtiltak.dashboard.sections import sections
from navtiltak.dashboard.semantic import DEFAULT_MANIFEST, SemanticLayer


def build(warehouse: Path, out_dir: Path, manifest: Path = DEFAULT_MANIFEST) -> Path:
    """Query every section's metrics from `warehouse` (read-only); write the site; return
    its entry page."""
    with SemanticLayer(warehouse, manifest) as layer:
        data = charts.DashboardData(layer)
        return page.write(out_dir, sections(data), data.months)
