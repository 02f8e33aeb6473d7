"""Shared fixtures: the example inventory and the platform list every conformance test runs over."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlagauto.inventory import load_fabric
from mlagauto.model.intent import PLATFORMS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inventories" / "example"
GOLDEN = ROOT / "golden_configs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def example_fabric():
    return load_fabric(EXAMPLE)


@pytest.fixture(params=PLATFORMS)
def platform(request) -> str:
    return request.param
