"""The one error an export raises for a person to act on (the writers, the documents and the
build all raise it; the job shows its message). A module of its own so that the writers need
not import build.py, which imports them."""


class BuildError(Exception):
    """An export that cannot be made; the message tells the person what to do."""
