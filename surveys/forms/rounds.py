"""Forms of the round screens (platform administrators)."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, OrganisationKind
from readiness.i18n import pick
from readiness.paging import VALUE_MAX_LENGTH, ListFilterForm
from readiness.widgets import DATE_HINT, DateTextInput
from surveys.models import QuestionnaireVersion, Round, RoundStatus, VersionStatus

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(text: str) -> list[str]:
    return [code for code in CODE_SEPARATORS.split(text or "") if code]


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionnaireVersion) -> str:
        return f"{obj.questionnaire} · v{obj.number}"


class RoundVersionForm(forms.Form):
    """First step: which published questionnaire version the round uses (its pillars give
    the target fields of the second step)."""

    version = VersionChoiceField(
        label=_("Questionnaire version"),
        empty_label=_("Choose a questionnaire version"),
        queryset=QuestionnaireVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "questionnaire"
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RoundForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("e.g. dra-2026"))
    name_lo = forms.CharField(label=_("Name in Lao"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateTextInput, help_text=DATE_HINT)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateTextInput, help_text=DATE_HINT)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        choices=[
            (k, label) for k, label in OrganisationKind.choices if k != OrganisationKind.NATIONAL
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of organisation.")},
    )
    subtrees = forms.CharField(
        label=_("Within (organisation codes)"),
        required=False,
        max_length=2000,
        help_text=_(
            "Codes of the provinces, ministries or other units whose subtree is targeted, "
            "separated by spaces or commas. Leave empty for the whole country."
        ),
    )
    baseline = forms.ModelChoiceField(
        label=_("Baseline round"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=_("No baseline round"),
    )

    def __init__(
        self, *args, version: QuestionnaireVersion, instance: Round | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.instance = instance
        self.fields["baseline"].queryset = Round.objects.filter(
            version__questionnaire=version.questionnaire
        ).exclude(pk=getattr(instance, "pk", None))
        for pillar in version.pillars.order_by("order"):
            self.fields[f"target_{pillar.code}"] = forms.DecimalField(
                label=_("Target for %(pillar)s (1–5)") % {"pillar": pick(pillar.name)},
                min_value=1,
                max_value=5,
                max_digits=3,
                decimal_places=1,
                initial=3,
            )
        if instance is not None:
            self.fields["code"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.instance is None and Round.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A round with this code already exists."))
        return code

    def clean_subtrees(self) -> list[str]:
        codes = split_codes(self.cleaned_data.get("subtrees", ""))
        known = set(Organisation.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise forms.ValidationError(
                _("Unknown organisation codes: %(codes)s") % {"codes": ", ".join(unknown[:20])}
            )
        return codes

    def clean(self) -> dict:
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date cannot be before the opening date."))
        return cleaned

    def pillar_targets(self) -> dict[str, float]:
        return {
            name.removeprefix("target_"): float(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("target_")
        }

    def round_fields(self) -> dict:
        """The keyword arguments round_create and round_update share."""
        data = self.cleaned_data
        return {
            "name": {"lo": data["name_lo"], "en": data["name_en"]},
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "kinds": data["kinds"],
            "subtree_codes": data["subtrees"],
            "pillar_targets": self.pillar_targets(),
            "baseline": data["baseline"],
        }

    @classmethod
    def initial_from(cls, round_: Round) -> dict:
        initial = {
            "code": round_.code,
            "name_lo": round_.name.get("lo", ""),
            "name_en": round_.name.get("en", ""),
            "opens_on": round_.opens_on,
            "closes_on": round_.closes_on,
            "kinds": round_.target_selection.get("kinds", []),
            "subtrees": " ".join(round_.target_selection.get("subtrees", [])),
            "baseline": round_.baseline_id,
        }
        initial.update({f"target_{code}": value for code, value in round_.pillar_targets.items()})
        return initial


class TargetsAddForm(forms.Form):
    codes = forms.CharField(
        label=_("Add organisations (codes)"),
        max_length=5000,
        help_text=_("Separate codes with spaces or commas."),
    )

    def clean_codes(self) -> list[Organisation]:
        codes = split_codes(self.cleaned_data["codes"])
        found = {o.code: o for o in Organisation.objects.filter(code__in=codes, active=True)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown organisation codes: %(codes)s") % {"codes": ", ".join(unknown[:20])}
            )
        return list(found.values())


class RoundFilterForm(ListFilterForm):
    """The rounds list: search by the round's code or name, filter by status."""

    q = forms.CharField(label=_("Round name or code"), required=False, max_length=VALUE_MAX_LENGTH)
    status = forms.ChoiceField(
        required=False,
        label=_("Status"),
        choices=[("", _("All statuses")), *RoundStatus.choices],
    )


class TargetFilterForm(ListFilterForm):
    """The target organisations of a round: search by code or name, filter by kind."""

    kind = forms.ChoiceField(
        required=False,
        label=_("Kind of organisation"),
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
