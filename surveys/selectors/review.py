"""Reads for review, audit history, progress of a round, and the reviewer's home section.

Every function takes the user (or an object already checked through the access policy) and
limits what it returns to the user's scope."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from organisations.access import (
    can_administer,
    has_role,
    organisations_in_scope,
    require,
)
from organisations.models import Organisation, OrganisationKind, Role
from readiness.i18n import pick
from readiness.paging import organisation_matches
from surveys.answers.cleaning import stored_value
from surveys.answers.presentation import answer_text, format_number
from surveys.answers.rules import irrelevant_codes
from surveys.models import (
    Answer,
    Pillar,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    ReviewComment,
    Round,
    RoundStatus,
    Sex,
)
from surveys.services.history import HIDDEN, IMPORTED

REVIEW_ROLES = (Role.REVIEWER, Role.ADMINISTRATOR)


# Review list and read view ----------------------------------------------------------------


def reviewable_responses(user: AbstractBaseUser) -> QuerySet[Response]:
    """Organisation responses in the user's review scope (reviewer or administrator)."""
    return Response.objects.filter(is_individual=False).filter(
        organisations_in_scope(user, REVIEW_ROLES, prefix="organisation__")
    )


REVIEW_SORTS = {
    # Oldest waiting first: a response submitted a month ago is reviewed before yesterday's.
    "waiting": (F("submitted_at").asc(nulls_last=True), "pk"),
    "newest": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "code": ("organisation__code", "round__code", "pk"),
}


def review_list(
    user: AbstractBaseUser,
    *,
    round_id: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    search: str = "",
    sort: str | None = None,
) -> QuerySet[Response]:
    """Submitted responses by default; any status (but draft) when asked; of one round, one
    organisation kind, or whose organisation's code or name (Lao or English) contains `search`.
    Sorted by `sort` (a key of REVIEW_SORTS; oldest waiting first by default)."""
    responses = reviewable_responses(user).select_related("round", "organisation", "submitted_by")
    if round_id:
        responses = responses.filter(round_id=round_id)
    if status in ResponseStatus.values:
        responses = responses.filter(status=status)
    elif status == "all":
        responses = responses.exclude(status=ResponseStatus.DRAFT)
    else:
        responses = responses.filter(status=ResponseStatus.SUBMITTED)
    if kind:
        responses = responses.filter(organisation__kind=kind)
    responses = responses.filter(organisation_matches(search, prefix="organisation__"))
    return responses.order_by(*REVIEW_SORTS.get(sort or "waiting", REVIEW_SORTS["waiting"]))


def rounds_for_review(user: AbstractBaseUser) -> QuerySet[Round]:
    if not has_role(user, *REVIEW_ROLES):
        return Round.objects.none()
    return Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-opens_on", "code")


def _choice_labels(version_id: int) -> dict[int, dict[str, dict]]:
    labels: dict[int, dict[str, dict]] = defaultdict(dict)
    for question_id, value, label in Question.objects.filter(version_id=version_id).values_list(
        "pk", "choices__value", "choices__label"
    ):
        if value is not None:
            labels[question_id][value] = label
    return labels


@dataclass
class QuestionView:
    question: Question
    label: str
    answer: str
    comments: list[ReviewComment] = field(default_factory=list)
    # "answered"; "skipped" (skip logic hides it: it did not apply); "unanswered" (it applied).
    state: str = "answered"


@dataclass
class PillarView:
    pillar: Pillar | None
    label: str
    questions: list[QuestionView]

    @property
    def anchor(self) -> str:
        return f"pillar-{self.pillar.code if self.pillar else 'other'}"

    def _count(self, state: str) -> int:
        return sum(1 for item in self.questions if item.state == state)

    @property
    def answered(self) -> int:
        return self._count("answered")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def unanswered(self) -> int:
        return self._count("unanswered")

    @property
    def comment_count(self) -> int:
        return sum(len(item.comments) for item in self.questions)


def response_pillars(response: Response) -> list[PillarView]:
    """Every pillar of the response's version with each question, its answer in the active
    language and the open review comments on it (a handful of queries, not one per question)."""
    version_id = response.round.version_id
    questions = list(
        Question.objects.filter(version_id=version_id)
        .exclude(kind=QuestionKind.NOTE)
        .select_related("pillar")
        .order_by("pillar__order", "order")
    )
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in response.answers.all():
        answers[answer.question_id].append(answer)
    comments: dict[int, list[ReviewComment]] = defaultdict(list)
    for comment in response.review_comments.filter(resolved=False, question__isnull=False):
        comments[comment.question_id].append(comment)
    choice_labels = _choice_labels(version_id)
    values = {q.code: stored_value(q, answers[q.pk]) for q in questions}
    skipped = irrelevant_codes(questions, {c: v for c, v in values.items() if v is not None})
    pillars: dict[int | None, PillarView] = {}
    for question in questions:
        view = pillars.get(question.pillar_id)
        if view is None:
            label = pick(question.pillar.name) if question.pillar else str(_("Other questions"))
            view = pillars[question.pillar_id] = PillarView(question.pillar, label, [])
        answer = answer_text(question, values[question.code], choice_labels.get(question.pk, {}))
        state = "answered" if answer else "unanswered"
        view.questions.append(
            QuestionView(
                question=question,
                label=pick(question.label) or question.code,
                answer=answer,
                comments=comments[question.pk],
                state="skipped" if question.code in skipped else state,
            )
        )
    return list(pillars.values())


