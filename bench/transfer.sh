#!/usr/bin/env bash
# First-visit transfer of a dashboard page as a browser on a slow link would fetch it, from the
# production configuration (DEBUG=false: hashed static files, whitenoise with brotli, long-lived
# cache headers), then what a revisit would download (only the HTML: every static file is
# immutable for a year or more).
#   DATABASE_URL=postgres://127.0.0.1:5432/readiness_dash_bench bench/transfer.sh [PATH]
# (the bench database of bench/dashboards.py, with its user bench-analyst).
set -euo pipefail
cd "$(dirname "$0")/.."
page=${1:-/reports/NAT2026/areas/LA/}
port=8124
export DEBUG=false SECRET_KEY=bench-transfer-0123456789abcdefghijklmnopqrstuvwxyz0123 \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false STATIC_ROOT=$(mktemp -d)
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn readiness.wsgi -b 127.0.0.1:$port -w 2 >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 3
sid=$(.venv/bin/python manage.py shell -c "
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user = get_user_model().objects.get(username='bench-analyst')
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
print(s.session_key)" 2>/dev/null | tail -1)
get() { curl -s -H 'Accept-Encoding: br, gzip' -b "sessionid=$sid" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$1"; }
html=$(get "$page")
html_gzip=$(curl -s -b "sessionid=$sid" "http://127.0.0.1:$port$page" | gzip -6 | wc -c)
total=0
printf '| file | bytes sent | cache |\n|---|---:|---|\n'
assets=$(curl -s -b "sessionid=$sid" "http://127.0.0.1:$port$page" | grep -o '\(src\|href\)="/static/[^"]*"' | sed 's/.*="\(.*\)"/\1/')
fonts=$(curl -s "http://127.0.0.1:$port$(echo "$assets" | grep app\.)" | grep -o 'noto-sans-lao-lao-[47]00-normal[^")]*' | sed 's|^|/static/vendor/noto-sans-lao/|')
for url in $assets $fonts; do
  bytes=$(get "$url")
  cache=$(curl -s -I -H 'Accept-Encoding: br' "http://127.0.0.1:$port$url" | grep -i '^cache-control' | tr -d '\r' | cut -d' ' -f2-)
  total=$((total + bytes))
  printf '| %s | %s | %s |\n' "$url" "$bytes" "$cache"
done
printf '| HTML as gunicorn sends it (uncompressed) | %s | |\n' "$html"
printf '| HTML gzip-compressed (as a proxy in front compresses it) | %s | |\n' "$html_gzip"
echo "first visit: $((total + html)) bytes as served by gunicorn; $((total + html_gzip)) with the HTML compressed"
echo "revisit: the HTML only ($html bytes; $html_gzip compressed)"
