"""The JSON API fuzzed against its own OpenAPI description (schemathesis, in-process ASGI).

Every operation gets a bounded number of generated requests, valid and invalid; no answer may
be a server error, and every documented answer must match its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlmodel import Session

from config.database import make_engine
from tests.conftest import _seed
from tests.test_web import BASE, KEY
from tests.webdata import fill
from web.app import WebOptions, create_app


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.db"
    engine = _seed(make_engine(f"sqlite:///{path}"))
    fill(engine)
    app = create_app(
        engine,
        WebOptions(secret_key=KEY, public_base_url=BASE, from_address="alerts@cswatch.test"),
        lambda *_args: None,
    )
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    engine.dispose()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_to_its_openapi_description(api_schema, mode):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 3
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):  # type: ignore[no-untyped-def]
            # A pattern cannot say that 2025-02-31 does not exist: such a `since` matches the
            # description and is rightly refused (422), so 'valid data accepted' is not checked.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()


def test_the_description_covers_the_api(api_schema):
    paths = set(api_schema.raw_schema["paths"])
    assert paths == {"/api/authorities", "/api/authorities/{slug}", "/api/changes"}
    assert Session  # the module's engine is the filled replica database
