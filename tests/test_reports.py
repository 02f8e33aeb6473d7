"""Report formats: a switch that could not be read is an error in every one of them, counted in
the summary, and JUnit tells a check that could not run (``<error>``) from one that failed."""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree as ET

import pytest
from rich.console import Console

from mlagauto.model.peer_state import PeerState
from mlagauto.report import PairReport, exit_code, print_table, summary, to_json, to_junit, to_markdown
from mlagauto.validate import error_line, pair_report

ERROR = "NetmikoTimeoutException: TCP connection to device failed. (127.0.0.1:2222)"


def unreachable_pair() -> PairReport:
    states = [PeerState(platform="cisco_nxos", hostname="nx-1a", configured=True, domain_id="10"), PeerState(platform="cisco_nxos", hostname="nx-1b", unreachable=ERROR)]
    return pair_report(["nx-1a", "nx-1b"], states)


def test_an_unreachable_peer_is_one_error_and_no_other_rule_runs():
    report = unreachable_pair()
    assert [(f.rule, f.severity.value, f.hosts) for f in report.findings] == [("live-unreachable", "error", ["nx-1b"])]
    assert report.rules_run == ["live-unreachable"]
    assert report.domain_id == "10"
    assert summary([report])["errors"] == 1
    assert exit_code([report]) == 1


def test_json_lists_the_finding_and_counts_it():
    data = json.loads(to_json([unreachable_pair()]))
    assert data["summary"] == {"errors": 1, "warnings": 0, "info": 0}
    assert data["pairs"][0]["findings"][0]["actual"] == ERROR


def test_junit_reports_an_error_element_not_a_failure():
    suite = ET.fromstring(to_junit([unreachable_pair()])).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("1", "1", "0")
    case = suite.find("testcase")
    assert case is not None and case.find("failure") is None
    assert ERROR in (case.find("error").get("message") or "")


def test_junit_still_fails_a_rule_whose_check_ran():
    a = PeerState(platform="cisco_nxos", hostname="a", configured=True, peer_status="down", role="primary")
    b = PeerState(platform="cisco_nxos", hostname="b", configured=True, peer_status="up", role="secondary")
    suite = ET.fromstring(to_junit([pair_report(["a", "b"], [a, b])])).find("testsuite")
    assert suite is not None and suite.get("errors") == "0" and int(suite.get("failures", "0")) >= 1
    failing = {c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None}
    assert "live-peer" in failing
    assert "live-unreachable" not in failing


def test_markdown_and_table_show_the_finding_not_a_green_pair():
    markdown = to_markdown([unreachable_pair()])
    assert markdown.splitlines()[0] == "## MLAG audit: 1 error, 0 warnings, 0 info"
    assert "| error | nx-1b | `live-unreachable` |" in markdown and "No findings." not in markdown
    out = io.StringIO()
    print_table([unreachable_pair()], Console(file=out, width=300))
    text = out.getvalue()
    assert "live-unreachable" in text and "no findings" not in text
    assert text.rstrip().endswith("1 error, 0 warnings, 0 info")


def test_a_pair_nobody_could_read_prints_no_domain_none():
    states = [PeerState(platform="cisco_nxos", hostname=h, unreachable=ERROR) for h in ("a", "b")]
    report = pair_report(["a", "b"], states)
    assert len(report.findings) == 2
    assert "None" not in to_markdown([report])


@pytest.mark.parametrize(
    ("exc", "line"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "ConnectionRefusedError: [Errno 111] Connection refused"),
        (TimeoutError("TCP connection to device failed.\n\nCommon causes of this problem are:\n1. wrong port"), "TimeoutError: TCP connection to device failed."),
        (OSError(), "OSError"),
    ],
)
def test_a_client_error_is_one_line(exc, line):
    assert error_line(exc) == line
