from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from readiness import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("health/", views.health, name="health"),
    path("organisations/", include("organisations.urls")),
    path("surveys/", include("surveys.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/tokens/", include("organisations.tokens")),
    path("admin/", admin.site.urls),
]

# The product's own error pages, in the page's language with the navigation (readiness/errors.py).
handler400 = "readiness.errors.bad_request"
handler403 = "readiness.errors.permission_denied"
handler404 = "readiness.errors.page_not_found"
handler500 = "readiness.errors.server_error"
