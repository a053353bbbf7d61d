from django.urls import include, path

from reports import views
from reports.dashboards import views as dashboards

app_name = "reports"

AREA = "<slug:round_code>/areas/<str:code>/"
CARD = "<slug:round_code>/organisations/<str:code>/"

urlpatterns: list = [
    path("method/", views.method, name="method"),
    path("exports/", include("reports.exports.urls")),
    path("", dashboards.index, name="index"),
    path("switch/", dashboards.switch, name="switch"),
    path(AREA, dashboards.area, name="area"),
    path(AREA + "gender/", dashboards.area, {"view": "gender"}, name="gender"),
    path(AREA + "progress/", dashboards.area, {"view": "progress"}, name="progress"),
    path(
        AREA + "progress/organisations/",
        dashboards.transition_organisations,
        name="transition_organisations",
    ),
    path(
        AREA + "tables/<str:view>/<slug:panel>.<str:fmt>",
        dashboards.area_table,
        name="area_table",
    ),
    path(CARD, dashboards.scorecard, name="scorecard"),
    path(
        CARD + "tables/<slug:panel>.<str:fmt>", dashboards.scorecard_table, name="scorecard_table"
    ),
]
