"""``python -m mlagauto.lab serve -i INVENTORY [--state FILE]``: the process a background lab runs in."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlagauto.lab.runner import serve


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m mlagauto.lab")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="serve the lab of an inventory until SIGTERM")
    run.add_argument("-i", "--inventory", required=True)
    run.add_argument("--state", type=Path, default=None)
    opts = ap.parse_args()
    serve(opts.inventory, opts.state)


if __name__ == "__main__":
    main()
