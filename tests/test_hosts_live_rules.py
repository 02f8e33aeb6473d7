"""The host-live rules: each fires on its broken fixture, with the slave and values named, and
stays silent on the healthy ones; the reports work in every format."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from mlagauto.checks import RULES
from mlagauto.checks.host_live import validate_bond
from mlagauto.hosts.bonding import parse_ip_link_json, parse_proc_bonding
from mlagauto.hosts.live import host_report
from mlagauto.model.bond_state import BondExpectation, PortState
from mlagauto.model.finding import Severity
from mlagauto.report import exit_code, render_report, table_text
from tests.conftest import FIXTURES

BONDING = FIXTURES / "hosts" / "bonding"
PAIR = "00:23:04:ee:be:0a"
EXPECT = BondExpectation(system_id=PAIR, lacp_rate="fast")


def proc(name: str):
    return parse_proc_bonding((BONDING / f"{name}.txt").read_text(), name="bond0", hostname="srv1")


def ip(name: str):
    return parse_ip_link_json((BONDING / f"{name}.json").read_text(), hostname="srv1")[0]


def fired(state, expect=EXPECT) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in validate_bond(state, expect):
        out.setdefault(f.rule, []).append(f)
    return out


@pytest.mark.parametrize(
    ("fixture", "rules"),
    [
        ("8023ad_healthy", set()),
        ("8023ad_healthy_capture", set()),
        ("8023ad_split_aggregator", {"host-live-aggregator", "host-live-aggregator-ports"}),
        ("8023ad_partner_mac_differs", {"host-live-partner-system", "host-live-aggregator", "host-live-aggregator-ports"}),
        ("8023ad_partner_key_differs", {"host-live-partner-key", "host-live-aggregator", "host-live-aggregator-ports"}),
        ("8023ad_lacp_rate_mismatch", {"host-live-lacp-rate"}),
        ("8023ad_slave_down", {"host-live-slave-down", "host-live-aggregator-ports"}),
        ("8023ad_defaulted", {"host-live-lacp-state", "host-live-aggregator", "host-live-aggregator-ports"}),
        ("8023ad_no_details", {"host-live-unreadable"}),
    ],
)
def test_each_fixture_fires_exactly_its_rules(fixture, rules):
    assert set(fired(proc(fixture))) == rules


@pytest.mark.parametrize("fixture", ["active_backup_healthy", "balance_alb"])
def test_non_lacp_bonds_are_clean_without_a_lacp_expectation_and_wrong_with_one(fixture):
    state = proc(fixture)
    assert fired(state, BondExpectation()) == {}
    assert fired(state, BondExpectation(mode=state.mode)) == {}
    mode = fired(state)["host-live-mode"]
    assert len(mode) == 1 and mode[0].severity is Severity.ERROR and (mode[0].expected, mode[0].actual) == ("802.3ad", state.mode)
    assert "mode 802.3ad" in mode[0].fix


def test_the_split_names_the_slave_both_aggregators_and_the_cause():
    (f,) = fired(proc("8023ad_split_aggregator"))["host-live-aggregator"]
    assert (f.object, f.expected, f.actual, f.hosts) == ("bond0 ens1f1", 1, 2, ["srv1"])
    assert "ens1f1 is in aggregator 2" in f.message and "ens1f0 in the active aggregator 1" in f.message
    assert "25000 vs 10000 Mbps" in f.message


def test_a_differing_partner_mac_names_the_slave_and_both_macs():
    (f,) = fired(proc("8023ad_partner_mac_differs"))["host-live-partner-system"]
    assert (f.object, f.expected, f.actual) == ("bond0 ens1f1", PAIR, "00:23:04:ee:be:14")
    assert "ens1f1" in f.message and PAIR in f.message and "00:23:04:ee:be:14" in f.message
    # without an expectation the majority decides; on a tie the first slave's partner is taken as right
    (g,) = fired(proc("8023ad_partner_mac_differs"), BondExpectation())["host-live-partner-system"]
    assert (g.object, g.expected) == ("bond0 ens1f1", PAIR)


def test_both_slaves_seeing_another_system_than_the_pairs_is_reported_on_each():
    found = fired(proc("8023ad_healthy"), BondExpectation(system_id="00:1c:73:00:00:99"))["host-live-partner-system"]
    assert [f.object for f in found] == ["bond0 ens1f0", "bond0 ens1f1"]
    assert all(f.expected == "00:1c:73:00:00:99" and f.actual == PAIR for f in found)


def test_the_expected_system_id_is_accepted_in_any_mac_notation():
    assert fired(proc("8023ad_healthy"), BondExpectation(system_id="0023.04ee.be0a")) == {}


def test_ip_json_checks_the_active_aggregators_partner_against_the_pair():
    state = ip("ip_8023ad_healthy")
    assert fired(state) == {}
    (f,) = fired(state, BondExpectation(system_id="00:1c:73:00:00:99"))["host-live-partner-system"]
    assert (f.object, f.actual) == ("bond0", PAIR)
    assert set(fired(ip("ip_8023ad_split_aggregator"))) == {"host-live-aggregator", "host-live-aggregator-ports"}
    assert set(fired(ip("ip_active_backup_healthy"), BondExpectation())) == set()


def test_the_partner_key_finding_names_both_keys():
    (f,) = fired(proc("8023ad_partner_key_differs"))["host-live-partner-key"]
    assert (f.object, f.expected, f.actual) == ("bond0 ens1f1", 32779, 32780)


def test_a_slave_down_is_reported_once_by_its_own_rule():
    found = fired(proc("8023ad_slave_down"))
    (f,) = found["host-live-slave-down"]
    assert (f.object, f.actual) == ("bond0 ens1f1", "down") and "1 link failure" in f.message
    assert "host-live-lacp-state" not in found and "host-live-aggregator" not in found
    (ports,) = found["host-live-aggregator-ports"]
    assert (ports.expected, ports.actual) == (2, 1)


def test_defaulted_and_churned_are_named():
    (f,) = fired(proc("8023ad_defaulted"))["host-live-lacp-state"]
    assert f.object == "bond0 ens1f1" and "actor churned" in f.message and "actor defaulted" in f.message
    assert f.severity is Severity.ERROR


def test_an_expired_partner_is_an_error():
    state = proc("8023ad_healthy")
    slave = state.slaves[0]
    expired = slave.model_copy(update={"actor": slave.actor.model_copy(update={"port_state": PortState.from_value(143)})})
    state = state.model_copy(update={"slaves": [expired, state.slaves[1]]})
    (f,) = fired(state)["host-live-lacp-state"]
    assert f.object == "bond0 ens1f0" and "actor expired" in f.message


def test_lacp_rate_is_a_warning_for_the_partner_and_for_the_host():
    found = fired(proc("8023ad_lacp_rate_mismatch"))["host-live-lacp-rate"]
    assert [f.object for f in found] == ["bond0 ens1f0", "bond0 ens1f1"]
    assert all(f.severity is Severity.WARNING and (f.expected, f.actual) == ("fast", "slow") for f in found)
    # host fast, partner slow: found even without an expectation (the host's own rate is the reference)
    assert len(fired(proc("8023ad_lacp_rate_mismatch"), BondExpectation())["host-live-lacp-rate"]) == 2
    # the pair runs slow, the host fast: the bond's rate and both partners (fast) are off
    slow = fired(proc("8023ad_healthy"), BondExpectation(system_id=PAIR, lacp_rate="slow"))["host-live-lacp-rate"]
    assert [f.object for f in slow] == ["bond0", "bond0 ens1f0", "bond0 ens1f1"]
    assert "lacp_rate slow" in slow[0].fix


def test_expected_slaves_missing_is_an_error_extra_is_a_warning():
    found = fired(proc("8023ad_healthy"), BondExpectation(system_id=PAIR, slaves=["ens1f0", "ens2f0"]))["host-live-slaves"]
    by_object = {f.object: f.severity for f in found}
    assert by_object == {"bond0 ens2f0": Severity.ERROR, "bond0 ens1f1": Severity.WARNING}


def test_no_active_aggregator_is_an_error():
    text = "Bonding Mode: IEEE 802.3ad Dynamic link aggregation\nMII Status: down\n\n802.3ad info\nLACP rate: fast\nbond bond1 has no active aggregator\n\nSlave Interface: eth0\nMII Status: up\nSpeed: 1000 Mbps\nDuplex: full\nLink Failure Count: 0\nPermanent HW addr: 52:54:00:12:34:56\nSlave queue ID: 0\nAggregator ID: N/A\n"
    found = fired(parse_proc_bonding(text, hostname="srv1"))
    assert [f.object for f in found["host-live-aggregator"]] == ["bond1"]
    assert [f.object for f in found["host-live-slave-down"]] == ["bond1"]


def test_severities_follow_the_policy():
    """Error only where the LAG cannot aggregate or a member carries nothing."""
    host_live = {rid: r.severity for rid, r in RULES.items() if r.scope == "host-live"}
    assert {rid for rid, s in host_live.items() if s is Severity.WARNING} == {"host-live-lacp-rate", "host-live-unreadable"}
    assert len(host_live) == 10


def test_reports_in_every_format():
    broken = host_report("srv2", [proc("8023ad_partner_mac_differs")], EXPECT, pair="nxos_pair")
    clean = host_report("srv1", [proc("8023ad_healthy")], EXPECT)
    reports = [clean, broken]
    assert exit_code(reports) == 1 and exit_code([clean]) == 0

    data = json.loads(render_report(reports, "json"))
    assert [p["hosts"] for p in data["pairs"]] == [["srv1"], ["srv2"]] and data["pairs"][1]["pair"] == "nxos_pair"
    assert data["summary"]["errors"] == 3 and data["pairs"][0]["findings"] == []

    root = ET.fromstring(render_report(reports, "junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["srv1"].get("failures") == "0" and suites["srv1"].get("tests") == "10"
    assert suites["srv2"].get("failures") == "3"
    failed = {c.get("name") for c in suites["srv2"].iter("testcase") if c.find("failure") is not None}
    assert failed == {"host-live-partner-system", "host-live-aggregator", "host-live-aggregator-ports"}

    markdown = render_report(reports, "markdown")
    assert "### nxos_pair: srv2" in markdown and "`host-live-partner-system`" in markdown and "No findings." in markdown

    table = table_text(reports)
    assert "srv1: no findings" in table and "host-live-partner-system" in table and "00:23:04:ee:be:14" in table
