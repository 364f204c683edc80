"""`python -m hub.cli`: the `hub` command."""

from __future__ import annotations

import sys

from hub.cli import main

sys.exit(main())
