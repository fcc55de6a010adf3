"""What can be checked of the image without a Docker engine: its recipe and its commands."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _final_stage() -> list[str]:
    lines = [
        line.strip()
        for line in (REPO / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    starts = [i for i, line in enumerate(lines) if line.upper().startswith("FROM ")]
    assert len(starts) >= 2, "the Dockerfile should be multi-stage"
    return lines[starts[-1] :]


def test_image_recipe():
    text = (REPO / "Dockerfile").read_text()
    stage = _final_stage()
    instructions = {line.split()[0].upper(): line for line in stage}
    assert stage[0].startswith("FROM python:3.11-slim")
    assert instructions["USER"].split()[1] not in {"root", "0"}
    assert '["cswatch", "health"]' in instructions["HEALTHCHECK"]
    assert instructions["ENTRYPOINT"] == 'ENTRYPOINT ["cswatch"]'
    assert instructions["CMD"] == 'CMD ["run"]'
    assert '"/app/var"' in instructions["VOLUME"]
    # The image installs the package the way CI does (pip install of this project).
    assert "pip install --no-cache-dir ." in text
    makefile = (REPO / "Makefile").read_text()
    assert "pip install --quiet -e '.[dev]'" in makefile


def test_compose_file_settings_are_valid(monkeypatch):
    """Every CSWATCH_* value compose.yaml sets is a known, valid setting."""
    import os
    import re

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
    assert "db" in (REPO / "compose.yaml").read_text() and "mailpit" in text
