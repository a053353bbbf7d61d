#!/bin/sh
# A backup of the product: the PostgreSQL database (pg_dump, custom format) and the private
# media (uploads, exports), in one folder named by the UTC time, with checksums. Folders older
# than BACKUP_KEEP_DAYS are deleted after a backup succeeds.
#
#   PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE  the database (libpq's variables)
#   MEDIA_DIR          the media folder (default /media)
#   BACKUP_DIR         where backups go (default /backups)
#   BACKUP_KEEP_DAYS   days a backup is kept (default 14)
#
# docker-compose.yml's `backup` service runs it every night; README "Backups" says how to run it
# by hand and how to restore (deploy/restore.sh). Tested by tests/deploy/test_backup.py.
set -eu
dest=${BACKUP_DIR:-/backups}
media=${MEDIA_DIR:-/media}
keep=${BACKUP_KEEP_DAYS:-14}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$dest/$stamp.partial"
mkdir -p "$work"
pg_dump --format=custom --no-owner --no-privileges --file "$work/database.dump"
tar -C "$media" -czf "$work/media.tar.gz" .
(cd "$work" && sha256sum database.dump media.tar.gz > SHA256SUMS)
mv "$work" "$dest/$stamp"
touch "$dest/last-success"
find "$dest" -mindepth 1 -maxdepth 1 -type d -name '2*' -mtime +"$keep" -exec rm -rf {} +
echo "backup $dest/$stamp: $(du -sh "$dest/$stamp" | cut -f1)"
