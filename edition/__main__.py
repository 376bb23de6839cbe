"""``python -m edition``: the same as the ``edition`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # worker processes are spawned: they import this module, and must not run it
    sys.exit(main())
