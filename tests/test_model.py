"""Model validation: every rule that makes a domain unrenderable is rejected with an error that
names the domain, the host (where the field belongs to one peer) and the field."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mlagauto.model import IntentError, MlagDomain
from mlagauto.model.intent import Fabric
from mlagauto.model.vlans import format_vlan_list, parse_vlan_list, vlan_ranges


def nxos_domain() -> dict:
    """A valid NX-OS domain as plain data, for mutation by the tests."""
    peer = {
        "platform": "cisco_nxos",
        "peer_link": {"port_channel": 1, "members": ["Ethernet1/49", "Ethernet1/50"]},
    }
    return {
        "name": "pod1",
        "domain_id": 10,
        "vlans": [{"id": 10, "name": "DATA"}, {"id": 20}],
        "peers": [
            {**copy.deepcopy(peer), "hostname": "sw1", "keepalive": {"source": "10.0.0.1", "destination": "10.0.0.2"}},
            {**copy.deepcopy(peer), "hostname": "sw2", "keepalive": {"source": "10.0.0.2", "destination": "10.0.0.1"}},
        ],
        "mlag_interfaces": [
            {"mlag_id": 11, "port_channel": 11, "members": ["Ethernet1/1"], "vlans": "10,20"},
            {"mlag_id": 12, "port_channel": 12, "members": ["Ethernet1/2"], "mode": "access", "vlans": [20]},
        ],
    }


def problems(data: dict) -> list:
    """The Problems a domain is rejected with (fails the test if it is accepted)."""
    with pytest.raises(ValidationError) as info:
        MlagDomain.model_validate(data)
    found = []
    for err in info.value.errors():
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, IntentError):
            found.extend(cause.problems)
        else:
            found.append(err)
    return found


def one_problem(data: dict, field: str, host: str | None = None, text: str = ""):
    found = [p for p in problems(data) if not isinstance(p, dict)]
    match = [p for p in found if p.field == field and p.host == host and text in p.message]
    assert match, f"no problem on {field} (host {host}) containing {text!r}; got {[str(p) for p in found]}"
    assert all(p.domain == "pod1" for p in found)
    return match[0]


def test_valid_domain_is_accepted():
    d = MlagDomain.model_validate(nxos_domain())
    assert d.hostnames == ["sw1", "sw2"]
    assert d.role_of("sw1") == "primary" and d.role_of("sw2") == "secondary"
    assert d.mlag_interfaces[0].vlans == [10, 20]


def test_fabric_keeps_validated_domains_and_validates_plain_data(monkeypatch):
    """A fabric of built domains holds those objects without running their rules again; a fabric
    of plain data validates each domain, and a name used twice is refused either way."""
    import mlagauto.model.validation as validation

    built = MlagDomain.model_validate(nxos_domain())
    runs: list[str] = []
    real = validation.validate_domain
    monkeypatch.setattr(validation, "validate_domain", lambda d: (runs.append(d.name), real(d))[1])
    assert Fabric(domains=[built]).domains[0] is built and runs == []
    assert Fabric(domains=[nxos_domain()]).domains[0] == built and runs == ["pod1"]
    with pytest.raises(ValidationError, match="domain name used twice"):
        Fabric(domains=[built, built])
    bad = nxos_domain()
    bad["domain_id"] = 0
    with pytest.raises(ValidationError):
        Fabric(domains=[bad])


def test_not_exactly_two_peers():
    data = nxos_domain()
    data["peers"] = data["peers"][:1]
    one_problem(data, "peers", text="exactly two peers")
    data = nxos_domain()
    third = copy.deepcopy(data["peers"][0])
    third["hostname"] = "sw3"
    data["peers"].append(third)
    one_problem(data, "peers", text="found 3")


def test_mixed_platforms():
    data = nxos_domain()
    data["peers"][1]["platform"] = "arista_eos"
    one_problem(data, "platform", host="sw2", text="share a platform")


@pytest.mark.parametrize("domain_id", [0, 1001])
def test_nxos_domain_id_range(domain_id):
    data = nxos_domain()
    data["domain_id"] = domain_id
    if domain_id == 0:
        assert any(isinstance(p, dict) and p["loc"] == ("domain_id",) for p in problems(data))
    else:
        one_problem(data, "domain_id", text="1-1000")


def test_vlan_out_of_range():
    data = nxos_domain()
    data["vlans"].append({"id": 4095})
    assert any(isinstance(p, dict) and p["loc"] == ("vlans", 2, "id") for p in problems(data))


def test_duplicate_mlag_ids():
    data = nxos_domain()
    data["mlag_interfaces"][1]["mlag_id"] = 11
    one_problem(data, "mlag_interfaces[1].mlag_id", text="used 2 times")


def test_duplicate_port_channel_with_peer_link():
    data = nxos_domain()
    data["mlag_interfaces"][1]["port_channel"] = 1
    one_problem(data, "mlag_interfaces[1].port_channel", text="already used by peer_link.port_channel")


def test_member_used_twice():
    data = nxos_domain()
    data["mlag_interfaces"][1]["members"] = ["Ethernet1/49"]
    one_problem(data, "mlag_interfaces[1].members", text="Ethernet1/49")


def test_keepalive_source_equals_destination():
    data = nxos_domain()
    data["peers"][0]["keepalive"]["destination"] = "10.0.0.1"
    one_problem(data, "keepalive.destination", host="sw1", text="equals its source")


def test_keepalive_not_mirrored():
    data = nxos_domain()
    data["peers"][1]["keepalive"]["destination"] = "10.0.0.9"
    one_problem(data, "keepalive.destination", host="sw2", text="not mirrored")


def test_mlag_vlan_missing_from_peer_link():
    data = nxos_domain()
    data["peers"][0]["peer_link"]["vlans"] = [10]
    p = one_problem(data, "peer_link.vlans", host="sw1", text="missing from the peer-link")
    assert "20" in p.message


def test_undefined_vlan():
    data = nxos_domain()
    data["mlag_interfaces"][0]["vlans"] = "10,20,30-32"
    one_problem(data, "mlag_interfaces[0].vlans", text="30-32 are not defined")


def test_chassis_ids_must_be_zero_and_one():
    data = nxos_domain()
    data["peers"][0]["chassis_id"] = 1
    data["peers"][1]["chassis_id"] = 1
    one_problem(data, "chassis_id", host="sw2", text="0 on one peer and 1")
    data["peers"][1]["chassis_id"] = 2
    assert any(isinstance(p, dict) and p["loc"] == ("peers", 1, "chassis_id") for p in problems(data))


def test_roles_must_be_complementary():
    data = nxos_domain()
    data["peers"][0]["role"] = "primary"
    data["peers"][1]["role"] = "primary"
    one_problem(data, "role", host="sw2")


def test_access_port_needs_one_vlan():
    data = nxos_domain()
    data["mlag_interfaces"][1]["vlans"] = "10,20"
    one_problem(data, "mlag_interfaces[1].vlans", text="exactly one VLAN")


def test_fallback_on_static_lag():
    data = nxos_domain()
    data["mlag_interfaces"][0].update(lacp_mode="static", lacp_fallback=True)
    one_problem(data, "mlag_interfaces[0].lacp_fallback", text="needs LACP")


def test_per_host_map_must_name_both_peers():
    data = nxos_domain()
    data["mlag_interfaces"][0]["port_channel"] = {"sw1": 11, "swX": 11}
    one_problem(data, "mlag_interfaces[0].port_channel", text="exactly the peers")


def test_peer_address_same_subnet():
    data = nxos_domain()
    data["peers"][0]["peer_address"] = "10.255.0.0/31"
    data["peers"][1]["peer_address"] = "10.255.0.2/31"
    one_problem(data, "peer_address", host="sw2", text="same subnet")


def test_every_problem_is_reported_at_once():
    data = nxos_domain()
    data["peers"][1]["keepalive"]["destination"] = "10.0.0.9"
    data["mlag_interfaces"][1]["mlag_id"] = 11
    assert len([p for p in problems(data) if not isinstance(p, dict)]) >= 2


INJECTIONS = ["evil\nvpc domain 99", "evil\r", "tab\there", "nul\x00", "esc\x1b[2J", "line\u2028sep"]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize(
    "path",
    [
        ("mlag_interfaces", 0, "description"),
        ("vlans", 0, "name"),
        ("mlag_interfaces", 0, "members", 0),
        ("peers", 0, "keepalive", "vrf"),
        ("peers", 0, "peer_link", "members", 0),
        ("domain_name",),
    ],
)
def test_control_characters_are_rejected_never_escaped(payload, path):
    data = nxos_domain()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = payload
    assert problems(data), f"payload {payload!r} at {path} was accepted"


@pytest.mark.parametrize("path", [("vlans", 0, "name"), ("peers", 0, "keepalive", "vrf"), ("mlag_interfaces", 0, "members", 0)])
def test_tokens_reject_spaces(path):
    data = nxos_domain()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "two words"
    assert problems(data)


def test_mac_addresses_are_normalised_and_multicast_rejected():
    data = nxos_domain()
    data["system"] = {"mac": "00E0.FC12.3456"}
    assert MlagDomain.model_validate(data).system.mac == "00:e0:fc:12:34:56"
    data["system"] = {"mac": "01:00:5e:00:00:01"}
    assert any(isinstance(p, dict) and "multicast" in p["msg"] for p in problems(data))


def test_derived_system_mac_is_deterministic_and_local():
    d = MlagDomain.model_validate(nxos_domain())
    again = MlagDomain.model_validate(nxos_domain())
    assert d.derived_system_mac == again.derived_system_mac
    first = int(d.derived_system_mac[:2], 16)
    assert first & 0x02 and not first & 0x01
    other = nxos_domain()
    other["name"] = "pod2"
    assert MlagDomain.model_validate(other).derived_system_mac != d.derived_system_mac


@pytest.mark.parametrize(
    "text,ids",
    [("1-3,5", [1, 2, 3, 5]), ("10 20 to 22", [10, 20, 21, 22]), ("7", [7]), ("", []), ("4094", [4094])],
)
def test_vlan_list_parsing(text, ids):
    assert parse_vlan_list(text) == ids


@pytest.mark.parametrize("text", ["0", "4095", "5-3", "abc", "1-"])
def test_vlan_list_rejects(text):
    with pytest.raises(ValueError):
        parse_vlan_list(text)


def test_vlan_list_formatting():
    assert format_vlan_list([1, 2, 3, 5, 7, 8]) == "1-3,5,7-8"
    assert format_vlan_list([10, 20, 21, 22], sep=" ", dash=" to ") == "10 20 to 22"


@given(st.lists(st.integers(1, 4094), max_size=80))
def test_vlan_runs_cover_the_ids_exactly_and_maximally(ids):
    runs = vlan_ranges(ids)
    assert [v for lo, hi in runs for v in range(lo, hi + 1)] == sorted(set(ids))
    assert all(lo <= hi for lo, hi in runs)
    assert all(nxt[0] > prev[1] + 1 for prev, nxt in zip(runs, runs[1:]))  # runs never touch
    assert parse_vlan_list(format_vlan_list(ids)) == sorted(set(ids))


def _set(data: dict, path: tuple, value) -> None:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@pytest.mark.parametrize(
    "path",
    [
        ("domain_id",),
        ("mlag_interfaces", 0, "mlag_id"),
        ("mlag_interfaces", 0, "port_channel"),
        ("mlag_interfaces", 0, "native_vlan"),
        ("vlans", 0, "id"),
        ("peers", 0, "role_priority"),
        ("peers", 0, "peer_link", "port_channel"),
        ("system",),
        ("stp",),
    ],
)
@pytest.mark.parametrize("flag", [True, False])
def test_a_boolean_is_never_a_number(path, flag):
    """YAML turns ``true``/``yes``/``on`` into booleans, and Python counts a bool as an int:
    ``domain_id: true`` must be an error, not domain 1."""
    data = nxos_domain()
    value = {"priority": flag} if path in (("system",), ("stp",)) else flag
    _set(data, path, value)
    found = [p for p in problems(data) if isinstance(p, dict)]
    assert any("is a boolean" in p["msg"] for p in found), found


def test_a_boolean_in_a_per_host_port_channel_names_the_host_key():
    data = nxos_domain()
    data["mlag_interfaces"][0]["port_channel"] = {"sw1": True, "sw2": 11}
    (err,) = problems(data)
    assert err["loc"][-1] == "sw1" and "is a boolean" in err["msg"]


@pytest.mark.parametrize("vlans", ["10,,20", "10,20,", ",10", [10, ""], ["10,,20"], True])
def test_empty_vlan_list_items_are_rejected(vlans):
    data = nxos_domain()
    data["mlag_interfaces"][0]["vlans"] = vlans
    (err,) = problems(data)
    assert err["loc"] == ("mlag_interfaces", 0, "vlans")
    assert "empty item" in err["msg"] or "boolean" in err["msg"]
