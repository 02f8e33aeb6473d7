"""eAPI: EOS's JSON-RPC 2.0 over HTTP (``POST /command-api``, method ``runCmds``), as pyeapi and
napalm ``eos`` use it.

Each request runs its commands in a fresh CLI session, in order, stopping at the first failure.
Results are JSON models (``format: json``) or ``{"output": text}`` (``format: text``); a failure
answers ``error`` with code 1002 and ``data`` holding the results so far plus ``{"errors": [...]}``
for the failed command, and code 1003 for a command without a JSON model asked as JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mlagauto.lab.arista_eos.cli import EosCli
from mlagauto.lab.arista_eos.config import CliError

if TYPE_CHECKING:
    from mlagauto.lab.arista_eos.device import EosDevice

_FAILURE = {"invalid": "invalid command", "incomplete": "incomplete command", "failed": "could not run command"}
_UNCONVERTED = 'Command cannot be used over the API at this time. To see ASCII output, set format="text" in your request'
_JSON_HEADERS = {"Content-Type": "application/json"}


def _reply(payload: dict[str, Any], status: int = 200) -> tuple[int, dict[str, str], bytes]:
    return status, dict(_JSON_HEADERS), json.dumps(payload).encode()


def _rpc_error(request_id: Any, code: int, message: str, data: list[Any] | None = None) -> tuple[int, dict[str, str], bytes]:
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return _reply({"jsonrpc": "2.0", "id": request_id, "error": error})


def handle(device: EosDevice, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
    """Answer one HTTP request to the switch. ``drop_on_commit`` raises DropSession out of here, and
    the HTTP server aborts the connection without an answer."""
    if path.split("?")[0] != "/command-api":
        return 404, {"Content-Type": "text/plain"}, b"Not Found\n"
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return _rpc_error(None, -32700, "Parse error")
    request_id = request.get("id")
    if request.get("method") != "runCmds":
        return _rpc_error(request_id, -32601, "Method not found")
    params = request.get("params") or {}
    fmt = params.get("format", "json")
    cmds = params.get("cmds") or []
    if fmt not in ("json", "text") or not isinstance(cmds, list):
        return _rpc_error(request_id, -32602, "Invalid params")
    cli = EosCli(device)
    results: list[Any] = []
    for index, entry in enumerate(cmds, start=1):
        command = entry.get("cmd", "") if isinstance(entry, dict) else str(entry)
        cli.enable_input = str(entry.get("input") or "") if isinstance(entry, dict) else ""
        prefix = f"CLI command {index} of {len(cmds)} '{command}' failed"
        try:
            output = cli.run(command, fmt)
        except CliError as err:
            return _rpc_error(request_id, 1002, f"{prefix}: {_FAILURE[err.kind]}", results + [{"errors": [err.message]}])
        if fmt == "text":
            results.append({"output": output.text})
        elif output.data is None:
            return _rpc_error(request_id, 1003, f"{prefix}: unconverted command", results + [{"errors": [_UNCONVERTED]}])
        else:
            results.append(output.data)
    return _reply({"jsonrpc": "2.0", "id": request_id, "result": results})
