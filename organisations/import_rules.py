"""Rules of the organisation import kept apart from the tree writer (organisations.services):
codes as users mean them, and what an administrator of a subtree may change.

- A code is one code however it is typed: `la1899` in a file is the tree's `LA1899` (and two
  rows `la1899` and `LA1899` are the same code twice). A code with an invisible character
  (zero-width space, no-break space, bidi mark) is refused with its line and column.
- An administrator of a subtree imports only inside it. Changing a node's line ministry (the
  sector axis) gives that ministry's administrators rights over the node, so it needs rights
  over the ministry too (old and new), or a national administrator. The root of the subtree
  one administers may be corrected (names, line ministry within these rules) where that changes
  nothing above it: same parent, same kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from organisations.models import Organisation
from readiness.identifiers import code_key, identifier_problem

CODE_COLUMNS = ("code", "parent_code", "line_ministry_code")


def identifier_problems(record: Mapping[str, Any]) -> list[str]:
    """Problems of the code columns of one raw record, each naming its column."""
    problems = []
    for column in CODE_COLUMNS:
        value = record.get(column)
        problem = identifier_problem(str(value)) if value else None
        if problem:
            problems.append(
                _("Column %(column)s: %(problem)s") % {"column": column, "problem": problem}
            )
    return problems


def codes_canonical(rows: list, existing_codes) -> None:
    """Rewrites each row's codes to the one spelling of that code: the tree's, else the first
    spelling in the file."""
    spelling: dict[str, str] = {code_key(code): code for code in existing_codes}
    for row in rows:
        if row.code:
            row.code = spelling.setdefault(code_key(row.code), row.code)
    for row in rows:
        if row.parent_code:
            row.parent_code = spelling.get(code_key(row.parent_code), row.parent_code)
        if row.line_ministry_code:
            key = code_key(row.line_ministry_code)
            row.line_ministry_code = spelling.get(key, row.line_ministry_code)


def _inside(node, scope_paths: list[str]) -> bool:
    return any(node.path.startswith(path) for path in scope_paths)


def scope_problems(row, tree, scope_paths: list[str] | None, final_parent) -> list[str]:
    """What `row` would change outside the part of the tree the importer administers."""
    if scope_paths is None:
        return []
    national = any(len(path) == Organisation.steplen for path in scope_paths)
    if national:
        return []
    if not row.parent_code:
        return [_("Only a national administrator can change the national root.")]
    node = tree.by_code.get(row.code)
    is_scope_root = node is not None and node.path in scope_paths
    if node is not None and not _inside(node, scope_paths):
        return [
            _("“%(code)s” is outside the part of the tree you administer.") % {"code": row.code}
        ]
    parent = tree.by_code.get(row.parent_code)
    if is_scope_root:
        if row.parent_code != tree.parent_code(node) or row.kind != node.kind:
            return [
                _(
                    "“%(code)s” is the top of the part of the tree you administer: you may "
                    "correct its names, but not move it or change its kind."
                )
                % {"code": row.code}
            ]
    elif parent is not None and not _inside(parent, scope_paths):
        return [
            _("“%(code)s” is outside the part of the tree you administer.")
            % {"code": row.parent_code}
        ]
    return _sector_scope_problems(row, node, tree, scope_paths)


def _sector_scope_problems(row, node, tree, scope_paths: list[str]) -> list[str]:
    if row.line_ministry_code is None:
        return []  # the column is absent: the line ministry stays as it is
    current = tree.code_by_pk.get(node.line_ministry_id) if node is not None else None
    wanted = row.line_ministry_code or None
    if current == wanted:
        return []
    for code in (current, wanted):
        ministry = tree.by_code.get(code) if code else None
        if ministry is not None and not _inside(ministry, scope_paths):
            return [
                _(
                    "Changing the line ministry of “%(code)s” gives the administrators of "
                    "“%(ministry)s” rights over it; only an administrator of both (or a national "
                    "administrator) may do so."
                )
                % {"code": row.code, "ministry": code}
            ]
    return []
