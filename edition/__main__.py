"""``python -m edition``: the same as the ``edition`` command."""

import sys

from .cli import main

sys.exit(main())
