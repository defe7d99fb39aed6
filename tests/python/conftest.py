"""Shared by the tests in every folder below: what they import, in this working tree.

The tests exercise the product (``navtiltak/``) and the tooling (``tools/navtiltak_tools/``)
of this working tree, installed or not, and import the shared helper modules of this
folder (``project_paths``, ``warehouse_fixtures``) by name. Each folder's own helpers are
modules there (``extract/report_text.py``) and its fixtures in its own ``conftest.py``:
every ``conftest.py`` is imported as ``conftest``, so no test imports from one.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (HERE, ROOT / "tools", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
