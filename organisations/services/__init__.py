"""Writes to the administrative tree: the import of organisations (`tree_import`, reading its
file in `tree_rows`) and roles and users (`roles`)."""

from organisations.services.roles import role_assign, role_remove, user_create
from organisations.services.tree_import import organisations_import
from organisations.services.tree_rows import ImportRow, import_rows_read

__all__ = [
    "ImportRow",
    "import_rows_read",
    "organisations_import",
    "role_assign",
    "role_remove",
    "user_create",
]