def review_comments_for(response: Response, pillar: Pillar | None) -> dict:
    """The open comments of the last return that concern one page of the filling screen: the
    general comment and the comments on questions of this pillar. For the partial
    `surveys/review/_comments_for_page.html` (include it with `review=...`)."""
    if response.status != ResponseStatus.RETURNED:
        return {"general": [], "questions": []}
    comments = response.review_comments.filter(resolved=False).select_related("question")
    general = [comment for comment in comments if comment.question_id is None]
    on_page = [
        comment
        for comment in comments
        if comment.question_id is not None
        and (pillar is None or comment.question.pillar_id == pillar.pk)
    ]
    for comment in on_page:
        comment.question_label = pick(comment.question.label) or comment.question.code
    return {"general": general, "questions": on_page}


# Audit history ----------------------------------------------------------------------------

RESPONSE_FIELDS = (
    "status",
    "review_comment",
    "external_id",
    "respondent_sex",
    "respondent_age_band",
)


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    old: str
    new: str


def _who(record: Any) -> str:
    """Who made a historical record: the user, "the system" for rows written by the system
    (e.g. the seed), and "import by <user>" for rows an import wrote."""
    user = record.history_user
    name = (user.get_full_name() or user.get_username()) if user is not None else ""
    if record.history_change_reason == IMPORTED:
        return str(_("Import by %(user)s") % {"user": name}) if name else str(_("Import"))
    if user is None:
        return str(_("system"))
    return name


def _response_field_display(name: str, value: Any) -> str:
    if name == "status":
        return str(ResponseStatus(value).label) if value in ResponseStatus.values else value
    if name == "respondent_sex":
        return str(Sex(value).label) if value in Sex.values and value else ""
    return value or ""


def response_history(response: Response) -> list[HistoryEntry]:
    """Who changed what and when, newest first: consecutive historical records of the response
    and of each (question, sex) answer compared field by field (django-simple-history keeps
    one record per save; a deleted answer, e.g. after skip logic, shows as a change to empty)."""
    entries: list[HistoryEntry] = []
    previous = None
    for record in response.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        if previous is None:
            entries.append(
                HistoryEntry(record.history_date, _who(record), str(_("Response created")), "", "")
            )
        else:
            for name in RESPONSE_FIELDS:
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    entries.append(
                        HistoryEntry(
                            record.history_date,
                            _who(record),
                            str(Response._meta.get_field(name).verbose_name),
                            _response_field_display(name, old),
                            _response_field_display(name, new),
                        )
                    )
        previous = record
    entries.extend(_answer_history(response))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _record_text(question: Question, record: Any, choice_labels: dict) -> str:
    """One historical answer row as text; a count by sex has a row per sex, shown as its number."""
    if question.kind == QuestionKind.COUNT_BY_SEX:
        return format_number(record.number)
    return answer_text(
        question, stored_value(question, [record]), choice_labels.get(question.pk, {})
    )


REMOVED = _("(removed)")
REMOVED_HIDDEN = _("(removed: no longer asked, by the skip logic of another answer)")


def _answer_history(response: Response) -> list[HistoryEntry]:
    version_id = response.round.version_id
    questions = {q.pk: q for q in Question.objects.filter(version_id=version_id)}
    choice_labels = _choice_labels(version_id)
    last: dict[tuple[int, str], str] = {}
    entries: list[HistoryEntry] = []
    records = (
        Answer.history.filter(response_id=response.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        question = questions.get(record.question_id)
        if question is None:
            continue
        key = (record.question_id, record.sex)
        old = last.get(key, "")
        if record.history_type == "-":
            removed = record.history_change_reason == HIDDEN
            new = str(REMOVED_HIDDEN if removed else REMOVED)
            last[key] = ""
        else:
            new = last[key] = _record_text(question, record, choice_labels)
        if old == new:
            continue
        what = pick(question.label) or question.code
        if record.sex:
            what = f"{what} ({Sex(record.sex).label})"
        entries.append(HistoryEntry(record.history_date, _who(record), what, old, new))
    return entries


# Progress of a round ----------------------------------------------------------------------

PROGRESS_STATUSES = ("draft", "submitted", "returned", "approved")
PROGRESS_COLUMNS = ("expected", "not_started", *PROGRESS_STATUSES)
AXES = ("province", "ministry")
# Depth-2 nodes (the provinces and the ministries under the national root) have paths of two
# treebeard steps.
GROUP_PATH_LENGTH = 2 * Organisation.steplen


def _round_targets(user: AbstractBaseUser, round_: Round) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(target_of_rounds=round_)
        .filter(organisations_in_scope(user, REVIEW_ROLES))
        .annotate(
            response=FilteredRelation(
                "responses",
                condition=Q(responses__round=round_, responses__is_individual=False),
            )
        )
    )


def _group_key(axis: str) -> Any:
    province = Substr("path", 1, GROUP_PATH_LENGTH)
    if axis == "ministry":
        # The sector axis first: a provincial health office counts for the Ministry of Health.
        return Coalesce(F("line_ministry__path"), province)
    return province


def _status_counts() -> dict:
    counts = {
        "expected": Count("pk"),
        "not_started": Count("pk", filter=Q(response__isnull=True)),
    }
    for status in PROGRESS_STATUSES:
        counts[status] = Count("pk", filter=Q(response__status=status))
    return counts


@dataclass
class ProgressRow:
    group: Organisation
    counts: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(column, self.counts[column]) for column in PROGRESS_COLUMNS]


