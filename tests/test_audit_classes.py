"""The classes of false errors real networks showed, each on a pair written in the platform's own
rendering (tests/fixtures/audit/): a working pair audits without errors, and the same pair broken
the way the rule guards against still gets its error."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlagauto.audit import audit_files
from mlagauto.checks import audit_pair
from mlagauto.drivers import get_driver
from mlagauto.model.peer_config import PeerConfig
from tests.conftest import ROOT

AUDIT = ROOT / "tests" / "fixtures" / "audit"


def pair(name: str) -> tuple[Path, Path]:
    a, b = sorted((AUDIT / name).iterdir())
    return a, b


def parsed(name: str, edit_b=None) -> tuple[PeerConfig, PeerConfig]:
    a, b = pair(name)
    platform = {"eos": "arista_eos", "junos": "juniper_junos", "huawei": "huawei_vrpv8", "nxos": "cisco_nxos"}[name.split("-")[0]]
    driver = get_driver(platform)
    text_b = b.read_text()
    return driver.parse_config(a.read_text(), a.stem), driver.parse_config(edit_b(text_b) if edit_b else text_b, b.stem)


def by_rule(findings) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in findings:
        out.setdefault(f.rule, set()).add(f.severity.value)
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in AUDIT.iterdir()))
def test_working_pairs_audit_without_errors(name):
    report = audit_files(*pair(name))
    assert [f for f in report.findings if f.severity.value == "error"] == []
    assert all("None" not in f.message and "None" not in f.fix for f in report.findings)


def test_an_absent_eos_heartbeat_is_a_design_note():
    """EOS MLAG runs over local-interface / peer-address; the heartbeat only adds dual-primary
    detection."""
    assert by_rule(audit_pair(*parsed("eos-no-heartbeat"))) == {"keepalive-missing": {"info"}}


def test_eos_still_errors_when_the_peer_address_is_wrong():
    found = by_rule(audit_pair(*parsed("eos-no-heartbeat", lambda t: t.replace("peer-address 172.31.250.0", "peer-address 172.31.250.9"))))
    assert found["peer-address"] == {"error"}


def test_routed_iccp_without_backup_liveness_and_undefined_vlans():
    """ICCP between lo0 addresses is legal; backup liveness is optional; an MC-AE that allows
    300-399 where only 300-329 exist carries 300-329, which the ICL carries too."""
    a, b = parsed("junos-routed-iccp")
    assert (a.local_address, b.peer_address) == ("10.253.0.1/32", "10.253.0.1")
    assert by_rule(audit_pair(a, b)) == {"keepalive-missing": {"warning"}}


def test_routed_iccp_still_errors_on_a_wrong_peer_and_warns_on_an_icl_gap():
    found = by_rule(audit_pair(*parsed("junos-routed-iccp", lambda t: t.replace("peer 10.253.0.1 {", "peer 10.253.0.9 {"))))
    assert "error" in found["peer-address"]
    found = by_rule(audit_pair(*parsed("junos-routed-iccp", lambda t: t.replace("members 300-329;", "members 300-319;"))))
    assert found["peer-link-vlans"] == {"warning"}


def test_huawei_peer_link_without_vlan_1_is_the_documented_design():
    """A Huawei trunk carries VLAN 1 unless told otherwise, and the vendor's own M-LAG examples
    exclude VLAN 1 from the peer-link."""
    a, b = parsed("huawei-peer-link-without-vlan1")
    assert 1 in a.mlag_interface(21).vlans and 1 not in a.peer_link.vlans
    assert audit_pair(a, b) == []


def test_huawei_still_errors_when_an_m_lag_is_missing_on_one_peer():
    found = by_rule(audit_pair(*parsed("huawei-peer-link-without-vlan1", lambda t: t.replace(" dfs-group 1 m-lag 21\n", ""))))
    assert found["mlag-orphan"] == {"error"}


def test_nxos_keepalive_over_the_management_vrf_is_clean_and_required():
    assert audit_pair(*parsed("nxos-mgmt-keepalive")) == []
    found = by_rule(audit_pair(*parsed("nxos-mgmt-keepalive", lambda t: t.replace("  peer-keepalive destination 198.51.100.11 source 198.51.100.12\n", ""))))
    assert found["keepalive-missing"] == {"error"}


def test_a_setting_the_parser_could_not_read_is_never_a_missing_error():
    a, b = parsed("nxos-mgmt-keepalive")
    unreadable = b.model_copy(update={"keepalive": None, "unread": ["peer-keepalive destination 198.51.100.11 source 198.51.100.12 vrf-of-the-future x"]})
    found = {f.rule: f for f in audit_pair(a, unreadable)}
    assert found["keepalive-missing"].severity.value == "warning"
    assert "could not read" in found["keepalive-missing"].message
    assert found["parse-warning"].severity.value == "warning" and "vrf-of-the-future" in found["parse-warning"].message


def test_an_unreadable_file_is_a_parse_warning_not_a_missing_domain():
    a, _ = parsed("nxos-mgmt-keepalive")
    broken = get_driver("cisco_nxos").parse_config(b"\xff not text", "n9k-2")  # type: ignore[arg-type]
    assert broken.unread and broken.warnings
    assert {f.severity.value for f in audit_pair(a, broken) if f.rule == "domain-missing"} == {"warning"}
