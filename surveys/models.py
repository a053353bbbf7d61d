"""Questionnaires (versioned, bilingual), rounds, responses and the sex-disaggregated answers."""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisations.models import Organisation
from readiness.i18n import pick
from surveys.scored import CHOICE_KINDS, is_scored


class RespondentType(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation (one response per organisation)")
    INDIVIDUAL = "individual", _("Individual (anonymous respondents)")


class Questionnaire(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.JSONField(_("title"), default=dict)
    respondent_type = models.CharField(
        _("respondents"),
        max_length=20,
        choices=RespondentType.choices,
        default=RespondentType.ORGANISATION,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return pick(self.title) or self.code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


def default_stage_names() -> dict:
    return {
        "1": {"lo": "ເລີ່ມຕົ້ນດ້ານດິຈິຕອນ", "en": "Digitally nascent"},
        "2": {"lo": "ກຳລັງພັດທະນາດ້ານດິຈິຕອນ", "en": "Digitally emerging"},
        "3": {"lo": "ມີຄວາມຄ່ອງຕົວ ແລະ ເຊື່ອມໂຍງດ້ານດິຈິຕອນ", "en": "Digitally agile and integrated"},
        "4": {"lo": "ຫັນເປັນດິຈິຕອນແລ້ວ", "en": "Digitally transformed"},
        "5": {"lo": "ມີນະວັດຕະກຳດ້ານດິຈິຕອນ", "en": "Digitally innovative"},
    }


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Published versions are frozen: change means a new version."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.JSONField(_("title"), default=dict)
    # Content languages of this version, e.g. ["lo", "en"]; the first is the default.
    languages = ArrayField(models.CharField(max_length=10), default=list)
    # Language columns as the XLSForm spelled them, e.g. {"lo": "Lao (lo)"}, for a faithful export.
    language_columns = models.JSONField(default=dict, blank=True)
    stage_names = models.JSONField(_("stage names"), default=default_stage_names)
    form_id = models.CharField(max_length=100, blank=True)
    # Any XLSForm settings we keep for the round trip (form_title, version, style...).
    xlsform_settings = models.JSONField(default=dict, blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="unique_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{pick(self.title) or self.questionnaire} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT

    def stage_name(self, stage: int, language: str | None = None) -> str:
        return pick(self.stage_names.get(str(stage), {}), language)


class Pillar(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="pillars"
    )
    code = models.CharField(_("code"), max_length=60)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_enabler = models.BooleanField(_("enabler"), default=False)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_pillar_code")
        ]

    def __str__(self) -> str:
        return pick(self.name) or self.code


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    COUNT_BY_SEX = "count_by_sex", _("Count by sex (women, men)")
    NOTE = "note", _("Note (text shown to the respondent)")
    # XLSForm's `calculate`: computed from other answers by `calculation` (on the server, and
    # live in the browser), stored with the answers as text (and as a number when it is one).
    CALCULATE = "calculate", _("Calculation")


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    pillar = models.ForeignKey(
        Pillar, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.JSONField(_("label"), default=dict)
    hint = models.JSONField(_("hint"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.TextField(_("relevant"), blank=True)
    constraint = models.TextField(_("constraint"), blank=True)
    constraint_message = models.JSONField(_("constraint message"), default=dict, blank=True)
    # The expression of a CALCULATE question (surveys/expressions.py), empty for other kinds.
    calculation = models.TextField(_("calculation"), blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    # How a number is scored: {"thresholds": [[at_least, score], ...]} or {"ratio_to": "code"};
    # empty for choice questions (their choices carry scores) and unscored questions.
    scoring = models.JSONField(_("scoring"), default=dict, blank=True)
    gender_role = models.CharField(_("gender role"), max_length=60, blank=True)
    list_name = models.CharField(max_length=100, blank=True)
    # The XLSForm group this question sat in, kept for the round trip ({"name":..., "label":{...}}).
    group = models.JSONField(default=dict, blank=True)
    # Anything else from the survey sheet we carry unchanged (appearance, default, ...).
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_question_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_scored(self) -> bool:
        """Whether the question counts in the scores: the one rule, surveys.scored.is_scored,
        which the scoring engine applies too."""
        scoring = self.scoring or {}
        return is_scored(
            self.kind,
            in_pillar=self.pillar_id is not None,
            has_choice_score=self.kind in CHOICE_KINDS
            and any(choice.score is not None for choice in self.choices.all()),
            thresholds=scoring.get("thresholds"),
            ratio_to=scoring.get("ratio_to"),
        )


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    value = models.CharField(_("value"), max_length=100)
    label = models.JSONField(_("label"), default=dict)
    score = models.FloatField(_("score"), null=True, blank=True)
    is_dont_know = models.BooleanField(_("don't know"), default=False)
    order = models.PositiveIntegerField(default=0)
    # Other columns of the choices sheet (media, filters...) carried unchanged for the round trip.
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="unique_choice_value")
        ]

    def __str__(self) -> str:
        return self.value


class Recommendation(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="recommendations"
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="recommendations")
    stage = models.PositiveSmallIntegerField(_("stage"))
    text = models.JSONField(_("text"), default=dict)

    class Meta:
        ordering = ["pillar__order", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["pillar", "stage"], name="unique_recommendation_stage")
        ]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("questionnaire version"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    name = models.JSONField(_("name"), default=dict)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    # How targets were chosen ({"kinds": [...], "subtrees": [codes]});
    # the concrete list is `targets`.
    target_selection = models.JSONField(default=dict, blank=True)
    targets = models.ManyToManyField(Organisation, blank=True, related_name="target_of_rounds")
    # The master plan's target score per pillar code, on the 1-5 scale.
    pillar_targets = models.JSONField(_("pillar targets"), default=dict, blank=True)
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("baseline round"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_on", "code"]

    def __str__(self) -> str:
        return pick(self.name) or self.code


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Sex(models.TextChoices):
    NONE = "", _("Not disaggregated")
    FEMALE = "F", _("Women")
    MALE = "M", _("Men")


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("Under 25")
    FROM_25_TO_34 = "25_34", _("25-34")
    FROM_35_TO_44 = "35_44", _("35-44")
    FROM_45_TO_54 = "45_54", _("45-54")
    FROM_55 = "55_plus", _("55 and over")


class Response(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    # Optimistic locking: every save of answers increments it; a save made against an older
    # value is refused and shown what changed.
    lock_version = models.PositiveIntegerField(default=0)
    # Individual questionnaires: many anonymous responses per organisation, each with sex and age.
    is_individual = models.BooleanField(default=False)
    respondent_sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    respondent_age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, blank=True
    )
    external_id = models.CharField(
        max_length=100, blank=True, help_text=_("Submission id from KoboToolbox/ODK")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # Set when answers change after the last scoring; the sweep scores what is left dirty.
    scored_at = models.DateTimeField(null=True, blank=True)
    # The day the last reminder went out, so the daily task reminds once per day per response.
    last_reminded_on = models.DateField(null=True, blank=True)
    # Individual questionnaires: the one-time nonce of the public form that created this
    # response, so a repeated POST of the same form creates nothing twice.
    form_nonce = models.CharField(max_length=64, blank=True)
    history = HistoricalRecords(excluded_fields=["last_reminded_on"])

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=models.Q(is_individual=False),
                name="one_organisation_response_per_round",
            ),
            models.UniqueConstraint(
                fields=["form_nonce"],
                condition=~models.Q(form_nonce=""),
                name="unique_response_form_nonce",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.organisation}"


class Answer(models.Model):
    """One row per (response, question, sex): the sex-disaggregated store, aggregated directly by
    SQL and pandas. Count-by-sex questions have an 'F' and an 'M' row; the total is derived."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    choices = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "sex"], name="unique_answer")
        ]
        indexes = [models.Index(fields=["question", "sex"])]


class ReviewCommentKind(models.TextChoices):
    RETURN = "return", _("Returned for changes")
    REOPEN = "reopen", _("Reopened")


class ReviewComment(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="review_comments")
    # Why the comment was written: a reviewer returning the response, or an administrator
    # reopening an approved one (the reason is kept here, with its author and time).
    kind = models.CharField(
        max_length=10, choices=ReviewCommentKind.choices, default=ReviewCommentKind.RETURN
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    """For individual questionnaires: a round-scoped link an organisation shares with its staff."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="share_links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_link_per_round_org")
        ]
