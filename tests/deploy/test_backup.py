"""Backups (issue 13, point 4): deploy/backup.sh dumps a seeded database and the media folder;
deploy/restore.sh restores them into a fresh database (a unique name on the shared server,
dropped afterwards) and a fresh media folder, which hold the same responses and answers."""

import os
import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection
from django.test import Client

from organisations.models import OrganisationKind, Role
from surveys.models import Answer, Response
from tests.deploy.servers import ROOT
from tests.factories import UserFactory, grant, make_filling_round, make_organisation
from tests.surveys.test_filling import fill_everything


def _libpq_env(database: str, **extra) -> dict:
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": database, "PGHOST": settings["HOST"] or "127.0.0.1"}
    env["PGPORT"] = str(settings["PORT"] or 5432)
    if settings["USER"]:
        env["PGUSER"] = settings["USER"]
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    env.update(extra)
    return env


def _rows(dsn_database: str) -> dict:
    """Responses and answers as plain tuples, read straight from a database."""
    settings = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=dsn_database,
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
        ) as db,
        db.cursor() as cursor,
    ):
        tables = {}
        for model in (Response, Answer):
            cursor.execute(f"SELECT * FROM {model._meta.db_table} ORDER BY id")  # noqa: S608
            tables[model.__name__] = cursor.fetchall()
    return tables


@pytest.fixture
def seeded(transactional_db, tmp_path):
    """Committed data (the dump must see it): a round of three districts, two answered."""
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    province = make_organisation(code="LA01", kind=OrganisationKind.PROVINCE, parent=nation)
    districts = [
        make_organisation(code=f"LA010{n}", kind=OrganisationKind.DISTRICT, parent=province)
        for n in range(1, 4)
    ]
    round_ = make_filling_round(organisations=districts)
    focal = UserFactory(username="focal")
    for district in districts:
        grant(focal, Role.FOCAL_POINT, district)
    client = Client()
    client.force_login(focal)
    for district in districts[:2]:
        fill_everything(client, Response.objects.get(round=round_, organisation=district))
    media = tmp_path / "media"
    (media / "exports").mkdir(parents=True)
    (media / "exports" / "results.csv").write_text("ລະຫັດ,score\nLA0101,3.5\n", encoding="utf-8")
    return media


def test_a_backup_restores_into_a_fresh_database_with_the_same_answers(seeded, tmp_path):
    source = connection.settings_dict["NAME"]
    before = _rows(source)
    assert len(before["Response"]) == 3
    assert len(before["Answer"]) >= 10
    backups = tmp_path / "backups"
    made = subprocess.run(
        ["sh", str(ROOT / "deploy" / "backup.sh")],
        env=_libpq_env(source, BACKUP_DIR=str(backups), MEDIA_DIR=str(seeded)),
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    (folder,) = [path for path in backups.iterdir() if path.is_dir()]
    assert (backups / "last-success").exists()

    target = f"restore_{uuid.uuid4().hex[:12]}"
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    (restored_media / "stale.txt").write_text("replaced by the restore")
    subprocess.run(["createdb", target], env=_libpq_env(source), check=True)
    try:
        done = subprocess.run(
            ["sh", str(ROOT / "deploy" / "restore.sh"), str(folder), "--media"],
            env=_libpq_env(target, MEDIA_DIR=str(restored_media)),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert _rows(target) == before
    finally:
        subprocess.run(["dropdb", "--if-exists", target], env=_libpq_env(source), check=True)
    assert not (restored_media / "stale.txt").exists()
    restored = restored_media / "exports" / "results.csv"
    assert restored.read_text(encoding="utf-8") == "ລະຫັດ,score\nLA0101,3.5\n"


def test_a_damaged_backup_is_refused_before_anything_changes(seeded, tmp_path):
    source = connection.settings_dict["NAME"]
    backups = tmp_path / "backups"
    subprocess.run(
        ["sh", str(ROOT / "deploy" / "backup.sh")],
        env=_libpq_env(source, BACKUP_DIR=str(backups), MEDIA_DIR=str(seeded)),
        check=True,
        capture_output=True,
    )
    (folder,) = [path for path in backups.iterdir() if path.is_dir()]
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"damaged")
    refused = subprocess.run(
        ["sh", str(ROOT / "deploy" / "restore.sh"), str(folder), "--media"],
        env=_libpq_env(source, MEDIA_DIR=str(tmp_path / "nowhere")),
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "database.dump: FAILED" in refused.stdout + refused.stderr
    assert Response.objects.count() == 3
