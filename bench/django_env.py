"""What every benchmark script does first: the project on the import path and Django set up
against the database it measures."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    """Django with these settings: readiness.settings on `database_url` (DEBUG on unless the
    environment says otherwise)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    import django

    django.setup()
