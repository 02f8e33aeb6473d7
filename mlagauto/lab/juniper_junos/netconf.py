"""NETCONF over the SSH ``netconf`` subsystem, as PyEZ (napalm ``junos``) speaks it.

Framing is NETCONF 1.0 (``]]>]]>`` after every message): the hello advertises ``base:1.0`` only,
so ncclient never switches to 1.1 chunked framing. Replies carry the request's ``message-id`` and
the shapes PyEZ reads: ``<load-configuration-results>``, ``<commit-results>``,
``<configuration-text>``/``<configuration-set>`` for ``get-configuration`` (``format="text"`` /
``"set"``), ``<configuration-information><configuration-output>`` for ``compare="rollback"`` and
for ``show configuration`` commands, ``<output>`` for other text commands. Errors are
``<rpc-error>`` elements in the base namespace, which is where ncclient looks for them.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from mlagauto.lab.juniper_junos import interfaces
from mlagauto.lab.juniper_junos import operational as op
from mlagauto.lab.juniper_junos.device import (
    CommitFailed,
    JunosDevice,
    JunosError,
    timestamp,
)
from mlagauto.lab.juniper_junos.mclag import inherited
from mlagauto.lab.juniper_junos.operational import CliSyntaxError, Words
from mlagauto.lab.juniper_junos.show import JUNOS_NS, Elem, to_json, to_xml

DELIMITER = "]]>]]>"
BASE_NS = "urn:ietf:params:xml:ns:netconf:base:1.0"
CAPABILITIES = (
    "urn:ietf:params:netconf:base:1.0",
    "urn:ietf:params:netconf:capability:candidate:1.0",
    "urn:ietf:params:netconf:capability:confirmed-commit:1.0",
    "urn:ietf:params:netconf:capability:validate:1.0",
    "urn:ietf:params:xml:ns:netconf:base:1.0",
    "urn:ietf:params:xml:ns:netconf:capability:candidate:1.0",
    "urn:ietf:params:xml:ns:netconf:capability:confirmed-commit:1.0",
    "http://xml.juniper.net/netconf/junos/1.0",
    "http://xml.juniper.net/dmi/system/1.0",
)
SESSION_IDS = itertools.count(20001)


def local(tag: str) -> str:
    """An element name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def rpc_error(err: JunosError, severity: str = "error") -> str:
    parts = [
        "<rpc-error>",
        f"<error-type>{'application' if isinstance(err, CommitFailed) else 'protocol'}</error-type>",
        f"<error-tag>{err.tag}</error-tag>",
        f"<error-severity>{severity}</error-severity>",
    ]
    if err.path:
        parts.append(f"<error-path>{escape(err.path)}</error-path>")
    parts.append(f"<error-message>{escape(err.message)}</error-message>")
    if err.bad_element:
        parts.append(f"<error-info>\n<bad-element>{escape(err.bad_element)}</bad-element>\n</error-info>")
    parts.append("</rpc-error>")
    return "\n".join(parts)


def configuration_output(text: str) -> str:
    """Configuration text as ``compare`` and ``show configuration`` commands answer it."""
    return f"<configuration-information>\n<configuration-output>{escape(text)}</configuration-output>\n</configuration-information>"


def _duration(seconds: float) -> str:
    """``1d 02:03`` / ``02:03:04``: how Junos prints an uptime."""
    s = int(seconds)
    days, s = divmod(s, 86400)
    clock = f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{days}d {clock}" if days else clock


class CloseSession(Exception):
    """``<close-session/>``: answer, then end the session."""


