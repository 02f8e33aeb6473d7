"""Rendering, checking and auditing on worker processes: the output does not depend on ``--jobs``."""

from __future__ import annotations

import gc
import os
import shutil

import yaml
from typer.testing import CliRunner

from mlagauto.cli import app
from mlagauto.inventory import load_fabric
from mlagauto.model.intent import MlagDomain
from mlagauto.render import MIN_PAIRS_PER_WORKER, map_domains, render_fabric, worker_count
from tests.conftest import EXAMPLE, GOLDEN

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _name_and_pid(domain: MlagDomain) -> tuple[str, int]:
    return domain.name, os.getpid()


def test_map_domains_runs_on_workers_in_inventory_order():
    domains = load_fabric(EXAMPLE).domains
    results = map_domains(domains, _name_and_pid, jobs=2)
    assert [name for name, _ in results] == [d.name for d in domains]
    assert os.getpid() not in {pid for _, pid in results}


def test_map_domains_in_process_leaves_the_collector_as_it_was():
    domains = load_fabric(EXAMPLE).domains
    before = gc.get_freeze_count()
    assert [name for name, _ in map_domains(domains, _name_and_pid, jobs=1)] == [d.name for d in domains]
    assert gc.get_freeze_count() == before


def test_worker_count():
    assert worker_count(4, 1) == 1
    assert worker_count(4, 2) == 2
    assert worker_count(1, 8) == 1, "never more workers than pairs"
    assert worker_count(MIN_PAIRS_PER_WORKER - 1, None) == 1, "a small inventory renders in-process"


def test_render_fabric_same_with_one_and_two_jobs():
    fabric = load_fabric(EXAMPLE)
    assert render_fabric(fabric, jobs=2) == render_fabric(fabric, jobs=1)
    hosts = ["qfx-1b", "nx-1a", "eos-1b"]
    subset = render_fabric(fabric, hosts, jobs=2)
    assert list(subset) == hosts
    assert subset == render_fabric(fabric, hosts, jobs=1)


def test_render_cli_same_output_with_one_and_two_jobs(tmp_path):
    one, two = run("render", "-i", str(EXAMPLE), "--jobs", "1"), run("render", "-i", str(EXAMPLE), "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.output == two.output
    result = run("render", "-i", str(EXAMPLE), "-o", str(tmp_path), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in GOLDEN.glob("*.cfg"))
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (GOLDEN / path.name).read_bytes()


def test_audit_cli_same_report_with_one_and_two_jobs(tmp_path):
    configs = tmp_path / "configs"
    shutil.copytree(GOLDEN, configs)
    drifted = configs / "eos-1b.cfg"
    drifted.write_text(drifted.read_text().replace("mlag 11", "mlag 99"))
    reports = [run("audit", "-i", str(EXAMPLE), "--configs", str(configs), "--format", "json", "--jobs", jobs) for jobs in ("1", "2")]
    assert reports[0].exit_code == reports[1].exit_code == 1
    assert reports[0].output == reports[1].output
    assert '"mlag 99"' in reports[0].output


def test_audit_cli_missing_config_same_error_with_two_jobs(tmp_path):
    configs = tmp_path / "configs"
    shutil.copytree(GOLDEN, configs)
    (configs / "ce-1b.cfg").unlink()
    results = [run("audit", "-i", str(EXAMPLE), "--configs", str(configs), "--jobs", jobs) for jobs in ("1", "2")]
    assert results[0].exit_code == results[1].exit_code == 2
    assert results[0].output == results[1].output
    assert "ce-1b" in results[1].output


def test_check_cli_same_report_with_one_and_two_jobs(tmp_path):
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE, inv)
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text())
    for host, (src, dst) in {"eos-1a": ("10.255.252.0", "10.255.252.1"), "eos-1b": ("10.255.252.1", "10.255.252.0")}.items():
        hosts[host]["data"]["mlag"]["keepalive"].update(source=src, destination=dst)  # a design warning
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    reports = [run("check", "-i", str(inv), "--format", "json", "--jobs", jobs) for jobs in ("1", "2")]
    assert reports[0].exit_code == reports[1].exit_code == 0
    assert reports[0].output == reports[1].output
    assert '"rule": "intent-keepalive-path"' in reports[0].output
