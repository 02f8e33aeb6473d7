"""NX-OS live state end to end: the golden configs pushed to a simulated pair with netmiko, the
driver's ``state_commands`` run over netmiko, ``parse_state`` and the live rules on the result;
then the pair broken the way ``test_cisco_nxos`` breaks it, and the matching live rule firing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from mlagauto.checks import validate_pair
from mlagauto.drivers import get_driver
from mlagauto.lab.device import DeviceSpec
from mlagauto.lab.lab import Lab
from mlagauto.model.finding import Severity
from mlagauto.model.peer_state import PeerState
from tests.lab.test_cisco_nxos import PASSWORD, USER, connect, golden, push

DRIVER = get_driver("cisco_nxos")
HOSTS = ("nx-1a", "nx-1b")


@pytest.fixture(scope="module")
def pushed(module_port_factory: Callable[[], int]) -> Iterator[tuple[Lab, dict[str, str]]]:
    """One pair for the module, both golden configs pushed through netmiko once; with the
    running configs that push left."""
    specs = [DeviceSpec(name, "cisco_nxos", module_port_factory(), USER, PASSWORD) for name in HOSTS]
    with Lab(specs, [HOSTS]) as running:
        for name in HOSTS:
            push(running, name, golden(name).splitlines())
        yield running, {name: running.device(name).running for name in HOSTS}


@pytest.fixture
def lab(pushed: tuple[Lab, dict[str, str]]) -> Lab:
    """The pair as the golden push left it, whatever the previous test broke."""
    running, configs = pushed
    for name, config in configs.items():
        running.device(name).running = config
    return running


def read_state(lab: Lab, name: str) -> PeerState:
    with connect(lab, name) as conn:
        outputs = {command: str(conn.send_command(command)) for command in DRIVER.state_commands}
    return DRIVER.parse_state(outputs, hostname=name)


def errors(lab: Lab) -> set[tuple[str, str, str]]:
    a, b = (read_state(lab, name) for name in HOSTS)
    return {(f.rule, ",".join(f.hosts), f.object) for f in validate_pair(a, b) if f.severity == Severity.ERROR}


def domain_lines(host: str) -> list[str]:
    """The lines under ``vpc domain 10`` of a golden config."""
    return golden(host).split("vpc domain 10\n", 1)[1].split("\n\n", 1)[0].splitlines()


def test_golden_pair_passes_every_live_rule(lab: Lab) -> None:
    a, b = (read_state(lab, name) for name in HOSTS)
    assert (a.role, b.role) == ("primary", "secondary")
    assert a.system_id == b.system_id == "00:23:04:ee:be:0a"
    assert [(i.mlag_id, i.status, i.consistent) for i in b.interfaces] == [(vpc, "up", True) for vpc in (11, 12, 13, 14)]
    assert validate_pair(a, b) == []


def test_mismatched_domain_id_breaks_the_peer(lab: Lab) -> None:
    push(lab, "nx-1b", ["terminal dont-ask", "no vpc domain 10", "vpc domain 11", *domain_lines("nx-1b")])
    found = errors(lab)
    assert {("live-peer", "nx-1a", "domain"), ("live-peer", "nx-1b", "domain"), ("live-roles", "nx-1a,nx-1b", "domain")} <= found
    assert not any(rule == "live-keepalive" for rule, _, _ in found)  # the keepalive still reaches the peer


def test_type1_mismatch_suspends_one_vpc(lab: Lab) -> None:
    push(lab, "nx-1b", ["interface port-channel11", "mtu 1500"])
    assert errors(lab) == {("live-interfaces", "nx-1a", "mlag 11"), ("live-interfaces", "nx-1b", "mlag 11")}


def test_one_sided_vpc_stays_down(lab: Lab) -> None:
    push(lab, "nx-1b", ["interface port-channel14", "no vpc"])
    assert errors(lab) == {("live-interfaces", "nx-1a", "mlag 14"), ("live-interfaces", "nx-1b", "mlag 14")}


def both_forms(lab: Lab, name: str) -> tuple[PeerState, PeerState]:
    """The PeerState of ``name`` from ``state_commands`` as they are and from all-text forms."""
    with connect(lab, name) as conn:
        data = {command: str(conn.send_command(command)) for command in DRIVER.state_commands}
        text = {command: str(conn.send_command(command.split(" | ")[0])) for command in DRIVER.state_commands}
    return DRIVER.parse_state(data, hostname=name), DRIVER.parse_state(text, hostname=name)


@pytest.mark.parametrize(
    "change",
    [[], ["interface port-channel11", "mtu 1500"], ["interface port-channel14", "no vpc"], ["terminal dont-ask", "no vpc domain 10", "vpc domain 11", *domain_lines("nx-1b")]],
    ids=["golden", "type1-mismatch", "one-sided", "domain-mismatch"],
)
def test_text_forms_read_as_the_json(lab: Lab, change: list[str]) -> None:
    if change:
        push(lab, "nx-1b", change)
    for name in HOSTS:
        data, text = both_forms(lab, name)
        assert text == data, name
        assert text.warnings == []


def test_golden_members_see_one_partner_per_vpc(lab: Lab) -> None:
    a, b = (read_state(lab, name) for name in HOSTS)
    theirs = {i.mlag_id: i.members for i in b.interfaces}
    with_lacp = [i for i in a.interfaces if any(m.partner_system_id for m in i.members)]
    assert with_lacp
    for itf in with_lacp:
        assert len({m.partner_system_id for m in itf.members + theirs[itf.mlag_id]}) == 1
        assert all(m.bundled for m in itf.members)
