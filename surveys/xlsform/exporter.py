"""QuestionnaireVersion -> an XLSForm (.xlsx) of the shape we import, which pyxform turns into an
XForm for KoboToolbox or ODK Collect, and which imports back to an identical version."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from readiness.cells import text_cell_guard
from surveys.models import QuestionKind, QuestionnaireVersion

TYPE_OF_KIND = {
    QuestionKind.INTEGER: "integer",
    QuestionKind.DECIMAL: "decimal",
    QuestionKind.TEXT: "text",
    QuestionKind.DATE: "date",
    QuestionKind.NOTE: "note",
    QuestionKind.CALCULATE: "calculate",
    QuestionKind.SINGLE_CHOICE: "select_one",
    QuestionKind.YES_NO: "select_one",
    QuestionKind.MULTIPLE_CHOICE: "select_multiple",
}
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE}
DEFAULT_COLUMNS = {"lo": "Lao (lo)", "en": "English (en)"}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _score_text(scoring: dict) -> str:
    if scoring.get("ratio_to"):
        return f"ratio:${{{scoring['ratio_to']}}}"
    return ";".join(
        f"{_num(least)}:{_num(score)}" for least, score in scoring.get("thresholds", [])
    )


class _Table:
    """Rows as dicts; columns in first-seen order after the fixed ones."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = list(columns)
        self.rows: list[dict[str, str]] = []

    def add(self, row: dict[str, str]) -> None:
        for key, value in row.items():
            if value not in ("", None) and key not in self.columns:
                self.columns.append(key)
        self.rows.append(row)

    def write(self, workbook: Workbook, title: str) -> None:
        sheet = workbook.create_sheet(title)
        used = [c for c in self.columns if any(row.get(c) not in ("", None) for row in self.rows)]
        # type/name (and list_name) always lead, even when a sheet is small.
        for fixed in ("list_name", "name", "type"):
            if fixed in self.columns and fixed not in used:
                used.insert(0, fixed)
        sheet.append(used)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in self.rows:
            sheet.append([row.get(column, "") for column in used])
            # A label such as "=1+1" or "- none" is text, never a live formula.
            text_cell_guard(sheet[sheet.max_row])


