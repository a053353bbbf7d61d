#!/bin/sh
# Restores a backup made by deploy/backup.sh:
#
#   restore.sh BACKUP_FOLDER            the database only
#   restore.sh BACKUP_FOLDER --media    the database, then the media folder's content replaced
#
# The database named by PGDATABASE (libpq's PGHOST/PGPORT/PGUSER/PGPASSWORD too) gets every
# table of the backup, replacing what it had; it may be a new empty database (createdb). Stop
# the web, worker and beat services first (README "Backups"). Checksums are verified before
# anything is changed; any error stops the restore and the database is left as it was (one
# transaction).
set -eu
folder=${1:?usage: restore.sh BACKUP_FOLDER [--media]}
media=${MEDIA_DIR:-/media}
(cd "$folder" && sha256sum -c --quiet SHA256SUMS)
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname "${PGDATABASE:?set PGDATABASE}" "$folder/database.dump"
echo "database ${PGDATABASE} restored from $folder"
if [ "${2:-}" = "--media" ]; then
  find "$media" -mindepth 1 -delete
  tar -C "$media" -xzf "$folder/media.tar.gz"
  echo "media $media restored from $folder"
fi
