"""The web app's request-body limit and cache retry come from the settings ([web]), passed in
by config/web.py (web never reads the settings itself)."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from config.settings import SettingsError, load_settings
from config.web import build_app
from config.wiring import Service


@pytest.fixture
def env(tmp_path, monkeypatch):
    for key in [k for k in os.environ if k.startswith("CSWATCH_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("CSWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    monkeypatch.setenv("CSWATCH_VAR_DIR", str(tmp_path / "var"))
    return monkeypatch


def _post(client: TestClient, size: int) -> int:
    body = b"email=a%40b.org&" + b"x" * (size - 16)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.post("/subscribe", content=body, headers=headers).status_code


def test_the_body_limit_is_a_setting(env):
    assert load_settings().web.max_body_bytes == 64 * 1024  # the file's default, as before
    env.setenv("CSWATCH_WEB__MAX_BODY_BYTES", "8192")
    client = TestClient(build_app(Service(load_settings())))
    assert _post(client, 9000) == 413
    assert _post(client, 8000) != 413  # read, then judged as a form

    for bad, says in (
        ("1000", "greater than or equal to 4096"),  # the forms themselves need a few kB
        ("1073741824", "less than or equal to 16777216"),
        ("lots", "valid integer"),
    ):
        env.setenv("CSWATCH_WEB__MAX_BODY_BYTES", bad)
        with pytest.raises(SettingsError, match=rf"setting web.max_body_bytes: .*{says}"):
            load_settings()


def test_the_cache_retry_is_a_setting(env):
    assert load_settings().web.cache_retry_seconds == 5.0
    env.setenv("CSWATCH_WEB__CACHE_RETRY_SECONDS", "0.5")
    app = build_app(Service(load_settings()))
    assert app.state.context.data_version.retry_seconds == 0.5

    for bad, says in (("0", "greater than 0"), ("7200", "less than or equal to 3600")):
        env.setenv("CSWATCH_WEB__CACHE_RETRY_SECONDS", bad)
        with pytest.raises(SettingsError, match=rf"setting web.cache_retry_seconds: .*{says}"):
            load_settings()