class _Exporter:
    def __init__(self, version: QuestionnaireVersion) -> None:
        self.version = version
        self.languages = list(version.languages) or ["lo", "en"]
        self.column_of = {
            code: version.language_columns.get(code, DEFAULT_COLUMNS.get(code, code))
            for code in self.languages
        }

    def header(self, base: str, language: str) -> str:
        column = self.column_of[language]
        return f"{base}::{column}" if column else base

    def texts(self, base: str, texts: dict | None) -> dict[str, str]:
        texts = texts or {}
        return {self.header(base, lang): texts.get(lang, "") for lang in self.languages}

    def lang_headers(self, *bases: str) -> list[str]:
        return [self.header(base, lang) for base in bases for lang in self.languages]

    def survey(self, questions) -> _Table:
        table = _Table(
            [
                "type",
                "name",
                *self.lang_headers("label", "hint"),
                "required",
                "relevant",
                "constraint",
                *self.lang_headers("constraint_message"),
                "calculation",
                "pillar",
                "weight",
                "score",
                "gender_role",
            ]
        )
        open_groups: list[dict] = []
        for question in questions:
            path = question.group.get("path", [])
            common = 0
            while (
                common < len(open_groups)
                and common < len(path)
                and open_groups[common] == path[common]
            ):
                common += 1
            for _group in open_groups[common:]:
                table.add({"type": "end group"})
            for group in path[common:]:
                table.add(
                    {
                        "type": "begin group",
                        "name": group["name"],
                        **self.texts("label", group.get("label")),
                        **self.texts("hint", group.get("hint")),
                        "relevant": group.get("relevant", ""),
                        "pillar": group.get("pillar", ""),
                        **group.get("extra", {}),
                    }
                )
            open_groups = list(path)
            if question.kind == QuestionKind.COUNT_BY_SEX:
                self._count_by_sex(table, question)
            else:
                table.add(self._row(question))
        for _group in open_groups:
            table.add({"type": "end group"})
        return table

    def _own_relevant(self, question) -> str:
        return question.extra.get("_own_relevant", question.relevant)

    def _public_extra(self, question) -> dict[str, str]:
        return {k: v for k, v in question.extra.items() if not k.startswith("_")}

    def _row(self, question) -> dict[str, str]:
        kind_type = TYPE_OF_KIND.get(question.kind, "begin group")
        if question.pk in self.list_names:
            kind_type = f"{kind_type} {self.list_names[question.pk]}"
        return {
            "type": kind_type,
            # A name reused in another group was stored as <group>_<name> (sheets/names.py).
            "name": question.extra.get("_name") or question.code,
            **self.texts("label", question.label),
            **self.texts("hint", question.hint),
            "required": "yes" if question.required else "",
            "relevant": self._own_relevant(question),
            "constraint": question.constraint,
            **(
                self.texts("constraint_message", question.constraint_message)
                if question.constraint_message
                else {}
            ),
            "calculation": question.calculation,
            "pillar": question.pillar.code if question.pillar else "",
            "weight": _num(question.weight) if question.weight != 1 else "",
            "score": _score_text(question.scoring),
            "gender_role": question.gender_role,
            **self._public_extra(question),
        }

    def _sex_labels(self) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = {"f": {}, "m": {}}
        for language in self.languages:
            with translation.override(language if language in ("lo", "en") else "en"):
                labels["f"][language] = _("Women")
                labels["m"][language] = _("Men")
        return labels

    def _count_by_sex(self, table: _Table, question) -> None:
        """A begin group named after the question holding the integers <code>_f and <code>_m,
        as KoboToolbox and ODK can collect it; it imports back as one count-by-sex question."""
        row = self._row(question)
        row["type"] = "begin group"
        constraints = question.extra.get("_sex_constraints") or (
            {"m": question.constraint} if question.constraint else {}
        )
        for key in ("required", "constraint", *self.lang_headers("constraint_message")):
            row.pop(key, None)
        table.add(row)
        sex_labels = self._sex_labels()
        for sex in ("f", "m"):
            child = {
                "type": "integer",
                "name": f"{question.code}_{sex}",
                **self.texts("label", sex_labels[sex]),
                "required": "yes" if question.required else "",
                "constraint": constraints.get(sex, ""),
            }
            if constraints.get(sex) and question.constraint_message:
                child.update(self.texts("constraint_message", question.constraint_message))
            table.add(child)
        table.add({"type": "end group"})

    def choices(self, questions) -> _Table:
        """One list per list name; a list used by several questions is written once, and a
        name reused with different choices gets a suffix."""
        table = _Table(["list_name", "name", *self.lang_headers("label"), "score", "dont_know"])
        written: dict[str, list] = {}
        self.list_names: dict[int, str] = {}
        for question in questions:
            if question.kind not in CHOICE_KINDS:
                continue
            content = [
                (c.value, c.label, c.score, c.is_dont_know, c.extra) for c in question.choices.all()
            ]
            # A version built without XLSForm has no list names: the question's code serves.
            base = question.list_name or question.code
            name, suffix = base, 1
            while name in written and written[name] != content:
                suffix += 1
                name = f"{base}_{suffix}"
            self.list_names[question.pk] = name
            if name in written:
                continue
            written[name] = content
            for value, label, score, dont_know, extra in content:
                table.add(
                    {
                        "list_name": name,
                        "name": value,
                        **self.texts("label", label),
                        "score": "" if score is None else _num(score),
                        "dont_know": "yes" if dont_know else "",
                        **(extra or {}),
                    }
                )
        return table

    def settings(self) -> _Table:
        version = self.version
        default = self.languages[0]
        other_titles = {
            f"form_title_{code}": version.title[code]
            for code in self.languages[1:]
            if version.title.get(code)
        }
        table = _Table(
            ["form_title", *other_titles, "form_id", "default_language", "respondent_type"]
        )
        table.add(
            {
                "form_title": version.title.get(default) or next(iter(version.title.values()), ""),
                **other_titles,
                "form_id": version.form_id or version.questionnaire.code,
                "default_language": self.column_of[default] or default,
                "respondent_type": version.questionnaire.respondent_type,
                **version.xlsform_settings,
            }
        )
        return table

    def pillars(self) -> _Table:
        table = _Table(["code", *self.lang_headers("name"), "weight", "order", "is_enabler"])
        for pillar in self.version.pillars.all():
            table.add(
                {
                    "code": pillar.code,
                    **self.texts("name", pillar.name),
                    **(self.texts("description", pillar.description) if pillar.description else {}),
                    "weight": _num(pillar.weight),
                    "order": str(pillar.order),
                    "is_enabler": "yes" if pillar.is_enabler else "",
                }
            )
        return table

    def stages(self) -> _Table:
        table = _Table(["stage", *self.lang_headers("name")])
        for stage, names in sorted(self.version.stage_names.items()):
            table.add({"stage": stage, **self.texts("name", names)})
        return table

    def recommendations(self) -> _Table:
        table = _Table(["pillar", "stage", *self.lang_headers("text")])
        for item in self.version.recommendations.select_related("pillar"):
            table.add(
                {
                    "pillar": item.pillar.code,
                    "stage": str(item.stage),
                    **self.texts("text", item.text),
                }
            )
        return table

    def workbook(self) -> bytes:
        questions = list(
            self.version.questions.select_related("pillar").prefetch_related("choices")
        )
        choices = self.choices(questions)
        workbook = Workbook()
        workbook.remove(workbook.active)
        self.survey(questions).write(workbook, "survey")
        choices.write(workbook, "choices")
        self.settings().write(workbook, "settings")
        self.pillars().write(workbook, "pillars")
        self.stages().write(workbook, "stages")
        if self.version.recommendations.exists():
            self.recommendations().write(workbook, "recommendations")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def xlsform_export(version: QuestionnaireVersion) -> bytes:
    """The version as an .xlsx XLSForm (bytes)."""
    return _Exporter(version).workbook()
