"""Property tests over generated domains, all four platforms:

* any valid domain renders without error;
* render and parse meet in PeerConfig: ``parse_config(render(d, h)) == peer_config(d, h)`` for
  every variant;
* a rendered pair audits clean;
* the parsers survive arbitrary text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mlagauto.checks import audit_pair
from mlagauto.drivers import get_driver
from mlagauto.model import MlagDomain
from mlagauto.model.intent import PLATFORMS

MEMBER = {
    "cisco_nxos": "Ethernet1/{}",
    "arista_eos": "Ethernet{}",
    "juniper_junos": "xe-0/0/{}",
    "huawei_vrpv8": "10GE1/0/{}",
}
DOMAIN_IDS = {"cisco_nxos": (1, 1000), "arista_eos": (1, 4000), "juniper_junos": (1, 4000), "huawei_vrpv8": (1, 1)}
NEEDS_PEER_ADDRESS = {"arista_eos", "juniper_junos"}
NAME = st.from_regex(r"[A-Z][A-Z0-9_]{0,10}", fullmatch=True)
DESCRIPTION = st.from_regex(r"[A-Za-z][A-Za-z0-9 _.:/-]{0,30}[A-Za-z0-9]", fullmatch=True)


@st.composite
def domains(draw, platform: str) -> MlagDomain:
    vlan_ids = draw(st.lists(st.integers(2, 4000), min_size=1, max_size=12, unique=True))
    vlans = [{"id": v, "name": draw(st.one_of(st.none(), NAME))} for v in vlan_ids]
    n_itf = draw(st.integers(0, 4))
    mlag_ids = draw(st.lists(st.integers(1, 2000), min_size=n_itf, max_size=n_itf, unique=True))
    pcs = draw(st.lists(st.integers(2, 900), min_size=n_itf, max_size=n_itf, unique=True))
    port = iter(range(1, 40))
    interfaces = []
    for mid, pc in zip(mlag_ids, pcs):
        mode = draw(st.sampled_from(["trunk", "access"]))
        members = [MEMBER[platform].format(next(port)) for _ in range(draw(st.integers(1, 2)))]
        itf = {
            "mlag_id": mid,
            "port_channel": pc,
            "members": members,
            "mode": mode,
            "lacp_mode": draw(st.sampled_from(["active", "active", "passive", "static"])),
            "lacp_rate": draw(st.sampled_from(["fast", "slow"])),
            "description": draw(st.one_of(st.none(), DESCRIPTION)),
        }
        if mode == "access":
            itf["vlans"] = [draw(st.sampled_from(vlan_ids))]
        else:
            allowed = draw(st.lists(st.sampled_from(vlan_ids), min_size=1, unique=True))
            itf["vlans"] = allowed
            if draw(st.booleans()):
                itf["native_vlan"] = draw(st.sampled_from(allowed))
        if draw(st.booleans()):
            itf["mtu"] = draw(st.sampled_from([1500, 9000, 9100, 9192]))
        if draw(st.booleans()):
            itf["min_links"] = 1
        if itf["lacp_mode"] != "static" and draw(st.sampled_from([False, False, False, True])):
            itf["lacp_fallback"] = True
        interfaces.append(itf)
    lo, hi = DOMAIN_IDS[platform]
    peers = []
    for k, (src, dst) in enumerate((("192.0.2.1", "192.0.2.2"), ("192.0.2.2", "192.0.2.1"))):
        peer = {
            "hostname": f"sw{k}",
            "platform": platform,
            "keepalive": {"source": src, "destination": dst},
            "peer_link": {"port_channel": 1, "members": [MEMBER[platform].format(48 + i) for i in range(2)]},
        }
        if platform in NEEDS_PEER_ADDRESS:
            peer["peer_address"] = f"10.255.0.{k}/31"
        peers.append(peer)
    data = {
        "name": draw(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)),
        "domain_id": draw(st.integers(lo, hi)),
        "vlans": vlans,
        "peers": peers,
        "mlag_interfaces": interfaces,
        "timers": {"restore_delay": draw(st.one_of(st.none(), st.integers(60, 600)))},
    }
    if platform == "huawei_vrpv8":
        data["authentication"] = {"password": "Dfs_Key_2024"}
    try:
        return MlagDomain.model_validate(data)
    except ValidationError:
        assume(False)
        raise


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


def _round_trip(domain: MlagDomain) -> None:
    driver = get_driver(domain.platform)
    for host in domain.hostnames:
        expected = driver.peer_config(domain, host)
        for variant in driver.variants:
            text = driver.render(domain, host, variant)
            assert driver.parse_config(text, hostname=host) == expected, (variant, text)
    a, b = (driver.peer_config(domain, h) for h in domain.hostnames)
    errors = [f for f in audit_pair(a, b) if f.severity.value == "error"]
    assert errors == [], errors


@SETTINGS
@given(domains("cisco_nxos"))
def test_nxos_round_trip(domain):
    _round_trip(domain)


@SETTINGS
@given(domains("arista_eos"))
def test_eos_round_trip(domain):
    _round_trip(domain)


@SETTINGS
@given(domains("juniper_junos"))
def test_junos_round_trip(domain):
    _round_trip(domain)


@SETTINGS
@given(domains("huawei_vrpv8"))
def test_huawei_round_trip(domain):
    _round_trip(domain)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PLATFORMS), st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_parsers_never_raise_on_arbitrary_text(platform, text):
    parsed = get_driver(platform).parse_config(text)
    assert parsed.platform == platform


LINES = st.sampled_from(
    ["interface port-channel1", "  vpc peer-link", "vpc domain 5", "  peer-keepalive destination 1.1.1.1 source 1.1.1.2",
     "mlag configuration", "   domain-id X", "   peer-link Port-Channel1", "interface Port-Channel3", "   mlag 3",
     "interfaces {", "    ae1 {", "}", "set interfaces ae1 aggregated-ether-options mc-ae mc-ae-id 1", "dfs-group 1",
     " dual-active detection source ip 1.1.1.1 peer 1.1.1.2", "interface Eth-Trunk1", " dfs-group 1 m-lag 1", "#",
     " port trunk allow-pass vlan 1 to 4094", "  switchport trunk allowed vlan 1-5000", "  vpc 99999999999999999999",
     "   mlag -1", " eth-trunk x", "vlan batch 5 to 3", "set vlans V vlan-id 0"]
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PLATFORMS), st.lists(LINES, max_size=30))
def test_parsers_never_raise_on_shuffled_config_lines(platform, lines):
    get_driver(platform).parse_config("\n".join(lines))
