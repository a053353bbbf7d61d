"""Fixtures of the deploy tests (issue 13): one private PostgreSQL cluster and redis-server for
the session, a migrated and seeded database, static files collected with production settings,
a self-signed certificate made by deploy/self_signed_certificate.py, gunicorn and nginx."""

import json
import socket
import subprocess
import threading

import pytest

from tests.deploy.servers import (
    PYTHON,
    ROOT,
    Gunicorn,
    Nginx,
    Postgres,
    Redis,
    manage,
    production_env,
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/deploy/" in str(item.fspath):
            item.add_marker(pytest.mark.deploy)


@pytest.fixture(scope="session")
def postgres():
    cluster = Postgres.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def redis_server():
    server = Redis()
    server.start()
    yield server
    server.stop()


class SilentMailServer:
    """A socket that accepts connections and never says a word (counts them)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.held.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.held:
            connection.close()


@pytest.fixture(scope="session")
def silent_mail_server():
    server = SilentMailServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def world(postgres, redis_server, silent_mail_server, tmp_path_factory):
    """The migrated, seeded database and the production environment of its servers."""
    folder = tmp_path_factory.mktemp("deploy")
    postgres.create_database("readiness")
    env = production_env(
        database_url=postgres.url("readiness"),
        redis_url=redis_server.url,
        folder=folder,
        EMAIL_URL=f"smtp://127.0.0.1:{silent_mail_server.port}",
        EMAIL_TIMEOUT="3",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    seeded = subprocess.run(
        [PYTHON, "tests/deploy/seed_world.py"],
        cwd=ROOT,
        env={**env, "DEBUG": "true", "CELERY_TASK_ALWAYS_EAGER": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    return {"env": env, "folder": folder, "ids": ids}


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs")
    made = subprocess.run(
        [PYTHON, "deploy/self_signed_certificate.py", "--name", "127.0.0.1", "--dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Made a self-signed certificate for 127.0.0.1" in made.stdout
    return folder


@pytest.fixture(scope="session")
def gunicorn(world):
    server = Gunicorn(world["env"])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def nginx(world, gunicorn, certificate):
    server = Nginx(
        world["folder"] / "nginx",
        upstream=f"127.0.0.1:{gunicorn.port}",
        static_root=world["env"]["STATIC_ROOT"],
        cert_dir=certificate,
    )
    yield server
    server.stop()
