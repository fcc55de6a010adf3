"""The image, checked without a container engine (none can pull a base image here).

The test reads the Dockerfile, assembles exactly what its build stage copies (honouring
.dockerignore), builds and installs that into a fresh virtualenv the way the build stage
does, then starts the image's ENTRYPOINT + CMD with the image's ENV (its /app and venv paths
mapped into a temp folder) and checks that the board and /healthz answer and that the image's
HEALTHCHECK command passes. A file the build stage forgets to copy fails here.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.smtpserver import free_port

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [rest for key, rest in self.instructions if key == keyword]

    def one(self, keyword: str) -> str:
        found = self.all(keyword)
        assert len(found) == 1, f"expected one {keyword} in the stage FROM {self.base}"
        return found[0]


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages and their instructions (continuations joined, comments dropped)."""
    joined = re.sub(r"\\\n", " ", text)
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            words = rest.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            assert stages, f"{keyword} before any FROM"
            stages[-1].instructions.append((keyword, rest))
    return stages


def env_of(stage: Stage, inherited: dict[str, str]) -> dict[str, str]:
    """The stage's ENV lines, `$VAR` and `${VAR}` expanded as Docker does."""
    env: dict[str, str] = {}
    for rest in stage.all("ENV"):
        words = shlex.split(rest)
        pairs = (
            [w.split("=", 1) for w in words]
            if "=" in words[0]
            else [[words[0], " ".join(words[1:])]]
        )
        for key, value in pairs:
            scope = {**inherited, **env}
            env[key] = re.sub(
                r"\$\{?(\w+)\}?", lambda m, scope=scope: scope.get(m.group(1), ""), value
            )
    return env


def dockerignore() -> list[str]:
    path = REPO / ".dockerignore"
    if not path.exists():
        return []
    lines = [line.strip() for line in path.read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        parts = relative.split("/")
        if fnmatch.fnmatch(relative, pattern) or (
            pattern.startswith("**/") and any(fnmatch.fnmatch(part, bare) for part in parts)
        ):
            return True
    return False


def copy_context(sources: list[str], dest: Path, patterns: list[str]) -> None:
    """One COPY from the build context: files and folders, minus .dockerignore's patterns."""
    many = len(sources) > 1
    for source in sources:
        origin = REPO / source
        assert origin.exists(), f"COPY {source}: not in the build context"
        if origin.is_file():
            target = dest / origin.name if many or dest.is_dir() else dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
            continue
        for path in origin.rglob("*"):
            relative = path.relative_to(REPO).as_posix()
            if path.is_dir() or ignored(relative, patterns):
                continue
            target = dest / path.relative_to(origin)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def assemble_build_context(stage: Stage, root: Path) -> Path:
    """The build stage's WORKDIR as its COPY lines leave it."""
    workdir = root / stage.one("WORKDIR").lstrip("/")
    workdir.mkdir(parents=True)
    patterns = dockerignore()
    for rest in stage.all("COPY"):
        words = shlex.split(rest)
        assert not any(w.startswith("--from") for w in words), "the build stage copies the context"
        *sources, dest = [w for w in words if not w.startswith("--")]
        target = workdir / dest
        if dest.endswith("/") or len(sources) > 1:
            target.mkdir(parents=True, exist_ok=True)
        copy_context(sources, target, patterns)
    return workdir


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The image's files installed in a fresh venv, and what it needs to start them."""
    stages = parse_dockerfile((REPO / "Dockerfile").read_text())
    assert len(stages) == 2, "a build stage and a runtime stage"
    build, final = stages
    root = tmp_path_factory.mktemp("image")
    context = assemble_build_context(build, root / "build")

    # The build stage makes a venv and pip-installs the copied project ('.') into it.
    run = " ".join(build.all("RUN"))
    venv_path = re.search(r"python -m venv (\S+)", run)
    assert venv_path, "the build stage makes a virtualenv"
    assert re.search(rf"{re.escape(venv_path.group(1))}/bin/pip install [^&]*\s\.(\s|$)", run)
    assert f"COPY --from={build.name} {venv_path.group(1)} {venv_path.group(1)}" in [
        f"COPY {rest}" for rest in final.all("COPY")
    ], "the runtime stage takes the build stage's venv"

    wheels = root / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(wheels),
            str(context),
        ],
        check=True,
        timeout=300,
    )
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            *map(str, wheels.glob("*.whl")),
        ],
        check=True,
        timeout=300,
    )
    # The dependencies come from the test's own venv, added as a plain path: its .pth files
    # (the editable install of this checkout) are not processed, so the checkout is not seen.
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    app = root / "app"
    workdir = final.one("WORKDIR")
    mapping = {venv_path.group(1): str(venv), workdir: str(app)}

    def mapped(value: str) -> str:
        for prefix, local in mapping.items():
            value = re.sub(rf"(?:^|(?<=:)|(?<=///)){re.escape(prefix)}(?=/|$|:)", local, value)
        return value

    env = {k: mapped(v) for k, v in env_of(final, {"PATH": os.environ["PATH"]}).items()}
    for volume in json.loads(final.one("VOLUME")):
        Path(mapped(volume)).mkdir(parents=True, exist_ok=True)
    return {
        "stage": final,
        "python": python,
        "env": env,
        "cwd": app,
        "command": json.loads(final.one("ENTRYPOINT")) + json.loads(final.one("CMD")),
        "healthcheck": json.loads(final.one("HEALTHCHECK").split(" CMD ", 1)[1]),
    }


