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
