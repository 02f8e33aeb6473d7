"""napalm ``eos`` keeps one HTTP connection per switch across the eAPI requests of a session
(``mlagauto.transport._eapi_kept_open``): pyeapi on its own opens one per request. Against the
lab's eAPI server, over real sockets on 127.0.0.1."""

from __future__ import annotations

import select
import time

import pytest

from tests.lab.conftest import session_of


def _transport(session):
    """The http.client connection pyeapi sends through."""
    return session.device.device.connection.transport


def _wait_until_closed_by_server(sock, timeout=5.0):
    """The server's close arrives as end of file: the socket turns readable."""
    deadline = time.monotonic() + timeout
    while not select.select([sock], [], [], 0.05)[0]:
        if time.monotonic() > deadline:
            pytest.fail("the lab did not close the idle connection")


def test_the_requests_of_a_session_share_one_connection(lab_env):
    session = session_of(lab_env, "eos-1a")
    first = session.get_running()
    sock = _transport(session).sock
    assert sock is not None and sock.fileno() != -1  # still open after the request returned
    session.stage("vlan 777\n")
    assert "vlan 777" in session.diff()
    session.discard()
    assert session.get_running() == first
    assert _transport(session).sock is sock  # every request went over the same socket


def test_a_connection_the_switch_closed_while_idle_is_opened_again(lab_env):
    lab_env["lab"].device("eos-1a").faults.http_idle_timeout = 0.1
    session = session_of(lab_env, "eos-1a")
    first = session.get_running()
    stale = _transport(session).sock
    _wait_until_closed_by_server(stale)
    assert session.get_running() == first  # not an error: the closed connection was replaced
    assert _transport(session).sock is not stale
    assert stale.fileno() == -1  # and closed on this side too


def test_a_failed_request_leaves_no_connection_behind(lab_env):
    session = session_of(lab_env, "eos-1a")
    session.get_running()
    lab_env["lab"].device("eos-1a").faults.refuse_login = True
    with pytest.raises(Exception, match="Unauthorized"):
        session.get_running()
    assert _transport(session).sock is None
    lab_env["lab"].device("eos-1a").faults.refuse_login = False
    assert "hostname eos-1a" in session.get_running()  # the next request opens a new one


def test_napalm_close_closes_the_kept_connection(lab_env):
    session = session_of(lab_env, "eos-1a")
    session.get_running()
    sock = _transport(session).sock
    session.device.close()
    assert sock.fileno() == -1
