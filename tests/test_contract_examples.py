"""The contract's examples kept in tests/contract/examples/ are the contract's own."""

import json

import pytest

from tests.contract import EXAMPLES, SHARED, shared_available


@pytest.mark.parametrize("name", ["match-small", "match-compact", "plan-small"])
def test_kept_example_matches_the_contracts(name: str) -> None:
    if not shared_available():
        pytest.skip(f"{SHARED} is not beside the repository")
    kept = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    assert kept == json.loads((SHARED / "examples" / f"{name}.json").read_text(encoding="utf-8"))
