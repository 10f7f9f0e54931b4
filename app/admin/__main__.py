"""``python -m app.admin``."""

import sys

from app.admin.cli import main

sys.exit(main())
