"""The wheel carries the templates: build it, unpack it away from the checkout, and render from
another directory with only the wheel's files on the path."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT


def test_wheel_ships_templates_and_renders_from_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("mlagauto-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for platform in ("cisco_nxos", "arista_eos", "juniper_junos", "huawei_vrpv8"):
        assert any(n.startswith(f"mlagauto/vendors/{platform}/") and n.endswith(".j2") for n in names), platform
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [sys.executable, "-c", "import mlagauto, sys; print(mlagauto.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(site), "the unpacked wheel, not the checkout, must be imported"
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "mlagauto.cli", "render", "-i", str(EXAMPLE), "-o", str(out)],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    rendered = sorted(p.name for p in out.iterdir())
    assert rendered == sorted(f"{h}.cfg" for h in ("nx-1a", "nx-1b", "eos-1a", "eos-1b", "qfx-1a", "qfx-1b", "ce-1a", "ce-1b"))
    for p in out.iterdir():
        assert p.read_text() == (ROOT / "golden_configs" / p.name).read_text()