def round_progress(
    user: AbstractBaseUser, round_: Round, axis: str
) -> tuple[list[ProgressRow], list[tuple[str, int]]]:
    """Coverage of the round by province (axis "province") or by ministry ("ministry"), within
    the user's scope: one aggregate query grouped by the depth-2 ancestor (or line ministry),
    plus one to name the groups. Returns the rows and the totals (column, count) over the
    whole scope."""
    kind = OrganisationKind.MINISTRY if axis == "ministry" else OrganisationKind.PROVINCE
    aggregated = list(
        _round_targets(user, round_)
        .annotate(group_path=_group_key(axis))
        .values("group_path")
        .annotate(**_status_counts())
        .order_by("group_path")
    )
    groups = {
        node.path: node
        for node in Organisation.objects.filter(
            path__in=[row["group_path"] for row in aggregated], kind=kind
        )
    }
    totals = dict.fromkeys(PROGRESS_COLUMNS, 0)
    rows = []
    for row in aggregated:
        counts = {column: row[column] for column in PROGRESS_COLUMNS}
        for column in PROGRESS_COLUMNS:
            totals[column] += counts[column]
        if row["group_path"] in groups:
            rows.append(ProgressRow(groups[row["group_path"]], counts))
    rows.sort(key=lambda row: row.group.code)
    return rows, [(column, totals[column]) for column in PROGRESS_COLUMNS]


def progress_group(user: AbstractBaseUser, round_: Round, axis: str, code: str) -> Organisation:
    """A group (province or ministry) of the user's progress table of this round, by code; 404
    for any other, in scope or not, the same as for an unknown code: the page names its group."""
    kind = OrganisationKind.MINISTRY if axis == "ministry" else OrganisationKind.PROVINCE
    group = Organisation.objects.filter(code=code.replace("\x00", "")[:40], kind=kind).first()
    shown = (
        group is not None
        and _round_targets(user, round_)
        .annotate(group_path=_group_key(axis))
        .filter(group_path=group.path)
        .exists()
    )
    require(shown)
    return group


PROGRESS_SORTS = {
    # Quietest first: who has not started, then whose last change is oldest, is who to call.
    "activity": (F("last_activity").asc(nulls_first=True), "code"),
    "recent": (F("last_activity").desc(nulls_last=True), "code"),
    "code": ("code",),
}


def progress_organisations(
    user: AbstractBaseUser,
    round_: Round,
    *,
    axis: str,
    group: Organisation | None,
    column: str,
    kind: str | None = None,
    search: str = "",
    sort: str | None = None,
) -> QuerySet[Organisation]:
    """The organisations behind one number of the progress table (scope-limited), each
    annotated with `response_id`, `response_status` and `last_activity` (the response's last
    change; None when not started); of one kind, or whose code or name contains `search`;
    sorted by `sort` (a key of PROGRESS_SORTS, quietest first by default)."""
    organisations = _round_targets(user, round_).annotate(
        response_id=F("response__id"),
        response_status=F("response__status"),
        last_activity=F("response__updated_at"),
    )
    if group is not None:
        organisations = organisations.annotate(group_path=_group_key(axis)).filter(
            group_path=group.path
        )
    if column in PROGRESS_STATUSES:
        organisations = organisations.filter(response__status=column)
    elif column == "not_started":
        organisations = organisations.filter(response__isnull=True)
    if kind:
        organisations = organisations.filter(kind=kind)
    organisations = organisations.filter(organisation_matches(search))
    return organisations.order_by(
        *PROGRESS_SORTS.get(sort or "activity", PROGRESS_SORTS["activity"])
    )


# Home page --------------------------------------------------------------------------------


def waiting_count(user: AbstractBaseUser) -> int:
    """Submitted responses waiting for this reviewer (or administrator), in their scope."""
    return reviewable_responses(user).filter(status=ResponseStatus.SUBMITTED).count()


def review_home_sections(user: AbstractBaseUser) -> list[dict]:
    """The reviewer's section: responses waiting, progress of open rounds."""
    sections: list[dict] = []
    if has_role(user, *REVIEW_ROLES):
        waiting = waiting_count(user)
        open_rounds = list(Round.objects.filter(status=RoundStatus.OPEN).order_by("closes_on"))
        sections.append(
            {
                "template": "surveys/review/_home_section.html",
                "context": {
                    "waiting": waiting,
                    "rounds": open_rounds,
                    "can_import": can_administer(user),
                },
            }
        )
    return sections
