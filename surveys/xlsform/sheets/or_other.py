"""`select_one L or_other` / `select_multiple L or_other`, taken the way pyxform builds it: the
list gains a choice "other" (unless it has one), and a text question `<name>_other` ("Specify
other") follows, asked only when "other" is chosen, and then required.

Both are generated, so the export writes back only the ` or_other` on the type (not the choice,
not the text question) and the form imports again to the same version. The generated parts are
marked in `extra` ("_generated" on the choice, "_or_other_of" on the text question).

Part of FormReader (uses its `error`, `names` and `languages`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.models import QuestionKind
from surveys.xlsform.specs import ChoiceSpec, QuestionSpec
from surveys.xlsform.workbook import Row, Sheet

OTHER = "other"
OTHER_LABELS = {"lo": "ອື່ນໆ", "en": "Other"}
SPECIFY_LABELS = {"lo": "ລະບຸອື່ນໆ", "en": "Specify other"}


class OrOther:
    def _in_languages(self, texts: dict[str, str]) -> dict[str, str]:
        """A generated text in each language of the form (English where we have no word)."""
        return {language: texts.get(language, texts["en"]) for language in self.languages}

    def _or_other(self, sheet: Sheet, row: Row, question: QuestionSpec) -> QuestionSpec | None:
        """Adds the "other" choice to `question` and returns its "specify" text question, or
        None after an error (a name `<name>_other` already used)."""
        question.extra["_or_other"] = "yes"
        if not any(choice.value == OTHER for choice in question.choices):
            question.choices.append(
                ChoiceSpec(
                    OTHER,
                    self._in_languages(OTHER_LABELS),
                    None,
                    False,
                    {"_generated": "or_other"},
                    row.number,
                )
            )
        code = f"{question.code}_other"
        if code in self.names:
            self.error(
                sheet.name,
                row.number,
                self.h["type"] or "type",
                _(
                    "“or_other” adds a text question “%(code)s”, but that name is already used on "
                    "row %(row)s; rename that question."
                )
                % {"code": code, "row": self.names[code]},
            )
            return None
        self.names[code] = row.number
        chosen = f"selected(${{{question.code}}}, '{OTHER}')"
        return QuestionSpec(
            code=code,
            kind=QuestionKind.TEXT,
            row=row.number,
            label=self._in_languages(SPECIFY_LABELS),
            required=True,
            relevant=f"({question.relevant}) and {chosen}" if question.relevant else chosen,
            pillar_code=question.pillar_code,
            group=dict(question.group),
            extra={"_or_other_of": question.code},
        )
