"""Property: what a capture adds around a configuration never changes an audit's findings.

Real files come with CRLF line ends, a byte-order mark, the session's prompt and command echo,
a constant indentation (pasted into a ticket), and stanzas that have nothing to do with MLAG in
any order. The findings of a pair audit must be the same with and without them, on clean pairs
and on pairs with findings."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlagauto.checks import audit_pair
from mlagauto.configtree import top_blocks
from mlagauto.drivers import detect_platform, get_driver
from tests.conftest import GOLDEN, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
PAIRS: list[tuple[str, Path, Path]] = [
    ("cisco_nxos", GOLDEN / "nx-1a.cfg", GOLDEN / "nx-1b.cfg"),
    ("arista_eos", GOLDEN / "eos-1a.cfg", GOLDEN / "eos-1b.cfg"),
    ("juniper_junos", GOLDEN / "qfx-1a.cfg", GOLDEN / "qfx-1b.cfg"),
    ("huawei_vrpv8", GOLDEN / "ce-1a.cfg", GOLDEN / "ce-1b.cfg"),
    ("cisco_nxos", FIXTURES / "cisco_nxos" / "dc1-leaf101.cfg", FIXTURES / "cisco_nxos" / "dc1-leaf102.cfg"),
    ("arista_eos", FIXTURES / "arista_eos" / "leaf1a.cfg", FIXTURES / "arista_eos" / "leaf1b.cfg"),
    ("juniper_junos", FIXTURES / "juniper_junos" / "dc1-leaf1.conf", FIXTURES / "juniper_junos" / "dc1-leaf2.conf"),
    ("huawei_vrpv8", FIXTURES / "huawei_vrpv8" / "leaf-1a_v300r023.cfg", FIXTURES / "huawei_vrpv8" / "leaf-1b_v300r023.cfg"),
    ("arista_eos", FIXTURES / "audit" / "eos-no-heartbeat" / "lf-a.cfg", FIXTURES / "audit" / "eos-no-heartbeat" / "lf-b.cfg"),
    ("juniper_junos", FIXTURES / "audit" / "junos-routed-iccp" / "bl-1.conf", FIXTURES / "audit" / "junos-routed-iccp" / "bl-2.conf"),
]

PROMPTS = {
    "cisco_nxos": ("{h}# show running-config", "{h}#"),
    "arista_eos": ("{h}#show running-config", "{h}#"),
    "juniper_junos": ("{{master:0}}\nops@{h}> show configuration | no-more", "\n{{master:0}}\nops@{h}> "),
    "huawei_vrpv8": ("<{h}>display current-configuration", "<{h}>"),
}
UNRELATED = {
    "cisco_nxos": ["ntp server 192.0.2.123 use-vrf management", "interface loopback7\n  description unrelated\n  ip address 10.77.0.1/32", "router bgp 65077\n  router-id 10.77.0.1\n  log-neighbor-changes", "logging server 192.0.2.50 5 use-vrf management"],
    "arista_eos": ["ntp server vrf MGMT 192.0.2.123\n!", "interface Loopback77\n   description unrelated\n   ip address 10.77.0.1/32\n!", "router bgp 65077\n   router-id 10.77.0.1\n   maximum-paths 4\n!", "logging host 192.0.2.50\n!"],
    "juniper_junos": ["snmp {\n    community unrelated {\n        authorization read-only;\n    }\n}", "routing-options {\n    static {\n        route 0.0.0.0/0 next-hop 192.0.2.1;\n    }\n}", "policy-options {\n    prefix-list UNRELATED {\n        10.77.0.0/16;\n    }\n}"],
    "huawei_vrpv8": ["#\nntp unicast-server 192.0.2.123", "#\ninterface LoopBack77\n description unrelated\n ip address 10.77.0.1 255.255.255.255", "#\nsnmp-agent sys-info location unrelated", "#\nbgp 65077\n router-id 10.77.0.1"],
}


def _key(findings):
    return [(f.rule, f.severity.value, tuple(f.hosts), f.object, f.message, repr(f.expected), repr(f.actual), f.fix) for f in findings]


def _audit(platform: str, texts: tuple[str, str], names: tuple[str, str]):
    driver = get_driver(platform)
    return _key(audit_pair(*(driver.parse_config(t, hostname=n) for t, n in zip(texts, names))))


def _insert_unrelated(platform: str, text: str, rng: random.Random) -> str:
    """Unrelated stanzas between top-level statements (Junos: at the top level of the file)."""
    lines = text.split("\n")
    if platform == "juniper_junos":
        bounds = [k for k, line in enumerate(lines) if line == "}"] + [len(lines)]
    else:
        bounds = [k for k, line in enumerate(lines) if line and not line[0].isspace() and k > 0]
    for stanza in rng.sample(UNRELATED[platform], k=rng.randint(1, len(UNRELATED[platform]))):
        at = rng.choice(bounds) + (1 if platform == "juniper_junos" else 0)
        lines[at:at] = stanza.split("\n")
        bounds = [b + stanza.count("\n") + 1 if b >= at else b for b in bounds]
    return "\n".join(lines)


def _shuffle_blocks(platform: str, text: str, rng: random.Random) -> str:
    """The top-level blocks of an indented config in another order (their lines kept together)."""
    if platform == "juniper_junos":
        return text
    blocks: list[list[str]] = []
    for line in text.split("\n"):
        if line and not line[0].isspace() and line[0] not in "!#" or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    head, rest = blocks[:1], blocks[1:]
    rng.shuffle(rest)
    return "\n".join(line for block in head + rest for line in block)


def _dress(platform: str, text: str, host: str, how: dict, rng: random.Random) -> str:
    if how["unrelated"]:
        text = _insert_unrelated(platform, text, rng)
    if how["shuffle"]:
        text = _shuffle_blocks(platform, text, rng)
    if how["indent"]:
        text = "\n".join("    " + line if line else line for line in text.split("\n"))
    if how["prompt"]:
        before, after = PROMPTS[platform]
        text = f"{before.format(h=host)}\n{text}\n{after.format(h=host)}"
    if how["crlf"]:
        text = text.replace("\n", "\r\n")
    if how["bom"]:
        text = "\ufeff" + text
    return text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pair=st.sampled_from(PAIRS),
    how=st.fixed_dictionaries({k: st.booleans() for k in ("unrelated", "shuffle", "indent", "prompt", "crlf", "bom")}),
    seed=st.integers(0, 2**16),
)
def test_capture_dressing_never_changes_the_findings(pair, how, seed):
    platform, path_a, path_b = pair
    texts = (path_a.read_text(), path_b.read_text())
    names = (path_a.stem, path_b.stem)
    rng = random.Random(seed)
    dressed = tuple(_dress(platform, t, n, how, rng) for t, n in zip(texts, names))
    assert _audit(platform, dressed, names) == _audit(platform, texts, names)
    assert all(detect_platform(t) == platform for t in dressed)


def test_shuffling_keeps_every_block():
    """The shuffle above moves whole top-level blocks, so it changes order and nothing else."""
    text = (GOLDEN / "nx-1a.cfg").read_text()
    shuffled = _shuffle_blocks("cisco_nxos", text, random.Random(3))
    assert shuffled != text
    assert sorted(top_blocks(shuffled)) == sorted(top_blocks(text))
