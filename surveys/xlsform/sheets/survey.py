"""The survey sheet: questions, groups, counts by sex, scoring, references.

Part of FormReader: it uses the reader's `error`, `warn`, `texts` and the state set in its
`__init__`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys import expressions
from surveys.models import QuestionKind
from surveys.version_specs import referable_names
from surveys.xlsform.columns import (
    Column,
    classify,
    columns_of,
    find_column,
    parse_flag,
)
from surveys.xlsform.sheets.names import SurveyNames
from surveys.xlsform.sheets.or_other import OrOther
from surveys.xlsform.specs import (
    NUMERIC_KINDS,
    REF_RE,
    SURVEY_KNOWN,
    ChoiceSpec,
    Group,
    QuestionSpec,
    finite_number,
)
from surveys.xlsform.workbook import Row, Sheet


class SurveySheet(SurveyNames, OrOther):
    def _tree(self, sheet: Sheet, columns: dict[str, Column]) -> Group:
        type_header = find_column(columns, "type")
        name_header = find_column(columns, "name")
        root = Group(None, "")
        stack = [root]
        if type_header is None:
            self.error(sheet.name, 1, "", _("The survey sheet has no “type” column."))
            return root
        disabled_header = find_column(columns, "disabled")
        for row in sheet.rows:
            if parse_flag(row.get(disabled_header)):
                # pyxform leaves a disabled row out of the form; so do we, and say so.
                self.warn(sheet.name, row.number, disabled_header, _("A disabled row is skipped."))
                continue
            type_text = row.get(type_header)
            if not type_text:
                if row.get(name_header):
                    self.error(sheet.name, row.number, type_header, _("This row has no type."))
                continue
            question_type = classify(type_text)
            category = question_type.category
            if category == "begin_group":
                group = Group(row, row.get(name_header))
                stack[-1].children.append(group)
                stack.append(group)
            elif category == "end_group":
                if len(stack) == 1:
                    self.error(
                        sheet.name,
                        row.number,
                        type_header,
                        _("“end group” without a “begin group” before it."),
                    )
                else:
                    stack.pop()
            elif category in ("metadata", "unsupported", "unknown"):
                self._type_not_collected(sheet, row, type_header, category, type_text)
            else:
                stack[-1].children.append((row, question_type))
        for group in stack[1:]:
            self.error(
                sheet.name,
                group.row.number,
                type_header,
                _("The group “%(name)s” is never closed by an “end group”.") % {"name": group.name},
            )
        return root

    def _type_not_collected(
        self, sheet: Sheet, row: Row, type_header: str, category: str, type_text: str
    ) -> None:
        """Metadata is skipped with a warning; other types we do not collect refuse the file."""
        if category == "metadata":
            self.warn(
                sheet.name,
                row.number,
                type_header,
                _("“%(type)s” is form metadata; it was skipped.") % {"type": type_text},
            )
        elif category == "unsupported":
            if not type_text.strip().lower().startswith("end"):
                self.error(
                    sheet.name,
                    row.number,
                    type_header,
                    _(
                        "Questions of type “%(type)s” are not collected by this platform "
                        "(only choices, yes/no, numbers, text, dates, notes and groups)."
                    )
                    % {"type": type_text},
                )
        else:
            self.error(
                sheet.name,
                row.number,
                type_header,
                _("Unknown question type “%(type)s”.") % {"type": type_text},
            )

    def _read_survey(self, sheet: Sheet, lists: dict[str, list[ChoiceSpec]]) -> list[QuestionSpec]:
        self.survey_columns = columns = columns_of(sheet.headers)
        self.h = {base: find_column(columns, base) for base in SURVEY_KNOWN | {"appearance"}}
        root = self._tree(sheet, columns)
        questions: list[QuestionSpec] = []
        self._walk(sheet, root, [], lists, questions)
        return questions

    def _group_info(self, sheet: Sheet, group: Group) -> dict:
        row = group.row
        info: dict = {"name": group.name}
        for key in ("label", "hint"):
            texts = self.texts(row, self.survey_columns, key)
            if texts:
                info[key] = texts
        if row.get(self.h["pillar"]):
            info["pillar"] = row.get(self.h["pillar"])
        relevant = self._check_expression(sheet.name, row, self.h["relevant"])
        if relevant:
            info["relevant"] = relevant
        extra = self._extra(row)
        if extra:
            info["extra"] = extra
        return info

    def _extra(self, row: Row) -> dict[str, str]:
        return {
            header: row.get(header)
            for header, column in self.survey_columns.items()
            if column.base not in SURVEY_KNOWN and row.get(header)
        }

    def _is_count_by_sex(self, group: Group) -> bool:
        if len(group.children) != 2 or not all(isinstance(c, tuple) for c in group.children):
            return False
        names = {row.get(self.h["name"]) for row, _type in group.children}
        kinds = {question_type.category for _row, question_type in group.children}
        return (
            bool(group.name)
            and names == {f"{group.name}_f", f"{group.name}_m"}
            and kinds == {"integer"}
        )

    def _walk(self, sheet, group: Group, path: list[dict], lists, out: list) -> None:
        container = tuple(g["name"] for g in path)
        for child in group.children:
            if isinstance(child, Group):
                if self._is_count_by_sex(child):
                    question = self._count_by_sex(sheet, child, path)
                    if question:
                        out.append(question)
                    continue
                if self._claim_name(sheet, child.row, container) is None:
                    continue
                self._walk(sheet, child, [*path, self._group_info(sheet, child)], lists, out)
            else:
                question = self._question(sheet, *child, path, lists)
                if question:
                    specify = question.extra.pop("_specify", None)
                    out.extend([question, specify] if specify else [question])

    def _relevant_with_groups(self, own: str, path: list[dict], extra: dict) -> str:
        """Our screens evaluate one `relevant` per question, so a group's condition is folded
        into each question of the group; the question's own one is kept for the export."""
        conditions = [g["relevant"] for g in path if g.get("relevant")]
        if not conditions:
            return own
        extra["_own_relevant"] = own
        return " and ".join(f"({c})" for c in [*conditions, own] if c)

    def _common(self, sheet: Sheet, row: Row, question: QuestionSpec, path: list[dict]) -> None:
        """Fields every kind reads the same way: labels, flags, expressions, weight, pillar."""
        h = self.h
        question.label = self.texts(row, self.survey_columns, "label")
        question.hint = self.texts(row, self.survey_columns, "hint")
        question.constraint_message = self.texts(row, self.survey_columns, "constraint_message")
        if question.kind == QuestionKind.CALCULATE:
            self._calculation(sheet, row, question)
        elif not question.label and (question.kind != QuestionKind.NOTE or not question.hint):
            self.error(sheet.name, row.number, "", _("This question has no label."))
        required = parse_flag(row.get(h["required"]))
        if required is None:
            self.error(
                sheet.name,
                row.number,
                h["required"] or "",
                _("“required” must be “yes” or empty, not “%(value)s”.")
                % {"value": row.get(h["required"])},
            )
        question.required = bool(required)
        own_relevant = self._check_expression(sheet.name, row, h["relevant"])
        question.relevant = self._relevant_with_groups(own_relevant, path, question.extra)
        question.constraint = self._check_expression(sheet.name, row, h["constraint"])
        weight_text = row.get(h["weight"])
        if weight_text:
            weight = finite_number(weight_text)
            if weight is None or weight < 0:
                self.error(
                    sheet.name,
                    row.number,
                    h["weight"],
                    _("A weight must be a number of 0 or more, not “%(value)s”.")
                    % {"value": weight_text},
                )
            else:
                question.weight = weight
        question.gender_role = row.get(h["gender_role"])
        question.pillar_code = row.get(h["pillar"]) or next(
            (g["pillar"] for g in reversed(path) if g.get("pillar")), None
        )
        question.group = {"path": path} if path else {}
        question.extra.update(self._extra(row))
        self._choice_filter(sheet, row)

    def _choice_filter(self, sheet: Sheet, row: Row) -> None:
        """A choice_filter (kept in `extra` under its header, written back as it is) must read:
        bare names are the columns of the choices sheet, ${q} the answers."""
        header = self._header_of("choice_filter")
        text = row.get(header)
        if not text:
            return
        try:
            expressions.parse(text, columns=True)
        except expressions.ExpressionError as exc:
            self.error(sheet.name, row.number, header, exc.message)

    def _calculation(self, sheet: Sheet, row: Row, question: QuestionSpec) -> None:
        """A calculate's expression, checked like `relevant` (pyxform also needs it)."""
        header = self.h["calculation"]
        question.calculation = self._check_expression(sheet.name, row, header)
        if not question.calculation:
            self.error(
                sheet.name,
                row.number,
                header or "calculation",
                _("A calculate needs its expression in the “calculation” column."),
            )

    def _header_of(self, base: str) -> str | None:
        return find_column(self.survey_columns, base)

    def _named(self, sheet, row: Row, path, kind: str) -> QuestionSpec | None:
        """A new question of `kind` with its code (see sheets/names.py), or None."""
        container = tuple(g["name"] for g in path)
        name = self._claim_name(sheet, row, container, note=kind == QuestionKind.NOTE)
        if name is None:
            return None
        code, written = self._question_code(sheet, row, name, container)
        if code is None:
            return None
        question = QuestionSpec(code=code, kind=kind, row=row.number)
        if written:
            question.extra["_name"] = written
        return question

    def _question(self, sheet, row: Row, question_type, path, lists) -> QuestionSpec | None:
        category = question_type.category
        kinds = {
            "integer": QuestionKind.INTEGER,
            "decimal": QuestionKind.DECIMAL,
            "text": QuestionKind.TEXT,
            "date": QuestionKind.DATE,
            "note": QuestionKind.NOTE,
            "calculate": QuestionKind.CALCULATE,
            "select_one": QuestionKind.SINGLE_CHOICE,
            "select_multiple": QuestionKind.MULTIPLE_CHOICE,
        }
        question = self._named(sheet, row, path, kinds[category])
        if question is None:
            return None
        self._common(sheet, row, question, path)
        type_header = self.h["type"]
        if category in ("select_one", "select_multiple"):
            question.list_name = question_type.list_name
            if question_type.list_name not in lists:
                self.error(
                    sheet.name,
                    row.number,
                    type_header,
                    _("The choice list “%(list)s” is not in the choices sheet.")
                    % {"list": question_type.list_name},
                )
                return None
            self._check_choice_labels(lists[question_type.list_name])
            question.choices = [
                ChoiceSpec(c.value, dict(c.label), c.score, c.is_dont_know, dict(c.extra), c.row)
                for c in lists[question_type.list_name]
            ]
            if question_type.or_other:
                # The "specify" text question follows the select (sheets/or_other.py).
                question.extra["_specify"] = self._or_other(sheet, row, question)
            answer_values = {c.value for c in question.choices if not c.is_dont_know}
            if category == "select_one" and answer_values == {"yes", "no"}:
                question.kind = QuestionKind.YES_NO
        question.scoring = self._scoring(sheet, row, question)
        return question

    def _count_by_sex(self, sheet, group: Group, path) -> QuestionSpec | None:
        question = self._named(sheet, group.row, path, QuestionKind.COUNT_BY_SEX)
        if question is None:
            return None
        if question.extra.get("_name"):
            self.error(
                sheet.name,
                group.row.number,
                self.h["name"] or "name",
                _("A count by sex needs a name of its own: “%(name)s” is already used.")
                % {"name": group.name},
            )
            return None
        self._common(sheet, group.row, question, path)
        constraints = {}
        container = (*(g["name"] for g in path), group.name)
        for row, _type in group.children:
            child = row.get(self.h["name"])
            if self._claim_name(sheet, row, container):
                self._question_code(sheet, row, child, container)
            sex = child[-1]
            if parse_flag(row.get(self.h["required"])):
                question.required = True
            constraint = self._check_expression(sheet.name, row, self.h["constraint"])
            if constraint:
                constraints[sex] = constraint
                message = self.texts(row, self.survey_columns, "constraint_message")
                question.constraint_message = question.constraint_message or message
        if constraints:
            question.constraint = constraints.get("m") or constraints.get("f")
            if constraints != {"m": question.constraint}:
                # Kept as written, so the export puts each constraint back on its own field
                # (the usual shape, one constraint on the men's field, needs no note).
                question.extra["_sex_constraints"] = constraints
        question.scoring = self._scoring(sheet, group.row, question)
        return question

    def _scoring(self, sheet: Sheet, row: Row, question: QuestionSpec) -> dict:
        header = self.h["score"]
        text = row.get(header)
        if not text:
            return {}
        if question.kind not in NUMERIC_KINDS:
            if question.kind in (
                QuestionKind.SINGLE_CHOICE,
                QuestionKind.MULTIPLE_CHOICE,
                QuestionKind.YES_NO,
            ):
                message = _(
                    "Scores of a choice question go in the “score” column of the choices sheet."
                )
            else:
                message = _("Only numbers and choices can be scored.")
            self.error(sheet.name, row.number, header, message)
            return {}
        if text.strip().lower().startswith("ratio:"):
            match = REF_RE.match(text.strip()[6:].strip())
            if not match:
                self.error(
                    sheet.name,
                    row.number,
                    header,
                    _("Write a ratio as “ratio:${question}”, not “%(value)s”.") % {"value": text},
                )
                return {}
            return {"ratio_to": match.group(1)}
        thresholds = []
        for part in text.split(";"):
            if not part.strip():
                continue
            at_least, _sep, score = (piece.strip() for piece in part.partition(":"))
            least_number, score_number = finite_number(at_least), finite_number(score)
            if least_number is None or score_number is None or not 0 <= score_number <= 1:
                self.error(
                    sheet.name,
                    row.number,
                    header,
                    _(
                        "Write thresholds as “at least:score” pairs with scores from 0 to 1, "
                        "e.g. “0:0;1:0.5;10:1”, not “%(value)s”."
                    )
                    % {"value": text},
                )
                return {}
            thresholds.append([least_number, score_number])
        thresholds.sort()
        if len({least for least, _score in thresholds}) != len(thresholds):
            self.error(sheet.name, row.number, header, _("A threshold is given twice."))
            return {}
        return {"thresholds": thresholds}

    def _check_references(self, questions: list[QuestionSpec]) -> None:
        known = referable_names(questions)
        kinds = {q.code: q.kind for q in questions}
        for question in questions:
            for base in ("relevant", "constraint", "calculation", "choice_filter"):
                text = getattr(question, base, "") or question.extra.get(base, "")
                if not text:
                    continue
                try:
                    names = expressions.references(
                        expressions.parse(text, columns=base == "choice_filter")
                    )
                except expressions.ExpressionError:
                    continue  # already reported where it was read
                for name in sorted(names - known):
                    self.error(
                        "survey",
                        question.row,
                        self.h.get(base) or base,
                        _("${%(name)s} is not a question of this form.") % {"name": name},
                    )
                for name in sorted(names & set(self.reused)):
                    self.error(
                        "survey",
                        question.row,
                        self.h[base] or base,
                        self._ambiguous_reference(name),
                    )
            ratio_to = question.scoring.get("ratio_to")
            if ratio_to and kinds.get(ratio_to) not in NUMERIC_KINDS:
                self.error(
                    "survey",
                    question.row,
                    self.h["score"] or "score",
                    _("A ratio must refer to a number question; ${%(name)s} is not one.")
                    % {"name": ratio_to},
                )
