"""``mlagauto validate --outputs DIR`` and ``mlagauto.validate.validate_outputs``: live rules over
saved show outputs, one file per host and command; exit codes 0 clean, 1 errors, 2 bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.validate import output_file_names, read_output_dir, validate_outputs
from tests.conftest import EXAMPLE, FIXTURES

runner = CliRunner()
EOS = FIXTURES / "arista_eos" / "state"
NXOS = FIXTURES / "cisco_nxos" / "state"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def report(result) -> dict:
    return json.loads(result.stdout)


def nxos_dir(tmp_path: Path, case: str) -> Path:
    """The NX-OS fixtures of ``case`` laid out as the example inventory's nx-1a / nx-1b."""
    for fixture, host in (("nx-a", "nx-1a"), ("nx-b", "nx-1b")):
        shutil.copytree(NXOS / f"{case}-{fixture}", tmp_path / host)
    return tmp_path


def test_file_names_prefer_the_live_form_then_accept_the_other():
    assert output_file_names("show mlag detail | json")[:4] == ["show_mlag_detail.json", "show_mlag_detail_json.txt", "show_mlag_detail.txt", "show mlag detail.json"]
    assert output_file_names("show lacp neighbor")[:3] == ["show_lacp_neighbor.txt", "show_lacp_neighbor.json", "show_lacp_neighbor_json.txt"]
    assert output_file_names("show configuration interfaces | display set")[0] == "show_configuration_interfaces_display_set.txt"
    assert output_file_names("display dfs-group 1 m-lag brief")[0] == "display_dfs-group_1_m-lag_brief.txt"


def test_healthy_pair_without_inventory_exits_0():
    result = run("validate", "--outputs", str(EOS / "healthy"), "--platform", "arista_eos", "--format", "json")
    assert result.exit_code == 0, result.output
    data = report(result)
    assert data["summary"] == {"errors": 0, "warnings": 0, "info": 0}
    assert data["pairs"][0]["hosts"] == ["leaf1a", "leaf1b"] and data["pairs"][0]["domain_id"] == "POD1_MLAG"


def test_text_captures_with_a_member_on_another_server_exit_1():
    """Text only, names with spaces, prompts around the capture: the miscabled member is an error."""
    result = run("validate", "--outputs", str(EOS / "partner_mismatch"), "-p", "arista_eos", "-f", "json")
    assert result.exit_code == 1, result.output
    (finding,) = report(result)["pairs"][0]["findings"]
    assert (finding["rule"], finding["severity"], finding["hosts"], finding["object"]) == ("live-member-partner", "error", ["leaf1b"], "mlag 5 Ethernet2")
    assert "3c:ec:ef:21:00:05" in finding["message"] and "3c:ec:ef:21:00:06" in finding["message"]


def test_pairs_from_the_inventory(tmp_path):
    directory = nxos_dir(tmp_path, "partner-mismatch")
    result = run("validate", "-i", str(EXAMPLE), "--outputs", str(directory), "--limit", "nxos_pair", "-f", "json")
    assert result.exit_code == 1, result.output
    pair = report(result)["pairs"][0]
    assert pair["hosts"] == ["nx-1a", "nx-1b"]
    assert [(f["rule"], f["hosts"], f["object"]) for f in pair["findings"]] == [("live-member-partner", ["nx-1b"], "mlag 14 Ethernet1/4")]


