"""A Nornir playbook that never calls ``nr.close_connections()`` still exits at once: napalm
drivers probe their session from ``__del__`` at interpreter teardown, and ``nxos_ssh`` would wait
out its read timeout (about 100 s) there; ``prepare_hosts`` closes the connections at exit."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.conftest import ROOT
from tests.lab.conftest import SECRET

PLAYBOOK = """
import sys
from mlagauto.nornir import diff_mlag, init_nornir
from mlagauto.inventory import load_fabric
nr = init_nornir(sys.argv[1])
fabric = load_fabric(sys.argv[1])
results = nr.filter(filter_func=lambda h: h.name in ("nx-1a", "nx-1b")).run(task=diff_mlag, fabric=fabric)
print("FAILED" if results.failed else "DIFFED", flush=True)
"""


def test_playbook_without_close_connections_exits_promptly(lab_env):
    env = {**os.environ, "MLAGAUTO_USERNAME": "netops", "MLAGAUTO_PASSWORD": SECRET, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", PLAYBOOK, str(lab_env["inv"])], env=env, capture_output=True, text=True, timeout=90)
    elapsed = time.monotonic() - started
    assert done.returncode == 0 and "DIFFED" in done.stdout, done.stdout + done.stderr
    assert elapsed < 30, f"the playbook took {elapsed:.0f} s to exit"
