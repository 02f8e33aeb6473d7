"""The command line, end to end: exit codes, output contracts, lazy imports, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest
import yaml
from typer.testing import CliRunner

from mlagauto.cli import app
from tests.conftest import EXAMPLE, GOLDEN

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", [["--help"], ["render", "-i", str(EXAMPLE)], ["check", "-i", str(EXAMPLE)], ["audit", str(GOLDEN / "nx-1a.cfg"), str(GOLDEN / "nx-1b.cfg")]])
def test_offline_commands_do_not_import_transport_libraries(command):
    code = (
        "import sys\n"
        "from mlagauto.cli import app\n"
        "try:\n"
        f"    app({command!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('napalm', 'netmiko', 'paramiko', 'pyeapi', 'ncclient') or m.startswith('jnpr.'))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY=\n" in out, out[-500:]


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for cmd in ("render", "check", "schema", "parse", "audit"):
        assert cmd in result.output


def test_render_to_directory_matches_golden(tmp_path):
    result = run("render", "-i", str(EXAMPLE), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (GOLDEN / path.name).read_bytes()
    assert len(list(tmp_path.iterdir())) == 8


def test_render_one_host_to_stdout():
    result = run("render", "-i", str(EXAMPLE), "--host", "eos-1b")
    assert result.exit_code == 0
    assert result.output == (GOLDEN / "eos-1b.cfg").read_text()


def test_render_set_variant_for_junos():
    result = run("render", "-i", str(EXAMPLE), "--host", "qfx-1a", "--variant", "set")
    assert result.exit_code == 0
    assert all(line.startswith("set ") for line in result.output.splitlines() if line.strip())


def test_render_variant_refused_for_a_platform_without_it():
    result = run("render", "-i", str(EXAMPLE), "--variant", "set")
    assert result.exit_code == 2
    assert "nx-1a" in result.output


def test_render_unknown_host():
    result = run("render", "-i", str(EXAMPLE), "--host", "nope")
    assert result.exit_code == 2
    assert "nope" in result.output


def test_check_example_is_clean():
    result = run("check", "-i", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == (0, 0)
    assert len(data["pairs"]) == 4


def test_check_bad_input_exits_2_naming_file_host_field(tmp_path):
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE, inv)
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    hosts["eos-1a"]["data"]["mlag"]["keepalive"]["vrf"] = "MGMT\nno mlag configuration"
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    result = run("check", "-i", str(inv))
    assert result.exit_code == 2
    assert "hosts.yaml: host eos-1a: data.mlag.keepalive.vrf" in result.output
    assert "Traceback" not in result.output


def test_check_design_warning_exits_0(tmp_path):
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE, inv)
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    hosts["eos-1a"]["data"]["mlag"]["keepalive"].update(source="10.255.252.0", destination="10.255.252.1")
    hosts["eos-1b"]["data"]["mlag"]["keepalive"].update(source="10.255.252.1", destination="10.255.252.0")
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    result = run("check", "-i", str(inv), "--format", "json")
    assert result.exit_code == 0
    found = {f["rule"]: f["severity"] for p in json.loads(result.output)["pairs"] for f in p["findings"]}
    assert found["intent-keepalive-path"] == "warning"


def test_schema_describes_group_and_host():
    result = run("schema")
    data = json.loads(result.output)
    assert "domain_id" in data["group"]["properties"]
    assert "peers" not in data["group"]["properties"]
    assert "keepalive" in data["host"]["properties"]
    assert data["host"]["properties"]["role"]["description"]


def test_parse_json_contract():
    result = run("parse", str(GOLDEN / "nx-1b.cfg"), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["platform"] == "cisco_nxos"
    assert data["hostname"] == "nx-1b"
    assert data["domain_id"] == "10"
    assert data["peer_link"]["interface"] == "port-channel1"
    assert set(data["keepalive"]) >= {"source", "destination", "vrf"}
    assert data["keepalive"]["source"] == "192.168.0.12"
    itf = {i["mlag_id"]: i for i in data["mlag_interfaces"]}
    assert itf[13]["interface"] == "port-channel113"
    assert itf[11]["lacp_mode"] == "active" and itf[11]["mode"] == "trunk" and itf[11]["vlans"] == [10, 20, 30]
    assert isinstance(itf[11]["mlag_id"], int) and itf[11]["members"] == ["Ethernet1/1"]
    assert [v["id"] for v in data["vlans"]] == [10, 20, 30, 40]
    assert data["warnings"] == []


def test_parse_table_and_platform_override():
    result = run("parse", str(GOLDEN / "ce-1a.cfg"), "--platform", "huawei_vrpv8", "--format", "table")
    assert result.exit_code == 0
    assert "Eth-Trunk1" in result.output


def test_parse_missing_file_exits_2(tmp_path):
    result = run("parse", str(tmp_path / "missing.cfg"))
    assert result.exit_code == 2
    assert "missing.cfg" in result.output


@pytest.mark.parametrize("pair", [("nx-1a", "nx-1b"), ("eos-1a", "eos-1b"), ("qfx-1a", "qfx-1b"), ("ce-1a", "ce-1b")])
def test_audit_clean_rendered_pair(pair):
    result = run("audit", *(str(GOLDEN / f"{h}.cfg") for h in pair), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == (0, 0), data
    assert data["pairs"][0]["hosts"] == list(pair)


def test_audit_mismatched_pair_exits_1_with_finding_contract(tmp_path):
    a = tmp_path / "nx-1a.cfg"
    b = tmp_path / "nx-1b.cfg"
    a.write_text((GOLDEN / "nx-1a.cfg").read_text())
    b.write_text((GOLDEN / "nx-1b.cfg").read_text().replace("vpc domain 10", "vpc domain 11"))
    result = run("audit", str(a), str(b), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    finding = next(f for f in data["pairs"][0]["findings"] if f["rule"] == "domain-id")
    assert set(finding) >= {"rule", "severity", "hosts", "object", "message", "expected", "actual", "fix"}
    assert finding["severity"] == "error" and finding["expected"] == "10" and finding["actual"] == "11"
    assert data["summary"]["errors"] >= 1


def test_audit_junit_and_markdown(tmp_path):
    b = tmp_path / "nx-1b.cfg"
    b.write_text((GOLDEN / "nx-1b.cfg").read_text().replace("vpc domain 10", "vpc domain 11"))
    result = run("audit", str(GOLDEN / "nx-1a.cfg"), str(b), "--format", "junit")
    root = ET.fromstring(result.output.split("\n", 1)[1])
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["domain-id"].find("failure") is not None
    assert cases["peer-link-missing"].find("failure") is None
    md = run("audit", str(GOLDEN / "nx-1a.cfg"), str(b), "--format", "markdown").output
    assert f"| error | nx-1a, {b.stem} | `domain-id` |" in md


def test_audit_needs_two_configs():
    assert run("audit", str(GOLDEN / "nx-1a.cfg")).exit_code == 2


@pytest.mark.parametrize("platform", [[], ["--platform", "cisco_nxos"]])
def test_audit_of_two_platforms_is_bad_input_with_one_message(platform):
    result = run("audit", str(GOLDEN / "nx-1a.cfg"), str(GOLDEN / "eos-1a.cfg"), *platform, "--format", "json")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "eos-1a.cfg" in lines[0] and "arista_eos" in lines[0] and "None" not in lines[0]


def test_audit_inventory_against_configs_dir():
    result = run("audit", "-i", str(EXAMPLE), "--configs", str(GOLDEN), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["summary"]["errors"] == 0


def test_audit_inventory_reports_drift(tmp_path):
    configs = tmp_path / "configs"
    shutil.copytree(GOLDEN, configs)
    text = (configs / "eos-1a.cfg").read_text()
    (configs / "eos-1a.cfg").write_text(text.replace("   mlag 12\n", ""))
    result = run("audit", "-i", str(EXAMPLE), "--configs", str(configs), "--format", "json")
    data = json.loads(result.output)
    rules = {(f["rule"], f["object"]) for p in data["pairs"] for f in p["findings"]}
    assert ("drift-mlag", "mlag 12") in rules
    assert ("mlag-orphan", "mlag 12") in rules
    assert result.exit_code == 1


def test_audit_inventory_missing_config(tmp_path):
    result = run("audit", "-i", str(EXAMPLE), "--configs", str(tmp_path))
    assert result.exit_code == 2
    assert "nx-1a" in result.output


def _changed_domain(tmp_path):
    b = tmp_path / "nx-1b.cfg"
    b.write_text((GOLDEN / "nx-1b.cfg").read_text().replace("vpc domain 10", "vpc domain 11"))
    return b


def test_table_report_names_the_host_and_never_wraps_when_not_a_terminal(tmp_path):
    """A CI log keeps every word whole: no 80-column wrapping, one row per finding, a host column."""
    b = _changed_domain(tmp_path)
    long_fix = "x" * 150
    result = run("audit", str(GOLDEN / "nx-1a.cfg"), str(b))
    assert result.exit_code == 1
    header = next(line for line in result.output.splitlines() if "severity" in line)
    assert [c.strip() for c in header.strip("┃ ").split("┃")][:3] == ["severity", "host", "rule"]
    row = next(line for line in result.output.splitlines() if "domain-id" in line)
    assert "nx-1a, nx-1b" in row and "domain ids differ: the peers will never form a pair" in row and "vpc domain 10" in row
    assert result.output.rstrip().endswith("1 error, 0 warnings, 0 info")
    from mlagauto.model.finding import Finding, Severity
    from mlagauto.report import PairReport, table_text

    text = table_text([PairReport(hosts=["a", "b"], domain_id="1", findings=[Finding(rule="r", severity=Severity.ERROR, hosts=["a"], object="o", message="configured " * 20, fix=long_fix)])])
    assert long_fix in text and ("configured " * 20).strip() in text


def test_table_format_with_output_writes_the_table_to_the_file(tmp_path):
    b = _changed_domain(tmp_path)
    out = tmp_path / "report.txt"
    result = run("audit", str(GOLDEN / "nx-1a.cfg"), str(b), "-o", str(out))
    assert result.exit_code == 1 and result.output == ""
    text = out.read_text()
    assert "domain-id" in text and "\x1b[" not in text and text.rstrip().endswith("1 error, 0 warnings, 0 info")
    check_out = tmp_path / "check.txt"
    assert run("check", "-i", str(EXAMPLE), "-o", str(check_out)).exit_code == 0
    assert "nxos_pair: nx-1a + nx-1b (domain 10): no findings" in check_out.read_text()


def test_one_pair_label_in_every_report(tmp_path):
    """The inventory's pair name and the domain id, the same in check, audit -i and the formats."""
    configs = tmp_path / "configs"
    configs.mkdir()
    for cfg in GOLDEN.glob("*.cfg"):
        shutil.copy(cfg, configs)
    checked = run("check", "-i", str(EXAMPLE)).output
    audited = run("audit", "-i", str(EXAMPLE), "--configs", str(configs)).output
    for label in ("nxos_pair: nx-1a + nx-1b (domain 10)", "eos_pair: eos-1a + eos-1b (domain MLAG01)"):
        assert label in checked and label in audited
    data = json.loads(run("audit", "-i", str(EXAMPLE), "--configs", str(configs), "-f", "json").output)
    assert [p["pair"] for p in data["pairs"]] == ["nxos_pair", "eos_pair", "junos_pair", "huawei_pair"]
    assert "None" not in checked + audited


def test_parse_table_says_what_is_not_configured():
    result = run("parse", str(GOLDEN / "eos-1a.cfg"), "-f", "table")
    assert result.exit_code == 0
    assert "None" not in result.output
    assert "keepalive: (no source) -> 192.168.0.22 vrf MGMT" in result.output


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag(flag):
    from mlagauto import __version__

    result = run(flag)
    assert result.exit_code == 0 and result.output.strip() == __version__


@pytest.mark.parametrize("argv", [["-h"], ["render", "-h"], ["lab", "-h"]])
def test_short_help(argv):
    result = run(*argv)
    assert result.exit_code == 0 and "Usage" in result.output
