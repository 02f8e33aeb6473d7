"""The readers of the bonding driver's state: every fixture against its expected parse (the
ntc-templates way), and the format's corners asserted directly, so a regenerated expected file
cannot hide a parser that lost a fact."""

from __future__ import annotations

import json

import pytest

from mlagauto.hosts.bonding import MODE_NAMES, BondParseError, parse_ip_link_json, parse_proc_bonding
from mlagauto.model.bond_state import PortState
from tests.conftest import FIXTURES

BONDING = FIXTURES / "hosts" / "bonding"
PROC = sorted(p for p in BONDING.glob("*.txt"))
IP = sorted(p for p in BONDING.glob("ip_*.json") if not p.name.endswith(".expected.json"))
HEALTHY = (BONDING / "8023ad_healthy.txt").read_text()


def _expected(path):
    return json.loads((path.parent / f"{path.stem}.expected.json").read_text())


def test_the_fixtures_cover_every_case_the_rules_need():
    names = {p.stem for p in PROC} | {p.stem for p in IP}
    assert {"8023ad_healthy", "8023ad_split_aggregator", "8023ad_partner_mac_differs", "8023ad_lacp_rate_mismatch", "8023ad_slave_down", "8023ad_defaulted", "active_backup_healthy", "balance_alb", "ip_8023ad_healthy"} <= names
    assert all((p.parent / f"{p.stem}.expected.json").is_file() for p in PROC + IP)


@pytest.mark.parametrize("path", PROC, ids=lambda p: p.name)
def test_proc_fixture_parses_to_its_expected_state(path):
    state = parse_proc_bonding(path.read_bytes().decode("utf-8"), name="bond0")
    assert state.model_dump(mode="json") == _expected(path)


@pytest.mark.parametrize("path", IP, ids=lambda p: p.name)
def test_ip_json_fixture_parses_to_its_expected_states(path):
    states = parse_ip_link_json(path.read_text())
    assert [s.model_dump(mode="json") for s in states] == _expected(path)


@pytest.mark.parametrize("path", [p for p in PROC if p.stem != "8023ad_no_details"], ids=lambda p: p.name)
def test_every_line_of_the_kernel_format_is_understood(path):
    assert parse_proc_bonding(path.read_text(), name="bond0").warnings == []


def test_healthy_8023ad_facts():
    state = parse_proc_bonding(HEALTHY, name="bond0", hostname="srv1")
    assert (state.mode, state.lacp_rate, state.lacp_active, state.transmit_hash_policy, state.hostname) == ("802.3ad", "fast", True, "layer3+4", "srv1")
    assert state.active_aggregator.model_dump() == {"id": 1, "ports": 2, "actor_key": 15, "partner_key": 32779, "partner_mac": "00:23:04:ee:be:0a"}
    assert [s.name for s in state.slaves] == ["ens1f0", "ens1f1"]
    second = state.slaves[1]
    assert (second.aggregator_id, second.speed_mbps, second.partner.system_mac, second.partner.port_key, second.partner.port_number) == (1, 10000, "00:23:04:ee:be:0a", 32779, 33025)
    assert second.actor.port_key == 15 and second.actor.port_state.value == 63


def test_a_capture_with_prompt_echo_and_crlf_reads_like_the_file():
    capture = (BONDING / "8023ad_healthy_capture.txt").read_bytes().decode()
    assert "\r\n" in capture and capture.startswith("[root@srv1 ~]# cat")
    assert parse_proc_bonding(capture, name="bond0") == parse_proc_bonding(HEALTHY, name="bond0")
    other = "admin@srv1:~$ sudo cat /proc/net/bonding/bond0\n" + HEALTHY + "admin@srv1:~$"
    assert parse_proc_bonding(other, name="bond0") == parse_proc_bonding(HEALTHY, name="bond0")


def test_text_indented_as_pasted_in_a_document_still_reads():
    pasted = "\n".join("    " + line if line else "" for line in HEALTHY.splitlines())
    assert parse_proc_bonding(pasted, name="bond0") == parse_proc_bonding(HEALTHY, name="bond0")


@pytest.mark.parametrize(("words", "mode"), sorted(MODE_NAMES.items()))
def test_every_kernel_mode_name_is_normalised(words, mode):
    assert parse_proc_bonding(f"Bonding Mode: {words}\nMII Status: up\n").mode == mode


@pytest.mark.parametrize(("value", "bits"), [(63, {"activity", "timeout", "aggregation", "synchronization", "collecting", "distributing"}), (61, {"activity", "aggregation", "synchronization", "collecting", "distributing"}), (143, {"activity", "timeout", "aggregation", "synchronization", "expired"}), (71, {"activity", "timeout", "aggregation", "defaulted"}), (0, set())])
def test_port_state_bits_decode_as_ieee_802_1ax(value, bits):
    state = PortState.from_value(value).model_dump()
    assert {k for k, v in state.items() if v is True} == bits


