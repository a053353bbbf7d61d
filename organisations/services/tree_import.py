"""Writes to the administrative tree: the import of organisations (CSV or Excel).

The import takes `code,parent_code,kind,name_lo,name_en[,line_ministry_code][,iso_code]`, checks the
whole file against the tree first and reports every problem with its line number; only a clean file
is applied, all-or-nothing, in one transaction. Rows are matched by `code`: a known code is updated
(names, kind, line ministry, parent: a changed parent moves the node with its subtree), an unknown
code is created. New nodes get their materialized paths computed here and are written with
`bulk_create`, because treebeard's `add_child` costs several queries per row (10,000 villages).
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from organisations.import_rules import codes_canonical, scope_problems
from organisations.models import Organisation, OrganisationKind, Role
from organisations.services.tree_rows import ImportRow, import_rows_read
from readiness.imports import ImportResult, Problem

K = OrganisationKind
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CODE_MAX_LENGTH = Organisation._meta.get_field("code").max_length
ISO_MAX_LENGTH = Organisation._meta.get_field("iso_code").max_length
BATCH_SIZE = 1000
# One import at a time: paths of new nodes are computed from the tree as read under this lock.
IMPORT_LOCK_KEY = 0x4F524753  # "ORGS"

# Where each kind may sit in the tree. `other` may sit anywhere; the root has no parent.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    K.NATIONAL: frozenset(),
    K.MINISTRY: frozenset({K.NATIONAL}),
    K.PROVINCE: frozenset({K.NATIONAL}),
    K.DEPARTMENT: frozenset({K.MINISTRY, K.DEPARTMENT, K.OTHER}),
    K.PROVINCIAL_OFFICE: frozenset({K.PROVINCE}),
    K.DISTRICT: frozenset({K.PROVINCE}),
    K.DISTRICT_OFFICE: frozenset({K.DISTRICT}),
    K.VILLAGE: frozenset({K.DISTRICT}),
    K.OTHER: frozenset(K.values),
}


@dataclass
class _Node:
    """What the import needs of an existing organisation (read in one query)."""

    pk: int
    code: str
    path: str
    depth: int
    numchild: int
    name: dict
    kind: str
    line_ministry_id: int | None
    iso_code: str


@dataclass
class _Tree:
    by_code: dict[str, _Node]
    by_path: dict[str, _Node]
    code_by_pk: dict[int, str]

    def parent_code(self, node: _Node) -> str:
        if node.depth == 1:
            return ""
        return self.by_path[node.path[: -Organisation.steplen]].code


def _tree_read() -> _Tree:
    nodes = [
        _Node(*values)
        for values in Organisation.objects.values_list(
            "pk",
            "code",
            "path",
            "depth",
            "numchild",
            "name",
            "kind",
            "line_ministry_id",
            "iso_code",
        )
    ]
    return _Tree(
        by_code={n.code: n for n in nodes},
        by_path={n.path: n for n in nodes},
        code_by_pk={n.pk: n.code for n in nodes},
    )


# --- validation -------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind


def _row_problems(row: ImportRow, first_line_of: dict[str, int]) -> list[str]:
    """Problems a row has on its own (not needing the rest of the tree)."""
    problems = list(row.problems)
    if problems:
        return problems
    if not row.code:
        problems.append(_("The code is empty."))
    elif len(row.code) > CODE_MAX_LENGTH or not CODE_PATTERN.match(row.code):
        problems.append(
            _(
                "The code “%(code)s” is not valid: use at most %(max)d letters, digits, "
                "dots, hyphens or underscores."
            )
            % {"code": row.code, "max": CODE_MAX_LENGTH}
        )
    elif first_line_of[row.code] != row.line:
        problems.append(
            _("The code “%(code)s” already appears on line %(first)d.")
            % {"code": row.code, "first": first_line_of[row.code]}
        )
    if row.kind not in OrganisationKind.values:
        problems.append(
            _("Unknown kind “%(kind)s”; use one of: %(kinds)s.")
            % {"kind": row.kind, "kinds": ", ".join(OrganisationKind.values)}
        )
    if not row.name_lo:
        problems.append(_("The Lao name is empty."))
    if not row.name_en:
        problems.append(_("The English name is empty."))
    if row.iso_code and len(row.iso_code) > ISO_MAX_LENGTH:
        problems.append(_("The ISO code “%(iso)s” is too long.") % {"iso": row.iso_code})
    return problems


class _Validator:
    """Checks rows against each other and against the tree as it will be after the import."""

    def __init__(self, rows: list[ImportRow], tree: _Tree, scope_paths: list[str] | None):
        self.rows = rows
        self.tree = tree
        self.scope_paths = scope_paths
        self.first_line_of: dict[str, int] = {}
        for row in rows:
            self.first_line_of.setdefault(row.code, row.line)
        self.in_file = {row.code: row for row in rows if self.first_line_of[row.code] == row.line}

    def final_kind(self, code: str) -> str | None:
        if code in self.in_file:
            return self.in_file[code].kind
        node = self.tree.by_code.get(code)
        return node.kind if node else None

    def final_parent(self, code: str) -> str:
        if code in self.in_file:
            return self.in_file[code].parent_code
        return self.tree.parent_code(self.tree.by_code[code])

    def problems(self) -> list[Problem]:
        problems = []
        for row in self.rows:
            messages = _row_problems(row, self.first_line_of)
            if row.code and self.first_line_of.get(row.code) == row.line:
                messages += self._placement_problems(row)
                messages += self._line_ministry_problems(row)
                messages += self._sector_problems(row)
                messages += self._scope_problems(row)
            problems += [Problem(line=row.line, message=message) for message in messages]
        return problems

    def _placement_problems(self, row: ImportRow) -> list[str]:
        existing = self.tree.by_code.get(row.code)
        if not row.parent_code:
            if row.kind != K.NATIONAL:
                return [_("The parent code is empty; only the national root has no parent.")]
            roots = [n for n in self.tree.by_code.values() if n.depth == 1 and n.code != row.code]
            if (existing and existing.depth != 1) or roots:
                return [_("The tree already has a national root; there can be only one.")]
            return []
        if row.parent_code == row.code:
            return [_("The organisation cannot be its own parent.")]
        parent_kind = self.final_kind(row.parent_code)
        if parent_kind is None:
            return [
                _("Unknown parent code “%(parent)s”: it is neither in the file nor in the tree.")
                % {"parent": row.parent_code}
            ]
        cycle = self._cycle_from(row.code)
        if cycle:
            return [_("This row makes a cycle: %(cycle)s.") % {"cycle": " → ".join(cycle)}]
        allowed = ALLOWED_PARENT_KINDS.get(row.kind)
        if allowed is not None and parent_kind not in allowed:
            return [
                _("A %(kind)s cannot be placed under a %(parent_kind)s (%(parent)s).")
                % {
                    "kind": _kind_label(row.kind).lower(),
                    "parent_kind": _kind_label(parent_kind).lower(),
                    "parent": row.parent_code,
                }
            ]
        return []

    def _cycle_from(self, code: str) -> list[str]:
        """The codes of a cycle through `code` in the tree after import, or [] if none."""
        chain = [code]
        seen = {code}
        current = code
        while True:
            parent = self.final_parent(current)
            if not parent or self.final_kind(parent) is None:
                return []
            chain.append(parent)
            if parent == code:
                return chain
            if parent in seen:  # a cycle further up: reported on the rows that make it
                return []
            seen.add(parent)
            current = parent

    def _line_ministry_problems(self, row: ImportRow) -> list[str]:
        code = row.line_ministry_code
        if not code:
            return []
        kind = self.final_kind(code)
        if kind is None:
            return [_("Unknown line ministry code “%(code)s”.") % {"code": code}]
        if kind != K.MINISTRY:
            return [_("The line ministry “%(code)s” is not a ministry.") % {"code": code}]
        return []

    def _sector_problems(self, row: ImportRow) -> list[str]:
        """A ministry that is still some organisation's line ministry must stay a ministry."""
        node = self.tree.by_code.get(row.code)
        if node is None or node.kind != K.MINISTRY or row.kind == K.MINISTRY:
            return []
        members = [
            member
            for member in self.tree.by_code.values()
            if member.line_ministry_id == node.pk
            and (
                member.code not in self.in_file
                or self.in_file[member.code].line_ministry_code in (None, row.code)
            )
        ]
        if not members:
            return []
        return [
            ngettext(
                "“%(code)s” is the line ministry of %(count)d organisation; it must stay a "
                "ministry.",
                "“%(code)s” is the line ministry of %(count)d organisations; it must stay a "
                "ministry.",
                len(members),
            )
            % {"code": row.code, "count": len(members)}
        ]

    def _scope_problems(self, row: ImportRow) -> list[str]:
        return scope_problems(row, self.tree, self.scope_paths, self.final_parent)


