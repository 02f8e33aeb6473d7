"""Lab test helpers: free loopback ports, so parallel or repeated runs never collide."""

from __future__ import annotations

import socket

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def port_factory():
    return free_port


@pytest.fixture(scope="module")
def module_port_factory():
    """Free ports for a lab shared by the tests of one module."""
    return free_port