class NetconfSession:
    """One NETCONF session on one device."""

    def __init__(self, device: JunosDevice, process: Any):
        self.device = device
        self.process = process
        self.id = next(SESSION_IDS)
        self.user = device.username
        self.handlers: dict[str, Callable[[ET.Element], str]] = {
            "lock-configuration": self._lock,
            "unlock-configuration": self._unlock,
            "lock": self._lock,
            "unlock": self._unlock,
            "load-configuration": self._load,
            "get-configuration": self._get_configuration,
            "commit-configuration": self._commit,
            "commit": lambda rpc: self._commit(rpc, seconds=True),
            "discard-changes": self._discard,
            "command": self._command,
            "get-software-information": lambda rpc: self._elem("version", []),
            "get-route-engine-information": self._route_engine,
            "get-system-uptime-information": self._uptime,
            "get-commit-revision-information": self._commit_revision,
            "get-lacp-interface-information": self._lacp,
            "get-interface-information": self._interfaces,
            "get-chassis-inventory": self._inventory,
            "get-lldp-neighbors-information": lambda rpc: interfaces.lldp_information(self.device),
            "open-configuration": self._private,
            "close-configuration": self._private,
            "close-session": self._close,
        }

    # --- framing ---------------------------------------------------------------------------------
    async def run(self) -> None:
        self._send(self._hello())
        buffer = ""
        try:
            while True:
                data = await self.process.stdin.read(65536)
                if not data:
                    break
                buffer += data
                while DELIMITER in buffer:
                    message, buffer = buffer.split(DELIMITER, 1)
                    if message.strip() and not await self._message(message):
                        self.process.exit(0)
                        return
        except (BrokenPipeError, ConnectionError):
            return
        finally:
            with self.device.lock:
                self.device.release(self)
        self.process.exit(0)

    def _send(self, xml: str) -> None:
        self.process.stdout.write(xml + "\n" + DELIMITER + "\n")

    def _hello(self) -> str:
        caps = "\n".join(f"    <capability>{c}</capability>" for c in CAPABILITIES)
        return f'<hello xmlns="{BASE_NS}">\n  <capabilities>\n{caps}\n  </capabilities>\n  <session-id>{self.id}</session-id>\n</hello>'

    async def _message(self, message: str) -> bool:
        """Answer one message; False once the session should end."""
        try:
            root = ET.fromstring(message.strip().encode())
        except ET.ParseError:
            return True
        if local(root.tag) != "rpc":
            return True
        if self.device.faults.delay:
            await asyncio.sleep(self.device.faults.delay)
        body = list(root)
        attrs = " ".join(f"{k}={quoteattr(v)}" for k, v in root.attrib.items() if "}" not in k)
        keep_open = True
        with self.device.lock:
            try:
                if not body:
                    raise JunosError("syntax error, expecting <rpc-request>")
                content = self._dispatch(body[0])
            except CloseSession:
                content, keep_open = "<ok/>", False
            except JunosError as err:
                content = rpc_error(err)
        self._send(f'<rpc-reply xmlns="{BASE_NS}" xmlns:junos="{JUNOS_NS}" {attrs}>\n{content}\n</rpc-reply>')
        return keep_open

    def _dispatch(self, request: ET.Element) -> str:
        handler = self.handlers.get(local(request.tag))
        if handler is None:
            raise JunosError("syntax error", bad_element=local(request.tag))
        return handler(request)

    # --- configuration ---------------------------------------------------------------------------
    def _lock(self, rpc: ET.Element) -> str:
        self.device.lock_candidate(self, f"{self.user} (pid {self.id}) on since {timestamp(time.time())}\n  exclusive [edit]")
        return "<ok/>"

    def _unlock(self, rpc: ET.Element) -> str:
        self.device.unlock_candidate(self)
        return "<ok/>"

    def _load(self, rpc: ET.Element) -> str:
        rollback = rpc.get("rollback")
        if rollback is not None:
            if not rollback.isdigit():
                raise JunosError("syntax error", bad_element=rollback)
            self.device.load_rollback(self, int(rollback))
            return "<load-configuration-results>\n<load-success/>\n</load-configuration-results>"
        children = {local(c.tag): c for c in rpc}
        warnings: list[str] = []
        if "configuration-set" in children or (rpc.get("action") == "set" and "configuration-text" in children):
            source = children["configuration-set"] if "configuration-set" in children else children["configuration-text"]
            warnings = self.device.load_set(self, source.text or "")
        elif "configuration-text" in children:
            action = rpc.get("action", "merge")
            if action not in ("merge", "replace", "override", "update"):
                raise JunosError("syntax error", bad_element=action)
            self.device.load_text(self, children["configuration-text"].text or "", action)
        else:
            raise JunosError(
                "the lab loads configuration-text and configuration-set only",
                bad_element=next(iter(children), "load-configuration"),
                tag="operation-not-supported",
            )
        notes = "".join(rpc_error(JunosError(w), "warning") + "\n" for w in warnings)
        return f"<load-configuration-results>\n{notes}<ok/>\n</load-configuration-results>"

    def _private(self, rpc: ET.Element) -> str:
        """``open-configuration private`` / ``close-configuration`` (napalm ``config_private``):
        accepted, but the session keeps editing the shared candidate."""
        return "<ok/>"

    def _discard(self, rpc: ET.Element) -> str:
        self.device.load_rollback(self, 0)
        return "<ok/>"

    def _get_configuration(self, rpc: ET.Element) -> str:
        if rpc.get("compare") == "rollback":
            pipe = ["compare", "rollback", rpc.get("rollback", "0")]
            database = rpc.get("database", "candidate")
            config = self.device.committed if database == "committed" else self.device.candidate
            try:
                text = op.compare_text(self.device, config.paths(), pipe)
            except CliSyntaxError as err:
                raise JunosError(err.message, bad_element=pipe[2]) from err
            return configuration_output("\n" + text + "\n" if text else "\n")
        fmt = rpc.get("format", "xml")
        database = "committed" if rpc.get("database") == "committed" else "candidate"
        wanted = next((c for c in rpc if local(c.tag) == "configuration"), None)
        if fmt == "xml" and wanted is not None and len(wanted):
            return self._filtered_xml(wanted, database, rpc.get("inherit") == "inherit")
        if fmt not in ("text", "set"):
            raise JunosError("the lab renders configurations as text or set only", bad_element=fmt, tag="operation-not-supported")
        text = self.device.maybe_corrupt(self.device.config_text(database, form=fmt))
        element = "configuration-text" if fmt == "text" else "configuration-set"
        return f"<{element}>\n{escape(text)}</{element}>"

    def _filtered_xml(self, wanted: ET.Element, database: str, inherit: bool) -> str:
        """``<get-configuration>`` in XML with a subtree filter naming leaves, as PyEZ's facts ask
        for ``<system><domain-name/></system>``: the requested leaves that are set, nothing else
        (the lab renders whole configurations as text or set only)."""
        config = self.device.committed if database == "committed" else self.device.candidate
        if inherit:
            config = inherited(config.paths())

        def walk(elem: ET.Element, path: tuple[str, ...]) -> str:
            tag = local(elem.tag)
            here = path + (tag,)
            if len(elem):
                inner = "".join(walk(child, here) for child in elem)
                return f"<{tag}>{inner}</{tag}>" if inner else ""
            values = [t[0] for t in config.under(here) if len(t) == 1]
            return "".join(f"<{tag}>{escape(v)}</{tag}>" for v in values)

        inner = "".join(walk(child, ()) for child in wanted)
        stamp = timestamp(self.device.history[0].epoch)
        return f'<configuration junos:commit-seconds="{int(self.device.history[0].epoch)}" junos:commit-localtime="{stamp}">{inner}</configuration>'

    def _commit(self, rpc: ET.Element, seconds: bool = False) -> str:
        """Junos ``<commit-configuration>`` (``confirm-timeout`` in minutes) or the standard
        ``<commit>`` (in seconds, rounded up to Junos' whole minutes)."""
        options = {local(c.tag): (c.text or "").strip() for c in rpc}
        check = "check" in options
        confirm = None
        if "confirmed" in options:
            timeout = options.get("confirm-timeout", "600" if seconds else "10")
            if not timeout.isdigit():
                raise JunosError("syntax error", bad_element=timeout)
            confirm = -(-int(timeout) // 60) if seconds else int(timeout)
        try:
            self.device.commit(self, self.user, "netconf", comment=options.get("log", ""), confirm_minutes=confirm, check=check)
        except CommitFailed as err:
            detail = JunosError(err.details[-1].strip(), path=err.details[0], tag="invalid-value")
            return f"<commit-results>\n{rpc_error(detail)}\n{rpc_error(err)}\n</commit-results>"
        success = "<commit-check-success/>" if check else "<commit-success/>"
        return f'<commit-results>\n<routing-engine junos:style="normal">\n<name>re0</name>\n{success}\n</routing-engine>\n</commit-results>'

    # --- operational -----------------------------------------------------------------------------
    def _command(self, rpc: ET.Element) -> str:
        line = (rpc.text or "").strip()
        fmt = rpc.get("format", "xml")
        words = Words.parse(line)
        try:
            op.check_pipes(words)
            name, args = op.resolve(op.OP_TREE, words)
            if name not in op.SHOW_COMMANDS:
                raise CliSyntaxError(0, "syntax error, expecting <command>")
            result = op.run_show(self.device, name, args, words.pipes)
        except CliSyntaxError as err:
            bad = next((w for w, c in zip(words.words, words.columns) if c >= err.column), line)
            raise JunosError(err.message.rstrip("."), bad_element=bad) from err
        if fmt == "json" and result.elem is not None:
            return escape(to_json(result.elem))
        if fmt == "xml" and result.elem is not None:
            return to_xml(result.elem)
        try:
            text = self.device.maybe_corrupt(op.render(result, words.pipes))
        except CliSyntaxError as err:
            raise JunosError(err.message.rstrip("."), bad_element="display") from err
        if result.configuration:
            return configuration_output("\n" + text + "\n")
        return f"<output>\n{escape(text)}\n</output>"

    def _route_engine(self, rpc: ET.Element) -> str:
        up = int(time.time() - self.device.booted)
        elem: Elem = (
            "route-engine-information",
            [
                (
                    "route-engine",
                    [
                        ("slot", "0"),
                        ("mastership-state", "master"),
                        ("status", "OK"),
                        ("model", "RE-QFX5120-48Y-8C"),
                        ("up-time", f"{up} seconds"),
                    ],
                )
            ],
        )
        return to_xml(elem)

    def _uptime(self, rpc: ET.Element) -> str:
        now, booted = time.time(), self.device.booted
        return (
            "<system-uptime-information>\n"
            f'<current-time>\n<date-time junos:seconds="{int(now)}">{timestamp(now)}</date-time>\n</current-time>\n'
            f'<system-booted-time>\n<date-time junos:seconds="{int(booted)}">{timestamp(booted)}</date-time>\n'
            f'<time-length junos:seconds="{int(now - booted)}">{_duration(now - booted)}</time-length>\n</system-booted-time>\n'
            "</system-uptime-information>"
        )

    def _commit_revision(self, rpc: ET.Element) -> str:
        rev = self.device.history[0]
        comment = rev.confirm_note or rev.comment
        note = f"\n<comment>{escape(comment)}</comment>" if comment else ""
        return (
            "<commit-revision-information>\n"
            f'<date-time junos:seconds="{int(rev.epoch)}">{timestamp(rev.epoch)}</date-time>\n'
            f"<revision>{rev.revision_id}</revision>\n<user>{escape(rev.user)}</user>\n<client>{rev.via}</client>{note}\n"
            "</commit-revision-information>"
        )

    def _lacp(self, rpc: ET.Element) -> str:
        name = next((c.text for c in rpc if local(c.tag) == "interface-name" and c.text), None)
        extensive = any(local(c.tag) == "extensive" for c in rpc)
        return self._elem("lacp", [a for a in (name, "extensive" if extensive else None) if a])

    def _interfaces(self, rpc: ET.Element) -> str:
        """``show interfaces [NAME|PATTERN] [terse] [routing-instance X]`` (napalm ``get_facts`` /
        ``get_interfaces``). The lab has no routing instances: asked for one (PyEZ asks for the
        internal ``__juniper_private1__``), it lists no interface."""
        options = {local(c.tag): (c.text or "").strip() for c in rpc}
        if options.get("routing-instance") not in (None, "", "default"):
            return f'<interface-information xmlns="{interfaces.IFACE_NS}" junos:style="terse"/>'
        return interfaces.interface_information(self.device, options.get("interface-name") or None, terse="terse" in options)

    def _inventory(self, rpc: ET.Element) -> str:
        """``show chassis hardware``: the chassis and its serial number (PyEZ's serialnumber fact)."""
        model = self.device.model.upper()
        return (
            '<chassis-inventory xmlns="http://xml.juniper.net/junos/21.4R0/junos-chassis">\n'
            '<chassis junos:style="inventory">\n<name>Chassis</name>\n'
            f"<serial-number>{self.device.serial}</serial-number>\n<description>{model}</description>\n"
            f"<chassis-module>\n<name>Routing Engine 0</name>\n<description>{model}</description>\n</chassis-module>\n"
            "</chassis>\n</chassis-inventory>"
        )

    def _elem(self, command: str, args: list[str]) -> str:
        """The XML of a ``show`` command that has an element form."""
        elem = op.run_show(self.device, command, args, []).elem
        assert elem is not None, command
        return to_xml(elem)

    def _close(self, rpc: ET.Element) -> str:
        raise CloseSession()