# --- applying ---------------------------------------------------------------------------------


class _Applier:
    """Writes a validated file: creates new nodes level by level, updates changed ones, then moves
    the nodes whose parent changed (treebeard rewrites the paths of their subtrees)."""

    def __init__(self, rows: list[ImportRow], tree: _Tree, user: AbstractBaseUser | None):
        self.rows = rows
        self.tree = tree
        self.user = user if user is not None and user.is_authenticated else None
        self.now = timezone.now()
        self.pk_by_code = {code: node.pk for code, node in tree.by_code.items()}

    def apply(self, report: ImportResult) -> None:
        new_rows = [row for row in self.rows if row.code not in self.tree.by_code]
        self._create(new_rows)
        changed, moved = self._update_existing()
        for row in moved:
            self._move(row)
        report.created = len(new_rows)
        report.updated = len({row.code for row in changed} | {row.code for row in moved})
        report.unchanged = len(self.rows) - report.created - report.updated

    def _line_ministry_id(self, row: ImportRow, current: int | None) -> int | None:
        if row.line_ministry_code is None:
            return current
        return self.pk_by_code.get(row.line_ministry_code) if row.line_ministry_code else None

    def _create(self, new_rows: list[ImportRow]) -> None:
        if not new_rows:
            return
        new_codes = {row.code for row in new_rows}
        path_of = {code: node.path for code, node in self.tree.by_code.items()}
        next_step = self._next_steps()
        children_count: dict[str, int] = defaultdict(int)
        for row in new_rows:
            children_count[row.parent_code] += 1
        pending = sorted(new_rows, key=lambda r: r.code)
        late_ministries: list[tuple[Organisation, str]] = []
        while pending:  # one level at a time: parents first, so their paths and pks exist
            level = [row for row in pending if not row.parent_code or row.parent_code in path_of]
            if not level:  # cannot happen after validation (a cycle among new rows)
                raise ValueError("Rows whose parents are never created")
            placed = {row.code for row in level}
            pending = [row for row in pending if row.code not in placed]
            objects = []
            for row in level:
                parent_path = path_of.get(row.parent_code, "")
                path = self._path(parent_path, next_step)
                path_of[row.code] = path
                organisation = self._new_organisation(row, path, children_count[row.code])
                if row.line_ministry_code and organisation.line_ministry_id is None:
                    late_ministries.append((organisation, row.line_ministry_code))
                objects.append(organisation)
            bulk_create_with_history(
                objects,
                Organisation,
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_date=self.now,
            )
            self.pk_by_code.update({o.code: o.pk for o in objects})
        self._numchild_update(children_count, new_codes)
        if late_ministries:  # ministries created in this file after the rows that name them
            for organisation, code in late_ministries:
                organisation.line_ministry_id = self.pk_by_code[code]
            bulk_update_with_history(
                [o for o, _code in late_ministries],
                Organisation,
                ["line_ministry"],
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_date=self.now,
            )

    def _next_steps(self) -> dict[str, int]:
        """For each parent path, the next free step (after its last child)."""
        steplen = Organisation.steplen
        next_step: dict[str, int] = defaultdict(lambda: 1)
        for path in self.tree.by_path:
            parent_path, step = path[:-steplen], Organisation._str2int(path[-steplen:])
            next_step[parent_path] = max(next_step[parent_path], step + 1)
        return next_step

    @staticmethod
    def _path(parent_path: str, next_step: dict[str, int]) -> str:
        step = next_step[parent_path]
        next_step[parent_path] = step + 1
        key = Organisation._int2str(step)
        if len(key) > Organisation.steplen:
            raise ValueError(f"No room left under path {parent_path!r}")
        return parent_path + Organisation.alphabet[0] * (Organisation.steplen - len(key)) + key

    def _new_organisation(self, row: ImportRow, path: str, numchild: int) -> Organisation:
        return Organisation(
            code=row.code,
            name={"lo": row.name_lo, "en": row.name_en},
            kind=row.kind,
            iso_code=row.iso_code or "",
            line_ministry_id=self._line_ministry_id(row, None),
            path=path,
            depth=len(path) // Organisation.steplen,
            numchild=numchild,
            updated_at=self.now,
        )

    def _numchild_update(self, children_count: dict[str, int], new_codes: set[str]) -> None:
        parents = [
            Organisation(pk=node.pk, numchild=node.numchild + children_count[code])
            for code, node in self.tree.by_code.items()
            if children_count.get(code) and code not in new_codes
        ]
        Organisation.objects.bulk_update(parents, ["numchild"], batch_size=BATCH_SIZE)

    def _update_existing(self) -> tuple[list[ImportRow], list[ImportRow]]:
        changed_rows, moved_rows = [], []
        for row in self.rows:
            node = self.tree.by_code.get(row.code)
            if node is None:
                continue
            if self._fields_differ(row, node):
                changed_rows.append(row)
            if row.parent_code != self.tree.parent_code(node):
                moved_rows.append(row)
        if changed_rows:
            by_code = {row.code: row for row in changed_rows}
            organisations = list(Organisation.objects.filter(code__in=by_code))
            for organisation in organisations:
                row = by_code[organisation.code]
                organisation.name = {**organisation.name, "lo": row.name_lo, "en": row.name_en}
                organisation.kind = row.kind
                organisation.line_ministry_id = self._line_ministry_id(
                    row, organisation.line_ministry_id
                )
                if row.iso_code is not None:
                    organisation.iso_code = row.iso_code
                organisation.updated_at = self.now
            bulk_update_with_history(
                organisations,
                Organisation,
                ["name", "kind", "line_ministry", "iso_code", "updated_at"],
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_date=self.now,
            )
        return changed_rows, moved_rows

    def _fields_differ(self, row: ImportRow, node: _Node) -> bool:
        return (
            node.name.get("lo") != row.name_lo
            or node.name.get("en") != row.name_en
            or node.kind != row.kind
            or node.line_ministry_id != self._line_ministry_id(row, node.line_ministry_id)
            or (row.iso_code is not None and node.iso_code != row.iso_code)
        )

    def _move(self, row: ImportRow) -> None:
        node = Organisation.objects.get(code=row.code)
        target = Organisation.objects.get(code=row.parent_code)
        Organisation.objects.move(node, target, "sorted-child")
        # The history excludes the tree fields; a saved row still records who moved it and when.
        node = Organisation.objects.get(pk=node.pk)
        node._history_user = self.user
        node.save(update_fields=["updated_at"])


@transaction.atomic
def organisations_import(
    *, rows_or_file: Any, user: AbstractBaseUser | None = None
) -> ImportResult:
    """Imports organisations from a CSV: all or nothing, every problem with its line number.

    With a `user`, the rows must lie in the subtrees that user administers (the command line
    passes no user and may change the whole tree)."""
    rows, problems = import_rows_read(rows_or_file)
    if problems:
        return ImportResult(problems=problems)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
    tree = _tree_read()
    codes_canonical(rows, tree.by_code)
    scope_paths = None
    if user is not None:
        from organisations.access import scopes

        scope_paths = [node.path for node in scopes(user, [Role.ADMINISTRATOR])]
    problems = _Validator(rows, tree, scope_paths).problems()
    if problems:
        return ImportResult(problems=sorted(problems, key=lambda p: p.line))
    report = ImportResult()
    _Applier(rows, tree, user).apply(report)
    return report
