# One image for web, worker and beat (see docker-compose.yml). Same settings as `make run`:
# everything comes from environment variables.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# PDF exports: Pango/HarfBuzz (WeasyPrint), ICU's Lao dictionary (PyICU builds against
# libicu-dev with pkg-config and a compiler), Chromium for the charts (Kaleido).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz0b fonts-noto-core npm curl libicu-dev pkg-config g++ chromium \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt package.json package-lock.json ./
RUN pip install -r requirements.txt && npm ci --no-audit --no-fund --loglevel=error
COPY . .
# Build-time only values so the management commands can start; the real ones come at run time.
RUN DEBUG=true python manage.py compilemessages -l lo \
 && DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput

# /srv/static and /certs seed the compose volumes `static` (filled by migrate, served by nginx)
# and `certs` (written by the certs job) with the right owner.
RUN useradd --create-home readiness && mkdir -p /app/var/media /srv/static /certs \
 && chown -R readiness /app/var /srv/static /certs
USER readiness
EXPOSE 8000
# docker-compose.yml runs gunicorn behind nginx; never publish this port directly.
CMD ["gunicorn", "readiness.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
