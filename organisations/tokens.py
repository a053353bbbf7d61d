"""The page "API tokens" (/api/tokens/): a user makes personal tokens for the read-only API
(the secret shown once), names them, sees when each was last used and revokes them; a platform
administrator also sees every user's live tokens and revokes any."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from organisations.access import can_administer, require
from organisations.models import ApiToken
from organisations.services.tokens import MAX_DAYS, api_token_create, api_token_revoke
from readiness.paging import paged

DAYS = [(30, 30), (90, 90), (180, 180), (365, 365)]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “Power BI of the planning unit”."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for (days)"),
        choices=DAYS,
        coerce=int,
        initial=90,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(gettext_lazy("Give the token a name."))
        return name


def _page(request: HttpRequest, form: TokenForm, secret: str = "", status: int = 200):
    own = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    everyone = None
    if can_administer(request.user):
        live = ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
        everyone = paged(request, live.select_related("user").order_by("-created_at"))
    return render(
        request,
        "organisations/tokens.html",
        {
            "form": form,
            "secret": secret,
            "own": paged(request, own, param="mine"),
            "everyone": everyone,
            "now": timezone.now(),
            "max_days": MAX_DAYS,
        },
        status=status,
    )


def token_list(request: HttpRequest) -> HttpResponse:
    """GET: the page; POST: make a token and show its secret once."""
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    _token, secret = api_token_create(
        user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    return _page(request, TokenForm(), secret=secret, status=201)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner revokes its token; a platform administrator revokes anyone's."""
    token = get_object_or_404(ApiToken, pk=pk)
    require(token.user_id == request.user.pk or can_administer(request.user))
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens:list")


app_name = "api_tokens"
urlpatterns = [
    path("", token_list, name="list"),
    path("<int:pk>/revoke/", token_revoke, name="revoke"),
]
