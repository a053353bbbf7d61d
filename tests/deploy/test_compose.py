"""docker-compose.yml (issue 13, points 1, 4 and 6): valid for Compose (Debian's docker-compose
checks it against the Compose Specification's schema; there is no Docker engine here), only the
proxy published, health checks and restarts everywhere, workers that scale, files it mounts
present. The proxy's configuration itself runs in test_proxy.py."""

import shutil
import subprocess

import pytest
import yaml

from tests.deploy.servers import ROOT

COMPOSE = ROOT / "docker-compose.yml"
ONE_OFF = {"migrate", "certs"}
ENV = "SERVER_NAME=192.168.10.20\nSECRET_KEY=s\nPOSTGRES_PASSWORD=p\n"


def _compose_cli() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    done = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    if shutil.which("docker") and done.returncode == 0:
        return ["docker", "compose"]
    pytest.fail("no Compose CLI: apt-get install docker-compose (.ci/run does)")


def _config(tmp_path, env_text: str) -> subprocess.CompletedProcess:
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    (tmp_path / ".env").write_text(env_text)
    return subprocess.run(
        [*_compose_cli(), "config"], cwd=tmp_path, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_accepts_the_file(tmp_path):
    done = _config(tmp_path, ENV)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(done.stdout)
    assert config["services"]["proxy"]["environment"]["SERVER_NAME"] == "192.168.10.20"
    web_env = config["services"]["web"]["environment"]
    assert web_env["ALLOWED_HOSTS"] == "192.168.10.20,localhost"
    assert web_env["TRUSTED_PROXIES"] == "172.31.250.0/24"
    assert web_env["DEBUG"] == "false"


def test_compose_names_a_missing_setting(tmp_path):
    done = _config(tmp_path, "SECRET_KEY=s\nPOSTGRES_PASSWORD=p\n")
    assert done.returncode != 0
    assert "set SERVER_NAME in .env" in done.stderr


def test_only_the_proxy_is_published(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["image"].startswith("nginx:")


def test_every_long_running_service_is_checked_and_restarted(services):
    for name, service in services.items():
        if name in ONE_OFF:
            assert service["restart"] == "no", name
            continue
        assert service["restart"] == "unless-stopped", name
        assert service.get("healthcheck", {}).get("test"), name


def test_workers_scale(services):
    worker = services["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert "celery -A readiness worker" in worker["command"]


def test_the_files_it_mounts_exist(services):
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name}: {source}"
