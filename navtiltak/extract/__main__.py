"""``python -m navtiltak.extract``: the same as ``navtiltak-extract``."""

import sys

from navtiltak.extract.cli import main

sys.exit(main())
