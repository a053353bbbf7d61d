"""Production settings (readiness.settings with DEBUG=false) for the deploy tests' gunicorn, but
for one thing: collectstatic skips WhiteNoise's compression (which takes over a minute for
Plotly and the fonts); the files keep their hashed names, which is what the proxy's cache rules
look at."""

from readiness.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
