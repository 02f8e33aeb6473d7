"""Running a lab from the command line: in the foreground until Ctrl-C, or in the background as a
detached process that a state file (pid, inventory, devices) lets ``lab down`` / ``lab status``
find again."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from mlagauto.lab.lab import Lab


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "mlagauto" / "labs"


def state_file(inventory: str | Path) -> Path:
    """One state file per inventory directory (keyed by its absolute path)."""
    key = hashlib.sha256(str(Path(inventory).resolve()).encode()).hexdigest()[:16]
    return state_dir() / f"{key}.json"


def serve(inventory: str | Path, state: Path | None = None, lab: Lab | None = None) -> None:
    """Start the lab (built from ``inventory`` unless given) and block until SIGTERM / SIGINT; the
    state file exists while it runs."""
    lab = lab or Lab.from_inventory(inventory)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    lab.start()
    try:
        if state is not None:
            state.parent.mkdir(parents=True, exist_ok=True)
            tmp = state.with_suffix(".tmp")
            tmp.write_text(json.dumps({"pid": os.getpid(), "inventory": str(Path(inventory).resolve()), "devices": lab.describe()}, indent=2))
            tmp.replace(state)
        while not stop.wait(0.5):
            pass
    finally:
        lab.stop()
        if state is not None:
            state.unlink(missing_ok=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def start_background(inventory: str | Path, timeout: float = 30) -> dict[str, Any]:
    """Spawn ``python -m mlagauto.lab serve`` detached and wait until its state file appears."""
    state = state_file(inventory)
    if state.exists() and is_running(json.loads(state.read_text())):
        raise RuntimeError(f"a lab for {inventory} already runs (pid {json.loads(state.read_text())['pid']}); stop it with `mlagauto lab down`")
    state.unlink(missing_ok=True)
    log = state.with_suffix(".log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlagauto.lab", "serve", "-i", str(inventory), "--state", str(state)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state.exists():
            return json.loads(state.read_text())
        if proc.poll() is not None:
            raise RuntimeError(f"the lab exited at start:\n{log.read_text()}")
        time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"the lab did not start within {timeout:.0f} s; see {log}")


def is_running(info: dict[str, Any]) -> bool:
    try:
        os.kill(int(info["pid"]), 0)
    except (OSError, KeyError, ValueError):
        return False
    return True


def stop_background(inventory: str | Path, timeout: float = 15) -> bool:
    """Stop the background lab of ``inventory``; False when none was running."""
    state = state_file(inventory)
    if not state.exists():
        return False
    info = json.loads(state.read_text())
    if not is_running(info):
        state.unlink(missing_ok=True)
        return False
    os.kill(int(info["pid"]), signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and is_running(info):
        time.sleep(0.1)
    if is_running(info):
        os.kill(int(info["pid"]), signal.SIGKILL)
    state.unlink(missing_ok=True)
    return True


def listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def running_labs() -> list[dict[str, Any]]:
    """Every background lab with a state file, with liveness filled in."""
    out = []
    for path in sorted(state_dir().glob("*.json")):
        try:
            info = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        info["running"] = is_running(info)
        out.append(info)
    return out
