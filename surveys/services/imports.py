"""Import of responses collected elsewhere (KoboToolbox, ODK Collect) from their CSV/XLSX
exports: one row per submission, columns named by question code, with or without the group
prefixes those tools add (`grp/sub/code` is `code`), `<code>_f`/`<code>_m` for counts by sex,
an `organisation` column holding the organisation's code. Their own metadata columns are
ignored, and so are Kobo's extra `code/value` 0/1 columns of a select_multiple.

All or nothing: every row is checked first (with the same validation as the filling screen)
and every problem reported with its line and column; nothing is written until all are good.
Importing the same file twice creates nothing twice: a submission is identified by its
`_uuid` / `meta/instanceID` (kept in Response.external_id), else by its organisation."""

import logging
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from readiness.imports import ImportResult, Problem
from readiness.tabular import TableError, read_tables, upload_read
from surveys.answers.cleaning import answer_clean
from surveys.answers.rules import AnswersInvalid
from surveys.models import (
    AgeBand,
    Question,
    QuestionKind,
    RespondentType,
    Response,
    ResponseStatus,
    Round,
    Sex,
)
from surveys.selectors.answers import answers_load, answers_validate, version_questions
from surveys.services.answers import answers_write
from surveys.services.history import IMPORTED
from surveys.services.responses import imported_response_submit

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
ORGANISATION_COLUMN = "organisation"
SEX_COLUMN = "respondent_sex"
AGE_BAND_COLUMN = "respondent_age_band"
ID_COLUMNS = ("_uuid", "meta/instanceID", "instanceID")
# Columns KoboToolbox and ODK add to every export; anything starting with "_" is theirs too.
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
    "email", "audit", "instanceID", "instanceName", "deprecatedID", "formhub/uuid", "__version__",
    "KEY", "SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
    "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
}  # fmt: skip


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class _Columns:
    """Which file column feeds what: question code → [(column, sex)] ('' when not by sex)."""

    answers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    organisation: str | None = None
    ids: list[str] = field(default_factory=list)
    sex: str | None = None
    age_band: str | None = None
    ignored: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    organisation: Organisation
    external_id: str
    values: dict[str, Any]
    sex: str = ""
    age_band: str = ""


def read_table(file: IO[bytes], filename: str) -> pd.DataFrame:
    """Every cell as text (codes such as 007 and values such as 1.0 stay as written), indexed by
    the line number users see (the header is line 1; blank lines are skipped, never a stop)."""
    if not filename.lower().endswith((".xlsx", ".xlsm", ".csv")):
        raise ImportFailed([Problem(message=str(_("Upload a .csv or .xlsx file.")))])
    try:
        sheets = read_tables(upload_read(file), filename)
    except TableError as error:
        raise ImportFailed([Problem("", error.row or None, error.column, error.message)]) from None
    sheet = sheets[0] if sheets else None
    if sheet is None or not sheet.headers:
        raise ImportFailed([Problem("", 1, "", str(_("The file has no header row.")))])
    duplicated = sorted({h for h in sheet.headers if sheet.headers.count(h) > 1})
    if duplicated:
        message = _("This column appears twice in the header.")
        raise ImportFailed([Problem("", 1, header, str(message)) for header in duplicated])
    frame = pd.DataFrame(
        [[row.cells.get(header, "") for header in sheet.headers] for row in sheet.rows],
        columns=sheet.headers,
        index=[row.number for row in sheet.rows],
        dtype=object,
    )
    return frame


def _is_metadata(header: str) -> bool:
    last = header.rsplit("/", 1)[-1]
    return (
        header in METADATA
        or last in METADATA
        or header.startswith(("_", "meta/"))
        or last.startswith("_")
        or header.startswith("Unnamed:")
    )


def _segments(header: str, known: set[str]) -> list[str]:
    """The path of a column: Kobo and ODK join groups with "/" or, when so exported, "." (the
    whole header, or its last "/" part, wins when it is itself a known name with a dot)."""
    segments = header.split("/")
    if segments[-1] in known or "." not in segments[-1]:
        return segments
    return [part for segment in segments for part in segment.split(".")]


