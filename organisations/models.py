"""The administrative tree (materialized path, django-treebeard) and role assignments."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from readiness.i18n import pick


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", _("National")
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department")
    PROVINCE = "province", _("Province")
    PROVINCIAL_OFFICE = "provincial_office", _("Provincial office")
    DISTRICT = "district", _("District")
    DISTRICT_OFFICE = "district_office", _("District office")
    VILLAGE = "village", _("Village")
    OTHER = "other", _("Other")


class Organisation(MP_Node):
    """A node of the tree: the Lao PDR, a ministry, province, district, village or office.

    `parent` is the tree (materialized path); `line_ministry` is the sector axis, so a provincial
    health office rolls up both to its province and to the Ministry of Health."""

    steplen = 4  # 36**4 children per node: room for every village of a district

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.JSONField(_("name"), default=dict)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=10, blank=True)
    line_ministry = models.ForeignKey(
        "self",
        verbose_name=_("line ministry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sector_members",
        limit_choices_to={"kind": OrganisationKind.MINISTRY},
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind"])]
        constraints = [
            # la1899 and LA1899 are one code (the import compares codes the same way).
            models.UniqueConstraint(
                Upper("code"),
                name="organisation_code_unique_ignoring_case",
                violation_error_message=_(
                    "An organisation with this code (in any letter case) already exists."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick(self.name)

    @property
    def name_lo(self) -> str:
        return self.name.get("lo", "")

    @property
    def name_en(self) -> str:
        return self.name.get("en", "")


class Role(models.TextChoices):
    FOCAL_POINT = "focal_point", _("Focal point")
    REVIEWER = "reviewer", _("Reviewer")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleAssignment(models.Model):
    """A user holds a role scoped to one node, and so to its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="unique_role_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class ApiToken(models.Model):
    """A personal token for the read-only API (/api/v1/): it acts as its user, with the user's
    roles and nothing more. Only a SHA-256 hash of the secret is stored (the secret is shown
    once, when it is made); `prefix` (its first characters) lets people tell tokens apart.
    A token stops working when it expires or is revoked (by its owner or an administrator)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
