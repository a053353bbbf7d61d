#!/usr/bin/env bash
# Backup and restore times of a national round (README "Backups"; bench/README.md):
#   DATABASE_URL=postgres://127.0.0.1:5432/readiness_bench_backup bench/backup_restore.sh
# Seeds the round ROUND (default national-bench) once with manage.py seed_national (kept for
# the next run), then times deploy/backup.sh and deploy/restore.sh into a new database with a
# unique name, prints what the restored database holds beside the source, and drops it.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a database of your own}"
export DEBUG=true CELERY_TASK_ALWAYS_EAGER=true
PY=.venv/bin/python
$PY manage.py ensure_database
$PY manage.py migrate --noinput -v0
$PY manage.py load_reference_data >/dev/null
if [ "$(psql "$DATABASE_URL" -Atc "select count(*) from surveys_round where code = '${ROUND:=national-bench}'")" = 0 ]; then
  $PY manage.py seed_national --round "$ROUND"
fi
database=${DATABASE_URL##*/}
base=${DATABASE_URL%/*}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/media" "$work/backups"
counts="select (select count(*) from surveys_response), (select count(*) from surveys_answer)"
echo "source: $(psql "$DATABASE_URL" -Atc "$counts") responses|answers," \
  "$(psql "$DATABASE_URL" -Atc "select pg_size_pretty(pg_database_size(current_database()))")"
start=$(date +%s%N)
PGDATABASE=$database MEDIA_DIR=$work/media BACKUP_DIR=$work/backups \
  PGHOST=$(echo "$base" | sed -E 's#.*//([^:/]+).*#\1#') deploy/backup.sh
backup_ms=$(( ($(date +%s%N) - start) / 1000000 ))
folder=$(ls -d "$work"/backups/2*)
target="${database}_restore_$(date +%s)"
psql "$DATABASE_URL" -qc "create database $target"
start=$(date +%s%N)
PGDATABASE=$target MEDIA_DIR=$work/media \
  PGHOST=$(echo "$base" | sed -E 's#.*//([^:/]+).*#\1#') deploy/restore.sh "$folder" --media
restore_ms=$(( ($(date +%s%N) - start) / 1000000 ))
restored=$(psql "$base/$target" -Atc "$counts")
psql "$DATABASE_URL" -qc "drop database $target"
echo "backup ${backup_ms} ms ($(du -sh "$folder" | cut -f1)), restore ${restore_ms} ms; restored: $restored responses|answers"