def _column_role(
    columns: _Columns,
    header: str,
    segments: list[str],
    questions: dict[str, Question],
    multiple: set[str],
) -> bool:
    """Files a column that holds no answer (ids, organisation, respondent, a Kobo choice column,
    metadata) in `columns`; False for a column that may hold an answer."""
    code = segments[-1]
    if header in ID_COLUMNS or header.replace(".", "/") in ID_COLUMNS:
        columns.ids.append(header)
    elif len(segments) >= 2 and segments[-2] in multiple:
        columns.ignored.append(header)  # Kobo's one 0/1 column per choice
    elif code == ORGANISATION_COLUMN and code not in questions:
        columns.organisation = header
    elif code == SEX_COLUMN:
        columns.sex = header
    elif code == AGE_BAND_COLUMN:
        columns.age_band = header
    elif not (_is_metadata(header) or _is_metadata("/".join(segments))):
        return False
    return True


def _answer_target(
    code: str, questions: dict[str, Question], by_sex: set[str]
) -> tuple[str, str] | None:
    """(question code, sex or "") an answer column fills, or None."""
    if code in questions and code not in by_sex:
        return (code, "")
    if code[-2:].lower() in ("_f", "_m") and code[:-2] in by_sex:
        return (code[:-2], Sex.FEMALE if code[-1].lower() == "f" else Sex.MALE)
    return None


def _map_columns(headers: list[str], questions: dict[str, Question]) -> tuple[_Columns, list]:
    columns = _Columns()
    problems: list[Problem] = []
    multiple = {code for code, q in questions.items() if q.kind == QuestionKind.MULTIPLE_CHOICE}
    by_sex = {code for code, q in questions.items() if q.kind == QuestionKind.COUNT_BY_SEX}
    known = set(questions) | {f"{code}_{sex}" for code in by_sex for sex in ("f", "m", "F", "M")}
    known |= {ORGANISATION_COLUMN, SEX_COLUMN, AGE_BAND_COLUMN}
    seen: dict[tuple[str, str], str] = {}
    for header in headers:
        segments = _segments(header, known)
        if _column_role(columns, header, segments, questions, multiple):
            continue
        target = _answer_target(segments[-1], questions, by_sex)
        if target is None:
            # Counts-by-sex totals and calculate/note fields: the total is derived, never read.
            columns.ignored.append(header)
            continue
        if target in seen:
            problems.append(
                Problem(
                    "",
                    1,
                    header,
                    str(
                        _("Two columns hold the same answer (also in %(other)s).")
                        % {"other": seen[target]}
                    ),
                )
            )
            continue
        seen[target] = header
        columns.answers.setdefault(target[0], []).append((header, target[1]))
    return columns, problems + _missing_columns(columns, headers)


def _missing_columns(columns: _Columns, headers: list[str]) -> list[Problem]:
    problems = []
    if columns.organisation is None:
        problems.append(
            Problem("", 1, ORGANISATION_COLUMN, str(_("The file has no organisation column.")))
        )
    elif not columns.answers:
        # Writing such a file would only mark responses submitted with nothing in them.
        message = _(
            "No column of the file is named after a question of this questionnaire, so there is "
            "nothing to import. Name the columns by question name (e.g. staff_f, or "
            "group/staff_f as KoboToolbox exports them); columns found: %(columns)s."
        ) % {"columns": ", ".join(headers[:20]) + ("…" if len(headers) > 20 else "")}
        problems.append(Problem("", 1, "", str(message)))
    return problems


def _row_values(
    record: dict[str, str],
    line: int,
    columns: _Columns,
    questions: dict[str, Question],
    problems: list[Problem],
) -> dict[str, Any]:
    """Typed values of one row; a cell that cannot be read becomes a problem at its column."""
    values: dict[str, Any] = {}
    for code, question in questions.items():
        sources = columns.answers.get(code, [])
        if question.kind == QuestionKind.NOTE or not sources:
            continue  # a question the file does not carry keeps its stored answer
        if question.kind == QuestionKind.COUNT_BY_SEX:
            counts = {}
            for column, sex in sources:
                cell = record[column].strip()
                if not cell:
                    continue
                try:
                    counts.update(answer_clean(question, {sex: cell}) or {})
                except ValueError as error:
                    problems.append(Problem("", line, column, str(error.args[0])))
            values[code] = counts or None
            continue
        value = None
        for column, _sex in sources:
            cell = record[column].strip()
            try:
                value = answer_clean(question, cell)
            except ValueError as error:
                problems.append(Problem("", line, column, str(error.args[0])))
        values[code] = value
    return values


