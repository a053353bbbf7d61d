"""The settings sheet: form title and id, languages, respondent type.

Part of FormReader: it uses the reader's `error`, `warn`, `texts` and the state set in its
`__init__`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from surveys.models import RespondentType
from surveys.xlsform.columns import (
    columns_of,
    language_code,
)
from surveys.xlsform.specs import (
    SETTINGS_KNOWN,
    TITLE_PREFIX,
)


class SettingsSheet:
    def _titles(self, settings: dict[str, str], title: str) -> dict[str, str]:
        """The form's title in each language: XLSForm has one `form_title` (the default
        language's, which KoboToolbox and ODK show); `form_title_<code>` columns, e.g.
        `form_title_en`, give the others. (A `form_title::English (en)` column would break
        pyxform's XForm, so the title of another language lives in its own plain column.)"""
        titles = dict.fromkeys(self.languages, title)
        for key, value in settings.items():
            code = key[len(TITLE_PREFIX) :] if key.startswith(TITLE_PREFIX) else ""
            if code in titles and value:
                titles[code] = value
        return titles

    def _read_settings(self) -> dict[str, str]:
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return {}
        row = sheet.rows[0]
        settings = {}
        for header in sheet.headers:
            key = header.strip()
            if key.lower() in SETTINGS_KNOWN | {"version", "style", "instance_name"}:
                key = key.lower()
            if row.get(header):
                settings[key] = row.get(header)
        respondent_type = settings.get("respondent_type", "")
        if respondent_type and respondent_type not in RespondentType.values:
            header = next(h for h in sheet.headers if h.strip().lower() == "respondent_type")
            self.error(
                sheet.name,
                row.number,
                header,
                _("The respondent type must be “organisation” or “individual”, not “%(value)s”.")
                % {"value": respondent_type},
            )
        if settings.get("default_language"):
            self.bare_language = language_code(settings["default_language"])
        return settings

    def _collect_languages(self, settings: dict[str, str]) -> None:
        """Languages of the version, the default first, and their columns as written."""
        seen: list[str] = []
        for sheet_name in ("survey", "choices"):
            sheet = self.sheets.get(sheet_name)
            if sheet is None:
                continue
            by_target: dict[tuple[str, str], str] = {}
            for header, column in columns_of(sheet.headers).items():
                if column.base not in ("label", "hint", "constraint_message"):
                    continue
                if column.language is None:
                    continue
                code = self._language_of(column)
                if (column.base, code) in by_target:
                    self.error(
                        sheet.name,
                        1,
                        header,
                        _("This column gives the same text in the same language as “%(other)s”.")
                        % {"other": by_target[(column.base, code)]},
                    )
                    continue
                by_target[(column.base, code)] = header
                if code not in seen:
                    seen.append(code)
                    self.language_columns[code] = column.language
        if settings.get("default_language"):
            default = language_code(settings["default_language"])
            if default in seen:
                seen.remove(default)
                seen.insert(0, default)
        self.languages = seen or [self.bare_language]
