"""Scores and aggregates, written by the scoring engine (reports/scoring/engine.py; the method is in
README.md, "Scoring method").

Every table here is derived data: the scoring of a round replaces its rows in one transaction, so
a dashboard or an export never sees half a round, and running it twice gives the same rows.
Their foreign keys carry no database constraint and no index of their own: the rows are written
only by the scoring from ids it has just read, the unique constraints (round or response first)
serve the lookups, and every extra index or deferred check slowed the COPY of a national round's
200,000 rows; deletion still cascades through Django."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from surveys.models import Response, Round

# The pillar code under which a response's or an area's overall readiness is stored.
OVERALL = "_overall"


class PriorityClass(models.TextChoices):
    NONE = "", _("No target or no score")
    QUICK_WIN = "quick_win", _("Quick win")
    BUILD_FOUNDATIONS = "build_foundations", _("Build foundations")
    ON_TRACK = "on_track", _("On track")


class Axis(models.TextChoices):
    TREE = "tree", _("Administrative tree")
    SECTOR = "sector", _("Line ministry (sector)")


class RoundScoring(models.Model):
    """When a round's scores were last computed, and whether a recomputation is pending.

    `aggregate_pending` is the debounce flag: the first change in a burst sets it and sends one
    delayed task; the changes that follow see it set and send nothing."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="scoring")
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    responses_scored = models.PositiveIntegerField(_("responses scored"), default=0)
    aggregate_pending = models.BooleanField(default=False)
    aggregate_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("round scoring")
        verbose_name_plural = _("round scorings")

    def __str__(self) -> str:
        return f"{self.round} · {self.computed_at}"


class GapAndPriority(models.Model):
    """The gap to the round's target and the priority-matrix placement (README, Scoring)."""

    target = models.FloatField(_("target"), null=True)
    gap = models.FloatField(_("gap"), null=True)
    enabler_readiness = models.FloatField(_("enabler readiness"), null=True)
    priority_class = models.CharField(
        _("priority class"), max_length=20, choices=PriorityClass.choices, blank=True
    )
    priority = models.FloatField(_("priority"), null=True)

    class Meta:
        abstract = True


class ResponseScore(GapAndPriority):
    """One row per scored response and pillar, plus one row with pillar = OVERALL."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="scores",
        db_constraint=False,
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    pillar = models.CharField(_("pillar"), max_length=60)
    # On UNDP's 1-5 scale; null when the pillar had no scored answer (never 1 by default).
    score = models.FloatField(_("score"), null=True)
    stage = models.PositiveSmallIntegerField(_("stage"), null=True)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    dont_know = models.PositiveIntegerField(_("don't know"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    unanswered = models.PositiveIntegerField(_("unanswered"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "pillar"], name="unique_response_pillar_score"
            )
        ]
        indexes = [models.Index(fields=["round", "pillar"])]


# One pillar's result of a response (fields of ResponseScore and GapAndPriority), in the order
# the results API and the organisation dashboard read it.
RESPONSE_SCORE_COLUMNS = (
    "pillar",
    "score",
    "stage",
    "answered",
    "dont_know",
    "skipped",
    "unanswered",
    "target",
    "gap",
    "enabler_readiness",
    "priority_class",
    "priority",
)


class AreaResult(models.Model):
    """A result for one node of the tree or one line ministry (axis) in a round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    axis = models.CharField(_("axis"), max_length=10, choices=Axis.choices)

    class Meta:
        abstract = True


class AreaAggregate(AreaResult, GapAndPriority):
    """Member scores of a node of the tree (its whole subtree) or of a line ministry (its
    subtree and its sector offices), per pillar and overall."""

    pillar = models.CharField(_("pillar"), max_length=60)
    n = models.PositiveIntegerField(_("scored responses"), default=0)
    mean = models.FloatField(_("mean"), null=True)
    median = models.FloatField(_("median"), null=True)
    minimum = models.FloatField(_("minimum"), null=True)
    maximum = models.FloatField(_("maximum"), null=True)
    # The stage of the mean (reports.scoring.stage_of), stored with it so that every reader,
    # SQL included (the CSV export's COPY), takes the one stage rule's result.
    stage = models.PositiveSmallIntegerField(_("stage"), null=True)
    expected = models.PositiveIntegerField(_("expected"), default=0)
    submitted = models.PositiveIntegerField(_("submitted"), default=0)
    approved = models.PositiveIntegerField(_("approved"), default=0)
    dont_know_share = models.FloatField(_("share of don't know"), null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "axis", "pillar"], name="unique_area_aggregate"
            )
        ]


# An area's member scores of one pillar (AreaAggregate; scores 1-5), the first columns the
# area-results API and the area dashboard read.
AGGREGATE_SCORE_COLUMNS = (
    "pillar",
    "n",
    "mean",
    "median",
    "minimum",
    "maximum",
)


class GenderIndicator(AreaResult):
    """Sex-disaggregated counts of one gender role summed over a node's members."""

    gender_role = models.CharField(_("gender role"), max_length=60)
    responses = models.PositiveIntegerField(_("responses"), default=0)
    women = models.FloatField(_("women"), default=0)
    men = models.FloatField(_("men"), default=0)
    female_share = models.FloatField(_("female share"), null=True)
    # (women in the role / all women staff) / (men in the role / all men staff), over the
    # responses that reported both the role and all staff.
    parity_index = models.FloatField(_("parity index"), null=True)
    # Responses that gave one sex of a count and left the other empty: out of all the above.
    incomplete = models.PositiveIntegerField(_("incomplete counts left out"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "axis", "gender_role"],
                name="unique_gender_indicator",
            )
        ]


class SexScore(AreaResult):
    """Individual questionnaires: mean scores of women and men respondents, and the gap."""

    pillar = models.CharField(_("pillar"), max_length=60)
    women_n = models.PositiveIntegerField(default=0)
    men_n = models.PositiveIntegerField(default=0)
    women_mean = models.FloatField(null=True)
    men_mean = models.FloatField(null=True)
    # women_mean - men_mean: negative when women score lower.
    gap = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "axis", "pillar"], name="unique_sex_score"
            )
        ]


class ExportWhat(models.TextChoices):
    """What an export contains. The tables go to Excel or CSV; the documents to PDF (and the
    master-plan input also to Word)."""

    WORKBOOK = "workbook", _("All tables of the round")
    SUMMARY = "summary", _("Summary")
    SCORES = "scores", _("Organisation results")
    AGGREGATES = "aggregates", _("Results by area and ministry")
    GENDER = "gender", _("Gender indicators")
    ANSWERS = "answers", _("Raw answers")
    CODEBOOK = "codebook", _("Codebook")
    REPORT = "report", _("Report (national or area)")
    SCORECARD = "scorecard", _("Organisation scorecard")
    MASTERPLAN = "masterplan", _("Master-plan input")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook")
    CSV = "csv", _("CSV (zip)")
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word document")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class ReportJob(models.Model):
    """One export, run by Celery (reports/exports/jobs.py). Queued -> running (progress,
    heartbeat) -> done (a private file under MEDIA_ROOT) or failed (an error a person can act
    on); done files expire. While one is queued or running, the same request (same `key`)
    joins it: the partial unique constraint makes that race-free."""

    key = models.CharField(max_length=200)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(_("content"), max_length=20, choices=ExportWhat.choices)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.CharField(max_length=300, blank=True)  # relative to MEDIA_ROOT
    file_name = models.CharField(max_length=200, blank=True)  # offered to the browser
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Everyone who asked for it while it was queued or running (the first included).
    requesters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="report_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_report_job_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.what}.{self.format} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES
