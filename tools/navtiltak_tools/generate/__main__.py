"""``python -m navtiltak_tools.generate``."""

import sys

from navtiltak_tools.generate.cli import main

sys.exit(main())
