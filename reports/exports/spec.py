"""What an export is: content x format x language x area of a round, the access rule for it,
and the name of the file it gives."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from organisations import access
from organisations.models import Organisation
from reports.models import ExportFormat, ExportWhat
from surveys.models import Round

TABLES = (
    ExportWhat.SUMMARY,
    ExportWhat.SCORES,
    ExportWhat.AGGREGATES,
    ExportWhat.GENDER,
    ExportWhat.ANSWERS,
    ExportWhat.CODEBOOK,
)
FORMATS = {
    ExportWhat.WORKBOOK: (ExportFormat.XLSX, ExportFormat.CSV),
    **dict.fromkeys(TABLES, (ExportFormat.XLSX, ExportFormat.CSV)),
    ExportWhat.REPORT: (ExportFormat.PDF,),
    ExportWhat.SCORECARD: (ExportFormat.PDF,),
    ExportWhat.MASTERPLAN: (ExportFormat.PDF, ExportFormat.DOCX),
}
LANGUAGES = ("lo", "en")
# The tables with a row per response: for an individual questionnaire, a row per respondent.
RESPONDENT_ROWS = (ExportWhat.SCORES, ExportWhat.ANSWERS)
# Individual questionnaires: the mean scores of women and men respondents, in the workbook (and
# with the gender indicators when that table is asked for alone).
SEX_SCORES = "sex_scores"


class SpecError(ValueError):
    """A request that cannot be served; the message says why, for the person who asked."""


@dataclass(frozen=True)
class ExportSpec:
    round: Round
    what: str
    area: Organisation
    format: str
    language: str

    @property
    def key(self) -> str:
        return f"{self.round.pk}:{self.what}:{self.area.pk}:{self.format}:{self.language}"

    @property
    def tables(self) -> tuple[str, ...]:
        individual = self.individual
        extra = (SEX_SCORES,) if individual else ()
        if self.what == ExportWhat.WORKBOOK:
            # An individual questionnaire's rows of one respondent (organisation results, raw
            # answers) never leave the product: its anonymity (reports.anonymity).
            kept = [key for key in TABLES if not (individual and key in RESPONDENT_ROWS)]
            return (*kept, *extra)
        if self.what == ExportWhat.GENDER:
            return (self.what, *extra)
        return (self.what,)

    @property
    def individual(self) -> bool:
        """A questionnaire answered by individual respondents (staff), not by organisations."""
        return self.round.version.questionnaire.respondent_type == "individual"

    @property
    def extension(self) -> str:
        if self.format == ExportFormat.CSV:
            return "zip" if len(self.tables) > 1 else "csv"
        return self.format

    @property
    def file_name(self) -> str:
        return f"{self.round.code}_{self.area.code}_{self.what}_{self.language}.{self.extension}"


def spec_check(*, what: str, format: str, language: str) -> None:
    if what not in FORMATS:
        raise SpecError(_("Unknown content: %(what)s.") % {"what": what})
    if format not in FORMATS[what]:
        raise SpecError(
            _("%(what)s cannot be exported as %(format)s; choose %(formats)s.")
            % {
                "what": ExportWhat(what).label,
                "format": format,
                "formats": ", ".join(str(f) for f in FORMATS[what]),
            }
        )
    if language not in LANGUAGES:
        raise SpecError(_("Unknown language: %(language)s.") % {"language": language})


def may_request(user: AbstractBaseUser, spec: ExportSpec) -> bool:
    """Analysts and administrators export in their scope; an organisation's scorecard is for
    everyone who may see that scorecard, its own focal point included."""
    if spec.what == ExportWhat.SCORECARD:
        return access.can_view_organisation(user, spec.area)
    return access.can_export(user, spec.area)


def may_download(user: AbstractBaseUser, *, what: str, area: Organisation) -> bool:
    """Asked again at download time: a role removed since the request no longer reaches the
    file."""
    if what == ExportWhat.SCORECARD:
        return access.can_view_organisation(user, area)
    return access.can_export(user, area)
