"""`mlagauto demo`, the README's main job, on a copy of the lab inventory with free ports."""

from __future__ import annotations

from typer.testing import CliRunner

from mlagauto.cli import app
from tests.lab.conftest import lab_inventory_copy


def test_demo_deploys_validates_and_audits_the_lab(tmp_path):
    inv, _ = lab_inventory_copy(tmp_path)
    result = CliRunner().invoke(app, ["demo", "-i", str(inv), "--backups", str(tmp_path / "backups")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "deploy: nxos_pair ok, eos_pair ok, junos_pair ok, huawei_pair ok" in result.output
    assert "validate: 0 errors, 0 warnings," in result.output and "audit: 0 errors, 0 warnings," in result.output
    assert "5. validate the servers' bonds" in result.output
    assert "servers: 3 bonds, 0 errors, 0 warnings," in result.output  # server1, pxe1, nas1 on the deployed pairs
    for label in ("nxos_pair mlag 11 (nx-1a + nx-1b): server1", "eos_pair mlag 13 (eos-1a + eos-1b): pxe1", "eos_pair mlag 14 (eos-1a + eos-1b): nas1"):
        assert label in result.output
    runs = [p for p in (tmp_path / "backups").iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
    assert len(runs) == 1 and len(list(runs[0].glob("*.cfg"))) == 8