def _column_of(columns: _Columns, code: str) -> str:
    sources = columns.answers.get(code)
    return sources[0][0] if sources else code


def _external_id(record: dict[str, str], columns: _Columns) -> str:
    for column in columns.ids:
        value = record[column].strip()
        if value:
            return value.removeprefix("uuid:")[:100]
    return ""


def _check_rows(
    frame: pd.DataFrame, round_: Round, questions: list[Question], columns: _Columns
) -> tuple[list[_Row], list[Problem]]:
    by_code = {question.code: question for question in questions}
    individual = round_.version.questionnaire.respondent_type == RespondentType.INDIVIDUAL
    codes = {str(code).strip() for code in frame[columns.organisation]}
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    targets = set(round_.targets.filter(code__in=codes).values_list("pk", flat=True))
    problems: list[Problem] = []
    rows: list[_Row] = []
    seen_keys: dict[str, int] = {}
    for line, record in zip(frame.index, frame.to_dict("records"), strict=True):
        before = len(problems)
        code = record[columns.organisation].strip()
        organisation = organisations.get(code)
        if organisation is None:
            message = _("Unknown organisation code “%(code)s”.") % {"code": code[:40]}
            problems.append(Problem("", line, columns.organisation, str(message)))
        elif organisation.pk not in targets:
            message = _("%(organisation)s is not a target of this round.") % {
                "organisation": organisation.code
            }
            problems.append(Problem("", line, columns.organisation, str(message)))
        external_id = _external_id(record, columns)
        problems += _submission_problems(line, code, external_id, individual, columns, seen_keys)
        sex, age_band = _respondent(record, line, columns, individual, problems)
        cells_before = len(problems)
        values = _row_values(record, line, columns, by_code, problems)
        # Rules between answers are judged once every cell of the row could be read.
        if len(problems) == cells_before:
            problems += _rule_problems(line, values, round_, questions, columns)
        if len(problems) == before:
            rows.append(_Row(line, organisation, external_id, values, sex, age_band))
    return rows, problems


def _submission_problems(
    line: int,
    code: str,
    external_id: str,
    individual: bool,
    columns: _Columns,
    seen_keys: dict[str, int],
) -> list[Problem]:
    """A submission without its id, or one already on an earlier line (recorded in
    `seen_keys`): one organisation's response, or one individual's submission id."""
    key = external_id if individual else code
    problems = []
    if individual and not external_id:
        problems.append(
            Problem("", line, "_uuid", str(_("Each submission needs its _uuid or instanceID.")))
        )
    elif key in seen_keys:
        problems.append(
            Problem(
                "",
                line,
                columns.organisation if not individual else "_uuid",
                str(_("Same submission as line %(line)s.") % {"line": seen_keys[key]}),
            )
        )
    seen_keys.setdefault(key, line)
    return problems


def _rule_problems(
    line: int,
    values: dict[str, Any],
    round_: Round,
    questions: list[Question],
    columns: _Columns,
) -> list[Problem]:
    errors = answers_validate(
        version=round_.version, pillar=None, values=values, all_values={}, questions=questions
    )
    return [
        Problem("", line, _column_of(columns, question_code), message)
        for question_code, messages in errors.items()
        # A question not in the file: its stored answer is judged when written.
        if question_code in values
        for message in messages
    ]


def _respondent(
    record: dict[str, str], line: int, columns: _Columns, individual: bool, problems: list
) -> tuple[str, str]:
    if not individual:
        return "", ""
    sex = record[columns.sex].strip().upper()[:1] if columns.sex else ""
    age_band = record[columns.age_band].strip() if columns.age_band else ""
    if sex not in (Sex.FEMALE, Sex.MALE):
        problems.append(
            Problem("", line, columns.sex or SEX_COLUMN, str(_("Give the sex as F or M.")))
        )
    if age_band not in AgeBand.values:
        message = _("Give the age band as one of: %(bands)s.") % {
            "bands": ", ".join(AgeBand.values)
        }
        problems.append(Problem("", line, columns.age_band or AGE_BAND_COLUMN, str(message)))
    return sex, age_band


