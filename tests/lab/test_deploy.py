"""End to end: deploy the lab inventory with the real napalm / netmiko clients against the
simulated lab, pair by pair, through every failure the lab can inject."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import yaml
from netmiko import ConnectHandler
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.deploy import BLOCKED, DRY_RUN, OK, ROLLED_BACK, UNCHANGED, DeployOptions, deploy_fabric, exit_code
from mlagauto.drivers import get_driver
from mlagauto.inventory import load_fabric
from mlagauto.validate import validate_fabric
from tests.lab.conftest import SECRET, intended, running_mlag


def deploy(env, **kw):
    opts = DeployOptions(backup_root=env["backups"], settle_attempts=3, settle_interval=0.2, **kw)
    return {o.domain: o for o in deploy_fabric(env["nr"], env["fabric"], opts)}


def test_full_deploy_validates_and_is_idempotent(lab_env):
    first = deploy(lab_env)
    assert {d: o.status for d, o in first.items()} == {d: OK for d in first}, {d: o.message for d, o in first.items()}
    for host in lab_env["fabric"].hosts():
        assert running_mlag(lab_env, host) == intended(lab_env, host), host
        assert (Path(first[lab_env["fabric"].domain_of(host).name].outcomes[host].backup)).is_file()
    reports, failures = validate_fabric(lab_env["nr"], lab_env["fabric"])
    assert failures == {}
    assert [f for r in reports for f in r.findings if f.severity.value == "error"] == []
    second = deploy(lab_env)
    assert {o.status for o in second.values()} == {UNCHANGED}
    assert all(not h.diff for o in second.values() for h in o.outcomes.values())
    assert exit_code(list(second.values())) == 0


def test_dry_run_changes_nothing(lab_env):
    before = {h: lab_env["lab"].device(h).running for h in lab_env["fabric"].hosts()}
    outcomes = deploy(lab_env, dry_run=True)
    assert {o.status for o in outcomes.values()} == {DRY_RUN}
    assert all(h.diff for o in outcomes.values() for h in o.outcomes.values())
    assert {h: lab_env["lab"].device(h).running for h in before} == before
    runs = [p for p in lab_env["backups"].iterdir() if p.name != ".locks"] if lab_env["backups"].exists() else []
    assert runs == [], runs  # a dry run writes no backups, journal or run folder
    assert all(h.backup is None for o in outcomes.values() for h in o.outcomes.values())


def test_diff_exit_code_says_whether_anything_would_change(lab_env):
    """0 nothing would change, 1 something would (as ``git diff --exit-code``), 3 unreadable."""
    invoke = lambda *a: CliRunner().invoke(app, ["diff", "-i", str(lab_env["inv"]), "--limit", "eos_pair", *a], catch_exceptions=False)
    pending = invoke("-f", "json")
    assert pending.exit_code == 1, pending.output
    assert all(item["diff"] for item in json.loads(pending.output).values())
    lab_env["nr"].close_connections()
    assert {o.status for o in deploy_fabric(lab_env["nr"], lab_env["fabric"], DeployOptions(backup_root=lab_env["backups"]), ["eos_pair"])} == {OK}
    lab_env["nr"].close_connections()
    clean = invoke()
    assert clean.exit_code == 0, clean.output
    assert "### eos-1a: no change" in clean.output
    lab_env["lab"].device("eos-1b").faults.refuse_login = True
    failed = invoke()
    assert failed.exit_code == 3, failed.output


def _assert_pair_restored(env, outcome):
    for host in outcome.hosts:
        backup = Path(outcome.outcomes[host].backup)
        assert backup.is_file()
        driver = get_driver(env["lab"].device(host).platform)
        assert running_mlag(env, host) == driver.parse_config(backup.read_text(), hostname=host), host


@pytest.mark.parametrize(
    "domain,host,knob,value",
    [
        ("nxos_pair", "nx-1a", "drop_on_commit", True),
        ("eos_pair", "eos-1a", "reject_next_commit", True),
        ("junos_pair", "qfx-1b", "reject_next_commit", True),
        ("huawei_pair", "ce-1a", "drop_on_commit", True),
    ],
)
def test_a_failing_peer_rolls_its_pair_back_and_leaves_the_others_alone(lab_env, domain, host, knob, value):
    if knob == "drop_on_commit":  # the CLI transports wait out their read timeout on a dropped session: keep it short here
        from nornir.core.inventory import ConnectionOptions

        options = lab_env["nr"].inventory.hosts[host].connection_options
        netmiko = options.setdefault("netmiko", ConnectionOptions())
        netmiko.extras = {**(netmiko.extras or {}), "read_timeout_override": 6}
        napalm = options.setdefault("napalm", ConnectionOptions())
        extras = dict(napalm.extras or {})
        extras["optional_args"] = {**extras.get("optional_args", {}), "read_timeout_override": 6}  # nxos_ssh hands it to netmiko
        napalm.extras = extras
    setattr(lab_env["lab"].device(host).faults, knob, value)
    outcomes = deploy(lab_env)
    failed = outcomes[domain]
    assert failed.status == ROLLED_BACK, failed.message
    _assert_pair_restored(lab_env, failed)
    for name, outcome in outcomes.items():
        if name != domain:
            assert outcome.status == OK, (name, outcome.message)
    assert exit_code(list(outcomes.values())) == 3


def test_login_refused_changes_nothing(lab_env):
    lab_env["lab"].device("eos-1b").faults.refuse_login = True
    before = lab_env["lab"].device("eos-1a").running
    outcomes = deploy(lab_env)
    assert outcomes["eos_pair"].status == "failed" and outcomes["eos_pair"].device_failure
    assert lab_env["lab"].device("eos-1a").running == before
    assert outcomes["nxos_pair"].status == OK


def test_slow_device_still_deploys(lab_env):
    lab_env["lab"].device("ce-1b").faults.delay = 0.05
    outcomes = deploy(lab_env)
    assert outcomes["huawei_pair"].status == OK, outcomes["huawei_pair"].message


def test_predicted_inconsistency_blocks_the_pair(lab_env):
    """The predicted pair is audited before anything is pushed. An inventory plugin that hands
    over a domain the model never validated (here nx-1b's keepalive aimed at itself) is stopped
    by the pair rules on the prediction, with nothing committed; a switch that drifted outside
    the intent (an STP mode set by hand) is not a reason to block: the change takes it back."""
    fabric = lab_env["fabric"]
    nxos = fabric.domain("nxos_pair")
    a, b = nxos.peers
    unchecked = nxos.model_copy(update={"peers": [a, b.model_copy(update={"keepalive": b.keepalive.model_copy(update={"destination": b.keepalive.source})})]})
    opts = DeployOptions(backup_root=lab_env["backups"], settle_attempts=3, settle_interval=0.2)
    blocked = deploy_fabric(lab_env["nr"], fabric.model_copy(update={"domains": [unchecked]}), opts)[0]
    assert blocked.status == BLOCKED, blocked.message
    assert any(f.rule == "keepalive-mirror" for f in blocked.findings)
    assert not any(h.committed for h in blocked.outcomes.values())
    host = lab_env["hosts"]["nx-1b"]
    with ConnectHandler(device_type="cisco_nxos", host="127.0.0.1", port=host["port"], username="netops", password=SECRET) as conn:
        conn.send_config_set(["spanning-tree mode mst"])
    outcomes = deploy(lab_env)
    assert outcomes["nxos_pair"].status == OK, outcomes["nxos_pair"].message
    assert running_mlag(lab_env, "nx-1b") == intended(lab_env, "nx-1b")


def test_stale_mlag_interface_is_removed(lab_env):
    assert deploy(lab_env)["eos_pair"].status == OK
    groups = yaml.safe_load((lab_env["inv"] / "groups.yaml").read_text())
    groups["eos_pair"]["data"]["mlag"]["mlag_interfaces"] = [i for i in groups["eos_pair"]["data"]["mlag"]["mlag_interfaces"] if i["mlag_id"] != 14]
    (lab_env["inv"] / "groups.yaml").write_text(yaml.safe_dump(groups))
    lab_env["fabric"] = load_fabric(lab_env["inv"])
    outcome = deploy(lab_env)["eos_pair"]
    assert outcome.status == OK, outcome.message
    for host in ("eos-1a", "eos-1b"):
        running = running_mlag(lab_env, host)
        assert 14 not in {i.mlag_id for i in running.mlag_interfaces}
        assert running == intended(lab_env, host)


def test_credentials_never_in_logs_reports_or_backups(lab_env, caplog):
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(app, ["deploy", "-i", str(lab_env["inv"]), "--format", "json", "--backups", str(lab_env["backups"])], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["pairs"]
    assert SECRET not in result.output
    assert SECRET not in caplog.text
    for path in lab_env["backups"].rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(), path


def test_a_rejected_nxos_commit_is_not_sent_again_by_the_next_deploy(lab_env):
    """Nornir keeps the napalm connection open between deploys of one playbook: what a rejected
    commit left in the client must not travel with the next change."""
    lab_env["lab"].device("nx-1b").faults.reject_next_commit = True
    first = deploy(lab_env)["nxos_pair"]
    assert first.status == ROLLED_BACK, first.message
    again = deploy(lab_env)["nxos_pair"]
    assert again.status == OK, again.message
    assert again.outcomes["nx-1b"].diff == first.outcomes["nx-1b"].diff
    assert running_mlag(lab_env, "nx-1b") == intended(lab_env, "nx-1b")


def test_a_new_vpc_domain_id_converges_and_goes_back(lab_env):
    """A domain id change takes the old domain away first, on both peers in turn, and the pair
    validates under the new id; going back works the same way."""
    fabric = lab_env["fabric"]
    moved = fabric.model_copy(update={"domains": [d.model_copy(update={"domain_id": 11}) if d.name == "nxos_pair" else d for d in fabric.domains]})
    opts = DeployOptions(backup_root=lab_env["backups"], settle_attempts=3, settle_interval=0.2)
    for target in (fabric, moved, fabric):
        outcome = deploy_fabric(lab_env["nr"], target, opts, ["nxos_pair"])[0]
        assert outcome.status in (OK, UNCHANGED), outcome.message
        domain = target.domain("nxos_pair")
        for host in domain.hostnames:
            assert running_mlag(lab_env, host) == get_driver(domain.platform).peer_config(domain, host), host
