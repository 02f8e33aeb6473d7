"""``mlagauto hosts``: the servers' side of the MLAG interfaces. Imports stay inside the commands,
so ``mlagauto --help`` does not pay for them."""

from __future__ import annotations

import typer

hosts_app = typer.Typer(help="The dual-homed servers' bonds: render them from the intent, check them against the pair, validate their live state.", no_args_is_help=True)
