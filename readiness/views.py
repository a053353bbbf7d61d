from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from organisations.access import roles_of


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    """Each role sees what is theirs: the apps contribute their own home sections."""
    from reports.dashboards.home import home_sections as report_sections
    from surveys.selectors.home import home_sections as survey_sections

    sections = survey_sections(request.user) + report_sections(request.user)
    return render(
        request,
        "home.html",
        {"assignments": roles_of(request.user), "sections": sections},
    )


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: the web process answers and reaches PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