def _existing_response(round_: Round, row: _Row, individual: bool) -> Response | None:
    responses = Response.objects.select_for_update().filter(round=round_)
    if individual:
        return responses.filter(is_individual=True, external_id=row.external_id).first()
    return responses.filter(is_individual=False, organisation=row.organisation).first()


@transaction.atomic
def responses_import(
    *, round_: Round, file: IO[bytes], filename: str, user: AbstractBaseUser | None
) -> ImportResult:
    """Checks every row, then writes them all (or raises ImportFailed and writes nothing).
    Organisation questionnaires: the organisation's one response is updated and marked
    submitted. Individual questionnaires: one response per submission id."""
    try:
        frame = read_table(file, filename)
    except ImportFailed:
        raise
    except Exception as error:  # a corrupt or foreign file: say so, never a 500
        logger.info("Unreadable import file %s: %s", filename, error)
        raise ImportFailed([Problem(message=str(_("The file cannot be read.")))]) from None
    if len(frame) > MAX_ROWS:
        message = _("The file has more than %(count)s rows.") % {"count": MAX_ROWS}
        raise ImportFailed([Problem(message=str(message))])
    questions = version_questions(round_.version)
    columns, problems = _map_columns(list(frame.columns), {q.code: q for q in questions})
    if problems:
        raise ImportFailed(problems)
    rows, problems = _check_rows(frame, round_, questions, columns)
    if problems:
        raise ImportFailed(problems)
    individual = round_.version.questionnaire.respondent_type == RespondentType.INDIVIDUAL
    result = ImportResult(
        ignored_columns=columns.ignored,
        not_carried=[
            q.code
            for q in questions
            if q.kind != QuestionKind.NOTE and q.code not in columns.answers
        ],
    )
    for row in rows:
        _write_row(
            round_=round_,
            row=row,
            individual=individual,
            user=user,
            result=result,
            columns=columns,
        )
    return result


def _write_row(
    *,
    round_: Round,
    row: _Row,
    individual: bool,
    user: AbstractBaseUser | None,
    result: ImportResult,
    columns: _Columns,
) -> None:
    response, created = _response_for_row(round_, row, individual)
    values = _with_kept_counts(dict(row.values), answers_load(response), columns)
    try:
        changed = answers_write(response=response, values=values, user=user, reason=IMPORTED)
    except AnswersInvalid as invalid:
        # Judged with the answers already stored (a partial file): the whole import rolls back.
        raise ImportFailed(
            [
                Problem("", row.line, _column_of(columns, code), message)
                for code, messages in invalid.errors.items()
                for message in messages
            ]
        ) from None
    response.refresh_from_db()
    fields = imported_response_submit(
        response=response, user=user, external_id=row.external_id, answers_changed=bool(changed)
    )
    if created:
        result.created += 1
    elif changed or fields:
        result.updated += 1
    else:
        result.unchanged += 1


def _response_for_row(round_: Round, row: _Row, individual: bool) -> tuple[Response, bool]:
    """The row's response, locked, or a new one (True); an approved one refuses the import."""
    response = _existing_response(round_, row, individual)
    created = response is None
    if created:
        response = Response(
            round=round_,
            organisation=row.organisation,
            is_individual=individual,
            respondent_sex=row.sex,
            respondent_age_band=row.age_band,
            external_id=row.external_id,
        )
        response._change_reason = IMPORTED  # its history says the import created it
        response.save()
    elif response.status == ResponseStatus.APPROVED:
        # Checked here, under the row lock; the whole import rolls back.
        message = _(
            "The response of %(organisation)s is approved; an administrator must reopen it first."
        )
        raise ImportFailed(
            [
                Problem(
                    "",
                    row.line,
                    ORGANISATION_COLUMN,
                    str(message % {"organisation": row.organisation.code}),
                )
            ]
        )
    return response, created


def _with_kept_counts(
    values: dict[str, Any], stored: dict[str, Any], columns: _Columns
) -> dict[str, Any]:
    """A count by sex whose file carries one sex only keeps the stored other sex."""
    for code, counts in values.items():
        carried = {sex for _column, sex in columns.answers.get(code, []) if sex}
        if carried and isinstance(stored.get(code), dict):
            kept = {sex: n for sex, n in stored[code].items() if sex not in carried}
            values[code] = {**kept, **(counts or {})} or None
    return values
