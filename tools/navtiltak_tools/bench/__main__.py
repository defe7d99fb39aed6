"""``python -m navtiltak_tools.bench`` (what ``make bench`` runs)."""

import sys

from navtiltak_tools.bench.cli import main

sys.exit(main())
