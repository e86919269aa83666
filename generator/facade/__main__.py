"""``python -m generator.facade``: see ``generator.facade.cli``."""

from .cli import main

raise SystemExit(main())
