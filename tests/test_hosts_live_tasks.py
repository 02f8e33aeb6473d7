"""``get_bond_state``: the command it sends and what it makes of the answer, over a stand-in for
Nornir's netmiko connection (no lab server exists to run it against)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mlagauto.hosts.tasks import bond_command, get_bond_state
from tests.conftest import FIXTURES

HEALTHY = (FIXTURES / "hosts" / "bonding" / "8023ad_healthy.txt").read_text()


class _Connection:
    def __init__(self, answer: str):
        self.answer, self.sent = answer, []

    def send_command(self, command: str, read_timeout: int = 0) -> str:
        self.sent.append(command)
        return self.answer


def _task(answer: str):
    conn = _Connection(answer)
    host = SimpleNamespace(name="srv1", get_connection=lambda plugin, config: conn if plugin == "netmiko" else None)
    return SimpleNamespace(host=host, nornir=SimpleNamespace(config=None)), conn


def test_the_state_is_parsed_with_the_hosts_name():
    task, conn = _task(HEALTHY)
    result = get_bond_state(task, bond="bond0", sudo=True)
    assert conn.sent == ["sudo -n cat /proc/net/bonding/bond0"]
    assert not result.failed and result.result.hostname == "srv1" and result.result.active_aggregator.ports == 2


def test_a_missing_bond_fails_with_the_servers_words():
    task, _ = _task("cat: /proc/net/bonding/bond7: No such file or directory")
    result = get_bond_state(task, bond="bond7")
    assert result.failed and "No such file" in result.result


@pytest.mark.parametrize("name", ["bond0; reboot", "../../etc/shadow", "a" * 16, ""])
def test_a_name_that_is_not_an_interface_is_refused(name):
    with pytest.raises(ValueError):
        bond_command(name)
