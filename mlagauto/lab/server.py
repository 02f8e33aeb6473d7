"""Network plumbing of the lab: one asyncio loop in a background thread serving every device's
SSH CLI / SSH subsystems (asyncssh) and HTTP API (a minimal HTTP/1.1 server), on loopback only.

This is the one place the lab imports asyncssh. Its module-level type aliases touch
cryptography's DSA classes, and cryptography answers each touch with a
``CryptographyDeprecationWarning: DSA is deprecated`` (ten lines on every command that starts a
lab). The lab never offers DSA keys, so exactly that warning, raised from asyncssh's own crypto
modules, is silenced around the import; every other warning still shows.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import threading
import warnings
from collections.abc import Coroutine
from functools import lru_cache
from ipaddress import ip_address
from typing import Any

from cryptography.utils import CryptographyDeprecationWarning

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning, module=r"asyncssh\.crypto\.(misc|dsa)$"
    )
    import asyncssh

from mlagauto.lab.device import SimDevice
from mlagauto.lab.shell import DropSession

log = logging.getLogger("mlagauto.lab")


def require_loopback(host: str) -> str:
    """The lab never listens beyond 127.0.0.0/8 (or ::1)."""
    try:
        if ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise ValueError(f"the lab listens on loopback addresses only, not {host!r}")


@lru_cache(maxsize=1)
def host_key() -> asyncssh.SSHKey:
    """One Ed25519 host key per process: generating it is the slow part of starting a device."""
    return asyncssh.generate_private_key("ssh-ed25519")


class _SSHServer(asyncssh.SSHServer):
    def __init__(self, device: SimDevice, connections: set[Any]):
        self.device = device
        self.connections = connections
        self.conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self.device.check_login(username, password)

    def kbdint_auth_supported(self) -> bool:
        return False


def _lines(buffer: str) -> tuple[list[str], str]:
    """Split typed text into complete lines (CR, LF or CRLF) and the unfinished rest."""
    text = buffer.replace("\r\n", "\n").replace("\r", "\n")
    *done, rest = text.split("\n")
    return done, rest


async def run_shell(device: SimDevice, process: asyncssh.SSHServerProcess) -> None:
    """Drive one interactive session: echo, dispatch, prompt; honour the delay fault."""
    shell = device.shell()
    shell.username = process.get_extra_info("username") or ""
    process.stdout.write(shell.greeting() + shell.prompt())
    pending = ""
    try:
        while not shell.closed:
            data = await process.stdin.read(65536)
            if not data:
                break
            lines, pending = _lines(pending + data.replace("\x00", ""))
            for line in lines:
                process.stdout.write((line if shell.echo else "") + "\n")  # a switch echoes as it reads, before it acts
                if device.faults.delay:
                    await asyncio.sleep(device.faults.delay)
                with device.lock:
                    try:
                        output = shell.handle(line)
                    except DropSession:
                        raise
                    except Exception:  # a dialect bug must not end the session silently
                        log.exception("%s: command %r failed in the simulator", device.name, line)
                        output = "% Internal error in the simulated switch (see the lab log)"
                prompt = "" if shell.closed else shell.prompt()
                if output and not output.endswith("\n") and prompt:
                    output += "\n"
                process.stdout.write(output + prompt)
                if shell.closed:
                    break
    except DropSession:
        process.channel.get_connection().abort()
        return
    except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged, BrokenPipeError, ConnectionError):
        pass
    finally:
        with device.lock:
            shell.close()
    process.exit(0)


async def _session(device: SimDevice, process: asyncssh.SSHServerProcess) -> None:
    if process.subsystem:
        handler = device.subsystem(process.subsystem)
        if handler is None:
            process.stderr.write(f"subsystem {process.subsystem} not supported\n")
            process.exit(1)
            return
        try:
            await handler(process)
        except DropSession:
            process.channel.get_connection().abort()
        return
    await run_shell(device, process)


async def start_ssh(device: SimDevice, host: str, connections: set[Any]) -> asyncssh.SSHAcceptor:
    """Serve ``device`` over SSH; every accepted connection is kept in ``connections`` so that
    stopping the lab can close it (a client must see its session end, not hang on a dead server)."""
    return await asyncssh.create_server(
        lambda: _SSHServer(device, connections),
        require_loopback(host),
        device.port,
        server_host_keys=[host_key()],
        process_factory=lambda process: _session(device, process),
        line_editor=False,
        encoding="utf-8",
        keepalive_interval=0,
        reuse_address=True,
    )


async def _http_connection(device: SimDevice, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, connections: set[Any]) -> None:
    """HTTP/1.1 with keep-alive: enough for JSON-RPC clients (pyeapi)."""
    connections.add(writer)
    try:
        while True:
            try:
                request = await asyncio.wait_for(reader.readline(), device.faults.http_idle_timeout or None)
            except asyncio.TimeoutError:
                break
            if not request:
                break
            method, path, _ = (request.decode("latin-1").split(" ", 2) + ["", ""])[:3]
            headers: dict[str, str] = {}
            while True:
                line = (await reader.readline()).decode("latin-1").strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            if device.faults.delay:
                await asyncio.sleep(device.faults.delay)
            status, out_headers, payload = _authorised(device, headers)
            if status == 200:
                with device.lock:
                    status, out_headers, payload = device.handle_http(path, body, headers)
            reason = {200: "OK", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed"}.get(status, "Error")
            head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(payload)}"]
            head += [f"{k}: {v}" for k, v in out_headers.items()]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)
            await writer.drain()
            if headers.get("connection", "").lower() == "close" or method not in ("GET", "POST"):
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    except DropSession:
        writer.transport.abort()
        return
    finally:
        connections.discard(writer)
        writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass


def _authorised(device: SimDevice, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            user, password = "", ""
        if device.check_login(user, password):
            return 200, {}, b""
    return 401, {"WWW-Authenticate": 'Basic realm="lab"', "Content-Type": "text/plain"}, b"Unauthorized\n"


async def start_http(device: SimDevice, host: str, port: int, connections: set[Any]) -> asyncio.AbstractServer:
    return await asyncio.start_server(
        lambda r, w: _http_connection(device, r, w, connections), require_loopback(host), port, reuse_address=True
    )


class LabLoop:
    """An asyncio loop in a daemon thread; the test or CLI thread submits coroutines to it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="mlagauto-lab", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        async def _cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(_cancel_all())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
