"""Schemathesis against the running app's /openapi.json: every operation, anonymous and as an
organiser, with valid and invalid data; no answer is a 5xx and none breaks its own schema.

Requests carry a browser's CSRF cookie and token, so that form routes are exercised past the
CSRF check. The examples per operation are few, to keep the run well under a minute; the
Hypothesis database is off so that each run is independent of the last.
"""

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.hardening.conftest import SECRET_KEY, LiveApp

EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
CSRF_KEY = "fuzz-browser-key"
CSRF_TOKEN = hmac.new(SECRET_KEY.encode(), CSRF_KEY.encode(), hashlib.sha256).hexdigest()


def run_operation(operation: Any, mode: GenerationMode, call: Callable[[Any], None]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def examples(case: Any) -> None:
        call(case)

    examples()


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_no_operation_answers_5xx_or_breaks_its_schema(live_app: LiveApp, who: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_app.url}/openapi.json")
    headers = {"x-csrf-token": CSRF_TOKEN, "Cookie": f"roadshow_csrf={CSRF_KEY}"}
    if who == "organiser":
        headers |= live_app.organiser_headers()

    def call(case: Any) -> None:
        case.call_and_validate(
            base_url=live_app.url,
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance],
            timeout=30,
        )

    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in EXAMPLES:
            try:
                run_operation(operation, mode, call)
            except Unsatisfiable:
                pass  # no invalid input exists for an operation without parameters (or of free text only)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports a group of failures
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert operations > 100
    assert failures == [], "\n\n".join(failures)