def test_unknown_and_odd_lines_are_warnings_never_errors():
    text = HEALTHY.replace("Min links: 0\n", "Min links: 0\nColumbia Mode: on\n").replace("Speed: 10000 Mbps", "Speed: lots", 1).replace("LACP rate: fast", "LACP rate: turbo")
    state = parse_proc_bonding(text, name="bond0")
    assert any("Columbia Mode: on" in w for w in state.warnings)
    assert any("Speed: lots" in w for w in state.warnings)
    assert any("LACP rate: turbo" in w for w in state.warnings)
    assert state.lacp_rate is None and state.slaves[0].speed_mbps is None and len(state.slaves) == 2


def test_text_that_is_not_a_bond_is_a_warning():
    state = parse_proc_bonding("cat: /proc/net/bonding/bond9: No such file or directory\n", name="bond9")
    assert state.mode is None and state.slaves == []
    assert any("Bonding Mode" in w for w in state.warnings)


def test_no_active_aggregator_and_a_slave_without_aggregator():
    text = "Bonding Mode: IEEE 802.3ad Dynamic link aggregation\nMII Status: down\n\n802.3ad info\nLACP rate: slow\nbond bond1 has no active aggregator\n\nSlave Interface: eth0\nMII Status: down\nSpeed: Unknown\nDuplex: Unknown\nLink Failure Count: 0\nPermanent HW addr: 52:54:00:12:34:56\nSlave queue ID: 0\nAggregator ID: N/A\n"
    state = parse_proc_bonding(text)
    assert (state.name, state.no_active_aggregator, state.slaves[0].aggregator_id, state.slaves[0].duplex, state.warnings) == ("bond1", True, None, None, [])


def test_an_older_kernel_without_lacp_active_churn_or_details_reads_with_one_warning():
    """Kernels before LACP active / churn / details lines (4.x): the lines present are read; the
    missing details are said once."""
    text = "Ethernet Channel Bonding Driver: v3.7.1 (April 27, 2011)\n\nBonding Mode: IEEE 802.3ad Dynamic link aggregation\nTransmit Hash Policy: layer2+3 (2)\nMII Status: up\nMII Polling Interval (ms): 100\nUp Delay (ms): 0\nDown Delay (ms): 0\n\n802.3ad info\nLACP rate: fast\nMin links: 0\nAggregator selection policy (ad_select): stable\nActive Aggregator Info:\n\tAggregator ID: 1\n\tNumber of ports: 1\n\tActor Key: 9\n\tPartner Key: 550\n\tPartner Mac Address: 00:24:04:ef:bc:76\n\nSlave Interface: p5p1\nMII Status: up\nSpeed: 1000 Mbps\nDuplex: full\nLink Failure Count: 0\nPermanent HW addr: 00:1b:21:aa:bb:cc\nAggregator ID: 1\nSlave queue ID: 0\n"
    state = parse_proc_bonding(text, name="bond0")
    assert (state.driver_version, state.transmit_hash_policy, state.active_aggregator.partner_key, state.slaves[0].aggregator_id) == ("v3.7.1 (April 27, 2011)", "layer2+3", 550, 1)
    assert len(state.warnings) == 1 and "CAP_NET_ADMIN" in state.warnings[0]


def test_arp_monitoring_lines():
    text = "Bonding Mode: fault-tolerance (active-backup)\nPrimary Slave: None\nCurrently Active Slave: None\nMII Status: down\nMII Polling Interval (ms): 0\nUp Delay (ms): 0\nDown Delay (ms): 0\nPeer Notification Delay (ms): 0\nARP Polling Interval (ms): 1000\nARP Missed Max: 2\nARP IP target/s (n.n.n.n form): 10.0.0.1, 10.0.0.2\nNS IPv6 target/s (xx::xx form):\n"
    state = parse_proc_bonding(text)
    assert (state.arp_interval_ms, state.arp_targets, state.active_slave, state.warnings) == (1000, ["10.0.0.1", "10.0.0.2"], None, [])


def test_ip_json_selects_one_bond_and_rejects_what_is_not_ip_output():
    text = (BONDING / "ip_8023ad_healthy.json").read_text()
    assert [s.name for s in parse_ip_link_json(text, bond="bond0")] == ["bond0"]
    assert parse_ip_link_json(text, bond="bond7") == []
    with pytest.raises(BondParseError, match="not JSON"):
        parse_ip_link_json("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536")
    with pytest.raises(BondParseError, match="list of links"):
        parse_ip_link_json('{"ifname": "bond0"}')


def test_ip_json_actor_system_all_zero_means_the_bond_mac():
    state = parse_ip_link_json((BONDING / "ip_8023ad_healthy.json").read_text())[0]
    assert state.system_mac == "3c:fd:fe:a1:b2:c0"
    assert state.slaves[0].partner.system_mac is None and state.slaves[0].partner.port_state.value == 63