def test_healthy_inventory_pair_in_junit(tmp_path):
    directory = nxos_dir(tmp_path, "healthy")
    out = tmp_path / "live.xml"
    result = run("validate", "-i", str(EXAMPLE), "--outputs", str(directory), "--limit", "nxos_pair", "-f", "junit", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "live-member-partner" in out.read_text() and "<failure" not in out.read_text()


def test_missing_host_folder_exits_2_naming_it(tmp_path):
    directory = nxos_dir(tmp_path, "healthy")
    result = run("validate", "-i", str(EXAMPLE), "--outputs", str(directory), "--limit", "eos_pair")
    assert result.exit_code == 2
    assert str(directory / "eos-1a") in result.stderr


def test_missing_files_are_warnings_naming_the_file(tmp_path):
    """No LACP output on leaf1b: the rest still validates, and the warning says what file was
    expected. No ``show mlag detail`` on leaf1a: that switch reads as unconfigured, an error."""
    shutil.copytree(EOS / "healthy", tmp_path / "pair")
    for name in ("show_lacp_neighbor.json", "show_lacp_neighbor.txt"):
        (tmp_path / "pair" / "leaf1b" / name).unlink()
    result = run("validate", "--outputs", str(tmp_path / "pair"), "-p", "arista_eos", "-f", "json")
    assert result.exit_code == 0, result.output
    (warning,) = report(result)["pairs"][0]["findings"]
    assert warning["rule"] == "live-state-unreadable" and warning["hosts"] == ["leaf1b"]
    assert warning["message"] == f"show lacp neighbor | json: no saved output (expected {tmp_path / 'pair' / 'leaf1b' / 'show_lacp_neighbor.json'})"
    for name in ("show_mlag_detail.json", "show_mlag_detail.txt"):
        (tmp_path / "pair" / "leaf1a" / name).unlink()
    result = run("validate", "--outputs", str(tmp_path / "pair"), "-p", "arista_eos", "-f", "json")
    assert result.exit_code == 1
    messages = [f["message"] for f in report(result)["pairs"][0]["findings"] if f["rule"] == "live-state-unreadable"]
    assert any(m.startswith("show mlag detail | json: no saved output (expected ") for m in messages)
    assert not any(m.endswith(": no output") for m in messages)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outputs", "{eos}/healthy"], "needs --platform"),
        (["--outputs", "{eos}/healthy", "-p", "cisco_ios"], "needs --platform"),
        (["--outputs", "{eos}", "-p", "arista_eos"], "host folders"),
        (["--outputs", "{eos}/nowhere", "-p", "arista_eos"], "no such folder"),
        (["--outputs", "{eos}/healthy", "-p", "arista_eos", "--limit", "eos_pair"], "--limit"),
        (["--outputs", "{eos}/healthy", "-p", "arista_eos", "-i", str(EXAMPLE)], "--platform is for"),
        ([], "--outputs DIR"),
    ],
)
def test_bad_input_exits_2(args, message):
    result = run("validate", *[a.replace("{eos}", str(EOS)) for a in args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_library_call_with_outputs_at_hand():
    host_dirs = {h: read_output_dir(EOS / "healthy" / h, ("show mlag detail | json", "show mlag interfaces | json", "show mlag config-sanity | json", "show lacp neighbor | json")) for h in ("leaf1a", "leaf1b")}
    assert all(not missing for _, missing in host_dirs.values())
    outputs = {h: found for h, (found, _) in host_dirs.items()}
    assert validate_outputs("arista_eos", ["leaf1a", "leaf1b"], outputs).findings == []
    broken = outputs | {"leaf1b": {}}
    assert {f.rule for f in validate_outputs("arista_eos", ["leaf1a", "leaf1b"], broken).findings} >= {"live-peer", "live-state-unreadable"}


def textfsm_modules(args: list[str]) -> str:
    """The textfsm / ntc-templates modules a fresh interpreter holds after ``mlagauto ARGS``."""
    code = (
        "import sys\n"
        "from mlagauto.cli import app\n"
        "try:\n"
        "    app(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('HEAVY=' + ','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textfsm', 'ntc_templates'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    return out.rsplit("HEAVY=", 1)[1].strip()


def test_textfsm_is_imported_only_to_read_text_that_needs_it(tmp_path):
    """``--help`` and JSON outputs run without textfsm; the NX-OS text of ``show port-channel
    summary`` is read with ntc-templates, so that run loads it."""
    assert textfsm_modules(["--help"]) == ""
    json_dir = nxos_dir(tmp_path / "json", "healthy")
    assert textfsm_modules(["validate", "--outputs", str(json_dir), "-p", "cisco_nxos"]) == ""
    text_dir = nxos_dir(tmp_path / "text", "partner-mismatch")
    assert "textfsm" in textfsm_modules(["validate", "--outputs", str(text_dir), "-p", "cisco_nxos"]).split(",")
