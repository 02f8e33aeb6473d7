"""The lab core with a minimal dialect: SSH login, echo and prompt as real clients expect, the
fault knobs, HTTP basic auth, loopback only, and a clean stop."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException

from mlagauto.lab import lab as lab_module
from mlagauto.lab.device import DeviceSpec, SimDevice
from mlagauto.lab.lab import Lab
from mlagauto.lab.shell import DropSession, Shell


class EchoShell(Shell):
    def prompt(self) -> str:
        return f"{self.device.name}# "

    def handle(self, line: str) -> str:
        cmd = line.strip()
        if cmd == "exit":
            self.closed = True
            return ""
        if cmd == "commit":
            if self.device.faults.take("drop_on_commit"):
                raise DropSession()
            return "commit complete"
        if cmd.startswith("show"):
            return self.device.maybe_corrupt(f"output of {cmd}\nsecond line")
        return ""


class EchoDevice(SimDevice):
    platform = "echo"

    def initial_config(self) -> str:
        return f"hostname {self.name}\n"

    def shell(self) -> Shell:
        return EchoShell(self)

    def http_port(self):
        return self.options.get("http_port")

    def handle_http(self, path, body, headers):
        return 200, {"Content-Type": "application/json"}, b'{"path": "%s"}' % path.encode()


@pytest.fixture
def echo_lab(monkeypatch, port_factory):
    monkeypatch.setitem(lab_module.DIALECTS, "echo", f"{__name__}:EchoDevice")
    specs = [DeviceSpec("sw1", "echo", port_factory(), "u", "p", {"http_port": port_factory()}), DeviceSpec("sw2", "echo", port_factory(), "u", "p")]
    with Lab(specs, [("sw1", "sw2")]) as lab:
        yield lab


def connect(lab, name="sw1", password="p", **kw):
    dev = lab.device(name)
    return ConnectHandler(device_type="generic", host="127.0.0.1", port=dev.port, username="u", password=password, fast_cli=False, **kw)


def test_netmiko_sends_and_reads(echo_lab):
    with connect(echo_lab) as conn:
        assert conn.find_prompt() == "sw1#"
        assert conn.send_command("show thing") == "output of show thing\nsecond line"


def test_pairing(echo_lab):
    assert echo_lab.device("sw1").peer is echo_lab.device("sw2")
    assert echo_lab.device("sw2").peer is echo_lab.device("sw1")


def test_refuse_login(echo_lab):
    echo_lab.device("sw1").faults.refuse_login = True
    with pytest.raises(NetmikoAuthenticationException):
        connect(echo_lab)
    with pytest.raises(NetmikoAuthenticationException):
        connect(echo_lab, name="sw2", password="wrong")


def test_delay(echo_lab):
    echo_lab.device("sw1").faults.delay = 0.3
    with connect(echo_lab) as conn:
        t0 = time.monotonic()
        conn.send_command("show thing")
        assert time.monotonic() - t0 >= 0.3


def test_drop_on_commit_cuts_the_session(echo_lab):
    echo_lab.device("sw1").faults.drop_on_commit = True
    conn = connect(echo_lab)
    with pytest.raises(Exception):
        conn.send_command("commit", read_timeout=5)
        conn.send_command("show thing", read_timeout=5)
    assert echo_lab.device("sw1").faults.drop_on_commit is False


def test_corrupt_output_is_one_shot(echo_lab):
    echo_lab.device("sw1").faults.corrupt_output = True
    with connect(echo_lab) as conn:
        first = conn.send_command("show thing")
        second = conn.send_command("show thing")
    assert first != "output of show thing\nsecond line"
    assert second == "output of show thing\nsecond line"


def test_http_basic_auth(echo_lab):
    import base64
    import http.client

    port = echo_lab.device("sw1").http_port()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", "/command-api", body=b"{}")
    assert conn.getresponse().status == 401
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    token = base64.b64encode(b"u:p").decode()
    for _ in range(2):  # keep-alive: two requests on one connection
        conn.request("POST", "/command-api", body=b"{}", headers={"Authorization": f"Basic {token}"})
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == b'{"path": "/command-api"}'


def test_listens_on_loopback_only(monkeypatch, port_factory):
    monkeypatch.setitem(lab_module.DIALECTS, "echo", f"{__name__}:EchoDevice")
    with pytest.raises(ValueError, match="loopback"):
        Lab([DeviceSpec("sw1", "echo", port_factory(), "u", "p")], [], host="0.0.0.0")


def test_stop_releases_ports_and_threads(monkeypatch, port_factory):
    monkeypatch.setitem(lab_module.DIALECTS, "echo", f"{__name__}:EchoDevice")
    port = port_factory()
    before = {t.name for t in threading.enumerate()}
    with Lab([DeviceSpec("sw1", "echo", port, "u", "p")], []):
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    assert "mlagauto-lab" not in {t.name for t in threading.enumerate()} - before
