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
