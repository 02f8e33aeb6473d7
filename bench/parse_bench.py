"""Parse and audit benchmark.

1. Parse: a generated ~20k-line running config per platform (the render of a large domain),
   parsed by the platform driver, against a plain-Python tree baseline in the same run
   (indentation stack for NX-OS / EOS / Huawei, brace stack for Junos). Goal: within 2x.
2. Audit: 1,000 pairs of ~5k-line configs (250 per platform): parse both peers and run the pair
   rules, on all cores. Goal: under 20 s on 2 cores.

Run: ``python bench/parse_bench.py`` (``--quick`` for a smoke run). Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlagauto.checks import audit_pair  # noqa: E402
from mlagauto.drivers import get_driver  # noqa: E402
from mlagauto.model import MlagDomain  # noqa: E402

MEMBER = {
    "cisco_nxos": "Ethernet{}/{}",
    "arista_eos": "Ethernet{}/{}",
    "juniper_junos": "xe-{}/0/{}",
    "huawei_vrpv8": "10GE{}/0/{}",
}


def big_domain(platform: str, lags: int, vlans: int) -> MlagDomain:
    """A domain whose render has roughly the requested size: ``lags`` dual-homed LAGs with two
    members each and ``vlans`` named VLANs."""
    vlan_ids = list(range(100, 100 + vlans))
    interfaces = []
    for k in range(lags):
        slot, port = divmod(k * 2, 48)
        members = [MEMBER[platform].format(slot + 1, port + 1), MEMBER[platform].format(slot + 1, port + 2)]
        chunk = vlan_ids[(k * 7) % max(1, vlans - 20):][:20]
        interfaces.append({"mlag_id": k + 1, "port_channel": k + 2, "members": members, "vlans": chunk, "description": f"server{k} bond", "lacp_rate": "fast", "mtu": 9000})
    peers = []
    for n, (src, dst) in enumerate((("192.0.2.1", "192.0.2.2"), ("192.0.2.2", "192.0.2.1"))):
        peer = {"hostname": f"leaf{n}", "platform": platform, "keepalive": {"source": src, "destination": dst},
                "peer_link": {"port_channel": 1, "members": [MEMBER[platform].format(99, 1), MEMBER[platform].format(99, 2)]}}
        if platform in ("arista_eos", "juniper_junos"):
            peer["peer_address"] = f"10.255.0.{n}/31"
        peers.append(peer)
    data = {"name": "bench", "domain_id": 1, "peers": peers, "mlag_interfaces": interfaces,
            "vlans": [{"id": v, "name": f"V{v}"} for v in vlan_ids]}
    if platform == "huawei_vrpv8":
        data["authentication"] = {"password": "Bench_Key_01"}
    return MlagDomain.model_validate(data)


def sized_pair(platform: str, target_lines: int) -> tuple[str, str]:
    """Render both peers of a domain grown until the first peer's config has ``target_lines``."""
    lags = 16
    while True:
        domain = big_domain(platform, lags, min(3000, lags * 3))
        driver = get_driver(platform)
        a = driver.render(domain, "leaf0")
        if a.count("\n") >= target_lines or lags > 4000:
            return a, driver.render(domain, "leaf1")
        lags = int(lags * max(1.1, target_lines / max(1, a.count("\n"))))


# --- the plain-Python baselines ------------------------------------------------------------------
def baseline_indented(text: str) -> list:
    root: list = []
    stack = [(-1, root)]
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in "!#":
            continue
        indent = len(line) - len(line.lstrip())
        while stack[-1][0] >= indent:
            stack.pop()
        children: list = []
        stack[-1][1].append((s, children))
        stack.append((indent, children))
    return root


def baseline_braces(text: str) -> list:
    root: list = []
    stack = [root]
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] == "#":
            continue
        if s.endswith("{"):
            children: list = []
            stack[-1].append((s[:-1].strip(), children))
            stack.append(children)
        elif s == "}":
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].append((s.rstrip(";"), []))
    return root


def median_time(fn, arg, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(arg)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def _audit_one(args: tuple[str, str, str]) -> int:
    platform, a, b = args
    driver = get_driver(platform)
    return len(audit_pair(driver.parse_config(a, "leaf0"), driver.parse_config(b, "leaf1")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    opts = ap.parse_args()
    lines, pairs, repeat = (2000, 40, 3) if opts.quick else (20000, 1000, 7)

    print(f"## parse: ~{lines}-line configs, median of {repeat}")
    print(f"{'platform':<15}{'lines':>8}{'mlagauto ms':>14}{'baseline ms':>14}{'ratio':>8}")
    for platform in MEMBER:
        text, _ = sized_pair(platform, lines)
        driver = get_driver(platform)
        base = baseline_braces if platform == "juniper_junos" else baseline_indented
        ours = median_time(driver.parse_config, text, repeat)
        floor = median_time(base, text, repeat)
        print(f"{platform:<15}{text.count(chr(10)):>8}{ours * 1000:>14.1f}{floor * 1000:>14.1f}{ours / floor:>8.2f}")

    per_platform = pairs // len(MEMBER)
    work = []
    for platform in MEMBER:
        a, b = sized_pair(platform, lines // 4)
        work += [(platform, a, b)] * per_platform
    print(f"\n## audit: {len(work)} pairs of ~{lines // 4}-line configs, {opts.jobs} processes")
    t0 = time.perf_counter()
    if opts.jobs > 1:
        with ProcessPoolExecutor(opts.jobs) as pool:
            findings = sum(pool.map(_audit_one, work, chunksize=8))
    else:
        findings = sum(map(_audit_one, work))
    total = time.perf_counter() - t0
    print(f"total {total:.2f} s, {total / len(work) * 1000:.1f} ms per pair, {findings} findings")


if __name__ == "__main__":
    main()
