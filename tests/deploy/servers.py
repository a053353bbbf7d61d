"""Private servers for the deploy tests: a PostgreSQL cluster (initdb/pg_ctl in a temporary
folder), a redis-server, gunicorn with production settings and Debian's nginx with the proxy
configuration of deploy/nginx/ — each on a free loopback port, each stopped by its fixture.
The machine's shared PostgreSQL and Redis are never touched."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "readiness.conf.template"
PYTHON = sys.executable


def _postgres_bin() -> Path:
    """The server's programs (initdb, pg_ctl): Debian keeps them off PATH."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if installed:
        return installed[-1].parent
    return Path(shutil.which("initdb") or "initdb").parent


PG_BIN = _postgres_bin()
SECRET = "deploy-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, seconds: float = 60, what: str = "server") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not start within {seconds} s")


def _as_postgres(command: list[str]) -> None:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user when we are root.
    Output goes nowhere, never into a pipe: the server pg_ctl starts would inherit it and hold
    it open, and a caller reading it to the end would wait for ever."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class Postgres:
    """A private cluster: `url(database)` for Django, `restart()`, `stop()`."""

    data: Path
    port: int

    @classmethod
    def start(cls) -> Postgres:
        """initdb in a new folder of /tmp (the postgres user must reach it), then start."""
        folder = Path(tempfile.mkdtemp(prefix="readiness-test-pg-"))
        folder.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        data = folder / "data"
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
        cluster = cls(data=data, port=free_port())
        cluster._ctl("start", "-w")
        return cluster

    def _ctl(self, *arguments: str) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1"
        log = str(self.data.parent / "log")
        _as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, *arguments]
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                name,
            ],
            check=True,
        )

    def restart(self) -> None:
        self._ctl("restart", "-w", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.data.parent, ignore_errors=True)


class Redis:
    """A private redis-server that keeps nothing on disk; `stop()` and `start()` again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), 1), what="redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def production_env(*, database_url: str, redis_url: str, folder: Path, **extra: str) -> dict:
    """The environment of a server: DEBUG=false, the deploy settings, private services."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.deploy.settings_deploy",
        DEBUG="false",
        DEMO="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS="",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        TRUSTED_PROXIES="127.0.0.1",
        EMAIL_URL="consolemail://",
        SECURE_HSTS_PRELOAD="false",
    )
    env.update(extra)
    return env


def manage(env: dict, *arguments: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)}: {done.stderr[-3000:]}")
    return done.stdout


class Gunicorn:
    """gunicorn as docker-compose.yml runs it (sync workers), on a loopback port."""

    def __init__(self, env: dict, *, workers: int = 3) -> None:
        self.port = free_port()
        self.log = Path(env["MEDIA_ROOT"]).parent / f"gunicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "readiness.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
        )
        wait_for(self._healthy, what="gunicorn")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
        answer = requests.get(
            f"http://127.0.0.1:{self.port}/health/", headers={"Host": "localhost"}, timeout=2
        )
        return answer.status_code == 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def render_template(values: dict[str, str]) -> str:
    """deploy/nginx/readiness.conf.template with ${NAME} replaced as the nginx image's envsubst
    does (only the names given; nginx's own $variables stay)."""
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    left = re.findall(r"\$\{[A-Z_]+\}", text)
    if left:
        raise ValueError(f"template variables without a value: {sorted(set(left))}")
    return text


class Nginx:
    """Debian's nginx running the proxy configuration in front of `upstream`."""

    def __init__(self, folder: Path, *, upstream: str, static_root: str, cert_dir: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.http_port, self.https_port = free_port(), free_port()
        site = render_template(
            {
                "SERVER_NAME": "127.0.0.1",
                "LISTEN_HTTP": str(self.http_port),
                "LISTEN_HTTPS": str(self.https_port),
                "HTTPS_PORT": str(self.https_port),
                "UPSTREAM": upstream,
                "STATIC_ROOT": static_root,
                "CERT_DIR": str(cert_dir),
                "ACME_ROOT": str(folder / "acme"),
            }
        )
        (folder / "readiness.conf").write_text(site)
        user = "user root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    # As the official image's nginx.conf: the template must not repeat these.
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    # As the image's conf.d/default.conf: a welcome page on the same port, which must not win.
    server {{ listen {self.http_port}; server_name localhost; return 418; }}
    include {folder}/readiness.conf;
}}
"""
        )
        self.folder = folder
        checked = subprocess.run(
            ["nginx", "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
            capture_output=True,
            text=True,
        )
        if checked.returncode:
            raise RuntimeError(f"nginx -t: {checked.stderr}")
        self.process = subprocess.Popen(
            ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.https_port), 1), what="nginx")

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