def test_installed_image_is_not_the_checkout(image):
    """The venv sees the packages the build stage installed, never this checkout's."""
    found = subprocess.run(
        [
            str(image["python"]),
            "-c",
            "import config, web, ingest, alerts; print(config.__file__, web.__file__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=image["cwd"],
        env={"PATH": os.environ["PATH"]},
    ).stdout
    assert str(REPO) not in found and "site-packages" in found


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_image_command_serves_board_and_health(image):
    """The image's command, with its ENV, starts the daemon, the web app and /healthz."""
    web_port, health_port = free_port(), free_port()
    env = {
        "HOME": str(image["cwd"]),
        **image["env"],
        "CSWATCH_WEB__PORT": str(web_port),
        "CSWATCH_DAEMON__HEALTH_PORT": str(health_port),
        # No crawling from a test: the ingest jobs are off; the digests job still runs.
        "CSWATCH_SCHEDULE__JOBS__OFSTED__ENABLED": "false",
        "CSWATCH_SCHEDULE__JOBS__NEWS__ENABLED": "false",
        "CSWATCH_SCHEDULE__JOBS__GOVUK__ENABLED": "false",
        "CSWATCH_SCHEDULE__JOBS__STATISTICS__ENABLED": "false",
    }
    command = [shutil.which(image["command"][0], path=env["PATH"]), *image["command"][1:]]
    assert command[0] and command[0].startswith(str(image["python"].parent))
    daemon = subprocess.Popen(
        command,
        cwd=image["cwd"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        board = health = None
        while time.monotonic() < deadline and daemon.poll() is None:
            try:
                board = _get(f"http://127.0.0.1:{web_port}/")
                health = _get(f"http://127.0.0.1:{health_port}/healthz")
                if health[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        if daemon.poll() is not None:
            _out, errors = daemon.communicate()
            pytest.fail(f"the image's command exited {daemon.returncode}:\n{errors[-3000:]}")
        assert board is not None and board[0] == 200, board
        assert b"<html" in board[1].lower()
        assert health is not None and health[0] == 200, health
        assert json.loads(health[1])["healthy"] is True
        check = subprocess.run(
            [shutil.which(image["healthcheck"][0], path=env["PATH"]), *image["healthcheck"][1:]],
            cwd=image["cwd"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        database = Path(image["env"]["CSWATCH_DATABASE_URL"].removeprefix("sqlite:///"))
        assert database.is_file() and database.is_relative_to(image["cwd"])
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
    assert daemon.returncode == 0


def test_image_exposes_the_default_ports(image):
    defaults = tomllib.loads((REPO / "config" / "settings.toml").read_text())
    exposed = set(image["stage"].one("EXPOSE").split())
    assert {str(defaults["web"]["port"]), str(defaults["daemon"]["health_port"])} <= exposed
    assert image["stage"].one("USER").split()[0] not in {"root", "0"}


def test_compose_file_settings_are_valid(monkeypatch):
    """Every CSWATCH_* value compose.yaml sets is a known, valid setting."""
    from config.settings import load_settings

    text = (REPO / "compose.yaml").read_text()
    values = dict(re.findall(r"^\s+(CSWATCH_[A-Z_]+):\s*\"?([^\"\n]*)\"?\s*$", text, re.M))
    assert {"CSWATCH_DATABASE_URL", "CSWATCH_MAIL__HOST"} <= set(values)
    for key in list(os.environ):
        if key.startswith("CSWATCH_"):
            monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    assert settings.mail.effective_backend == "smtp"
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert "mailpit" in text
