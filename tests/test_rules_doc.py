"""docs/rules.md and the rule registry describe the same catalogue."""

from __future__ import annotations

import re

from mlagauto.checks import RULES
from tests.conftest import ROOT


def test_every_rule_is_documented_and_every_documented_rule_exists():
    text = (ROOT / "docs" / "rules.md").read_text()
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.M))
    assert documented == set(RULES)


def test_documented_default_severity_matches_the_registry():
    text = (ROOT / "docs" / "rules.md").read_text()
    for line in text.splitlines():
        m = re.match(r"^\| `([a-z0-9-]+)` \| (\w+)", line)
        if m:
            assert m.group(2) == RULES[m.group(1)].severity.value or m.group(1) == "parse-warning", line


PLATFORM_LABELS = {"cisco_nxos": "NX-OS", "arista_eos": "EOS", "juniper_junos": "Junos", "huawei_vrpv8": "Huawei"}


def _rows() -> dict[str, dict[str, str]]:
    """Every rule row of docs/rules.md as {column header: cell}."""
    rows: dict[str, dict[str, str]] = {}
    header: list[str] = []
    for line in (ROOT / "docs" / "rules.md").read_text().splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not header:
            header = cells
        elif m := re.fullmatch(r"`([a-z0-9-]+)`", cells[0]):
            rows[m.group(1)] = dict(zip(header, cells))
    return rows


def _source_keys() -> set[str]:
    text = (ROOT / "docs" / "rules.md").read_text()
    return set(re.findall(r"^\| (\[[A-Za-z0-9-]+\]) \|", text.split("## Sources", 1)[1], flags=re.M))


def test_every_rule_states_its_source_and_cites_only_listed_documents():
    rows, keys = _rows(), _source_keys()
    assert keys, "docs/rules.md has no Sources table"
    for rule_id in RULES:
        source = rows[rule_id].get("source", "")
        assert source and source != "—", f"{rule_id}: no source"
        assert set(re.findall(r"\[[A-Za-z0-9-]+\]", source)) <= keys, f"{rule_id}: cites an unlisted document"


def test_a_rule_that_can_be_an_error_cites_a_document():
    """Policy: error only where a vendor (or the LACP standard) says the pair, a port-channel or its
    VLANs go down; a rule without a cited document is at most a warning."""
    from mlagauto.drivers import get_driver, platforms
    from mlagauto.model.finding import Severity

    rows = _rows()
    for rule_id, r in RULES.items():
        graded = {r.severity} | {s for p in platforms() for k, s in get_driver(p).severities.items() if k.partition(".")[0] == rule_id}
        if Severity.ERROR in graded and r.scope != "drift":
            assert re.search(r"\[[A-Za-z0-9-]+\]", rows[rule_id]["source"]), f"{rule_id} can be an error but cites no document"


def test_every_platform_grading_is_a_rule_and_documented_on_its_row():
    from mlagauto.drivers import get_driver, platforms

    rows = _rows()
    for platform in platforms():
        for key in get_driver(platform).severities:
            rule_id = key.partition(".")[0]
            assert rule_id in RULES, f"{platform}: severity for unknown rule {key}"
            assert PLATFORM_LABELS[platform] in rows[rule_id]["severity"], f"{platform} grades {key} but docs/rules.md does not say so"
