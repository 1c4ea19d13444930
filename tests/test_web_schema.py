"""Generated requests against the app's own OpenAPI spec (/api/openapi.json): whatever a
client sends, schema-valid or not, the API answers it without a server error (5xx).

Schemathesis derives the requests from the spec, so the documented limits (question
length, k range, doc types) are exercised on both sides.  The short form (~100 requests)
runs with the plumbing tests; the full form (>= 1000) is marked slow.  Over the fast fake
embedder: what is checked is the handling of input, not the answers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

SHORT_EXAMPLES = 100
FULL_EXAMPLES = 1000


@pytest.fixture(scope="module")
def api_schema(hash_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", hash_app)


def run_generated_requests(api_schema: Any, examples: int) -> Counter[str]:
    """``examples`` requests drawn from every operation of the spec, schema-valid ones and
    schema-violating ones alike; fails on the first 5xx (Hypothesis then shrinks it)."""
    calls: Counter[str] = Counter()
    strategy = st.one_of(api_schema.as_strategy(GenerationMode.POSITIVE),
                         api_schema.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def no_server_error(case: Any) -> None:
        response = case.call()
        calls[f"{case.method} {case.path}"] += 1
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.body!r:.200} -> "
            f"{response.status_code}: {response.text[:300]}"
        )

    no_server_error()
    print(f"\n{sum(calls.values())} generated requests: {dict(calls)}")
    assert sum(calls.values()) >= examples and len(calls) >= 6, calls  # every route reached
    return calls


def test_no_server_error_short(api_schema: Any) -> None:
    run_generated_requests(api_schema, SHORT_EXAMPLES)


@pytest.mark.slow
def test_no_server_error_full(api_schema: Any) -> None:
    run_generated_requests(api_schema, FULL_EXAMPLES)
