#!/usr/bin/env bash
# Starts web, Celery worker and Celery beat together; Ctrl-C (or the end of any one) stops all.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PORT=${PORT:-8000}
mkdir -p var

if [ "${DEMO:-false}" = "true" ]; then
  $VENV/bin/python manage.py load_demo_data || exit 1
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "ກຳລັງຢຸດ / Stopping web, worker and beat..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait
  exit 0
}
trap stop INT TERM EXIT

$VENV/bin/celery -A readiness worker --loglevel=INFO --concurrency=2 &
pids+=($!)
$VENV/bin/celery -A readiness beat --loglevel=INFO &
pids+=($!)
$VENV/bin/gunicorn readiness.wsgi --bind "127.0.0.1:$PORT" --workers 3 --timeout 120 --access-logfile - &
pids+=($!)

# The banner comes after the services' own start-up lines: gunicorn answers, and the worker
# answers a ping (it prints "ready" just before); beat logs its start at once.
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/health/" >/dev/null 2>&1 && break
  sleep 0.5
done
for _ in $(seq 1 30); do
  $VENV/bin/celery -A readiness inspect ping --timeout 1 >/dev/null 2>&1 && break
  sleep 1
done
sleep 1
echo
echo "================================================================"
echo " ລະບົບກຳລັງເຮັດວຽກ / The readiness platform is running: http://127.0.0.1:$PORT/"
if [ "${DEMO:-false}" = "true" ]; then
  $VENV/bin/python manage.py load_demo_data --list
fi
echo " ກົດ Ctrl-C ເພື່ອຢຸດ / Press Ctrl-C to stop web, worker and beat."
echo "================================================================"
wait -n
stop
