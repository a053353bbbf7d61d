"""The product's URLs plus views that fail on purpose, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db.utils import OperationalError
from django.urls import path

from readiness.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required
def refuses(request):
    raise PermissionDenied


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("tampered")


@login_not_required
def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [
    path("test-errors/403/", refuses),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", database_down),
    *urlpatterns,
]
