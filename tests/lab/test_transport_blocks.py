"""Changes are written to the switches as blocks of lines (``mlagauto.transport.Cli``): a refused
line anywhere in a block still fails the load or the commit, and the switch is left as it was."""

from __future__ import annotations

import pytest

from mlagauto.deploy import ROLLED_BACK, DeployOptions, deploy_fabric
from mlagauto.drivers import get_driver
from mlagauto.transport import TransportError
from tests.lab.conftest import intended, running_mlag, session_of


def test_a_refused_line_in_a_huawei_block_fails_the_load_and_clears_the_candidate(lab_env):
    session = session_of(lab_env, "ce-1a")
    before = lab_env["lab"].device("ce-1a").running
    session.stage("vlan batch 10 20\ninterface Eth-Trunk7\n frobnicate everything\n description after the refused line\n")
    with pytest.raises(TransportError, match=r"loading the change failed: Error:"):
        session.diff()
    session.discard()
    assert lab_env["lab"].device("ce-1a").running == before
    assert session.get_running().strip()  # the session is back in the user view
    session.stage("vlan batch 10 20\n")
    assert "vlan batch" in session.diff()  # the refused line left nothing behind in the candidate
    session.discard()
    assert lab_env["lab"].device("ce-1a").running == before


def test_a_huawei_commit_commits_the_candidate_the_diff_showed(lab_env):
    session = session_of(lab_env, "ce-1a")
    session.stage("vlan batch 10 20\n")
    diff = session.diff()
    assert "vlan batch" in diff
    session.prepare_commit()
    session.commit()
    assert "vlan batch 10 20" in lab_env["lab"].device("ce-1a").running
    session.rollback()
    assert "vlan batch 10 20" not in lab_env["lab"].device("ce-1a").running


def test_a_refused_line_in_an_nxos_block_fails_the_commit_and_napalm_rolls_back(lab_env):
    session = session_of(lab_env, "nx-1b")
    before = lab_env["lab"].device("nx-1b").running
    session.stage("vlan 10\ninterface port-channel10\n  frobnicate everything\n  description after the refused line\n")
    session.prepare_commit()
    with pytest.raises(TransportError, match="commit failed"):
        session.commit()
    assert lab_env["lab"].device("nx-1b").running == before


def test_a_failed_pair_leaves_no_staged_huawei_candidate_behind(lab_env):
    """The primary's change is staged (its candidate held) when the secondary fails; the pair's
    rollback drops it, so the next deploy over the same connections finds the user view."""
    lab_env["lab"].device("ce-1b").faults.reject_next_commit = True
    opts = DeployOptions(backup_root=lab_env["backups"], settle_attempts=3, settle_interval=0.2)
    first = deploy_fabric(lab_env["nr"], lab_env["fabric"], opts, ["huawei_pair"])[0]
    assert first.status == ROLLED_BACK, first.message
    assert "Failed to generate committed config" in first.message
    again = deploy_fabric(lab_env["nr"], lab_env["fabric"], opts, ["huawei_pair"])[0]
    assert again.status == "ok", again.message
    for host in ("ce-1a", "ce-1b"):
        assert running_mlag(lab_env, host) == intended(lab_env, host)


@pytest.mark.parametrize("host", ["ce-1a", "nx-1a"])
def test_prompts_left_over_from_an_earlier_exchange_are_not_an_answer(lab_env, host):
    """A slow switch may still be answering returns typed before a command (netmiko sends some at
    login to find the prompt) when the command goes out: those prompts come before the command's
    echo, and the command's output is only what follows its echo."""
    from mlagauto.transport import cli_of

    lab_env["lab"].device(host).faults.delay = 0.05
    conn = lab_env["nr"].inventory.hosts[host].get_connection("netmiko", lab_env["nr"].config)
    cli = cli_of(conn)
    show = get_driver(lab_env["nr"].inventory.hosts[host].platform).cli_commit
    command = show.show_running if show else "show running-config"
    def read() -> str:  # NX-OS stamps the time of the read in a comment
        return "\n".join(ln for ln in cli.command(command).splitlines() if not ln.startswith("!Time:"))

    clean = read()
    conn.write_channel(conn.RETURN * 3)  # answered 0.05 s apart, after the command has been written
    assert read() == clean
    assert read() == clean
    assert lab_env["lab"].device(host).running.strip().splitlines()[-1].strip() in clean


def test_a_session_the_switch_drops_fails_at_once_and_says_so(lab_env):
    """Waiting out a read timeout on a session that has ended only delays the rollback: the read
    stops when the channel closes, with a message that says so."""
    session = session_of(lab_env, "ce-1a")
    before = lab_env["lab"].device("ce-1a").running
    session.stage("vlan batch 10 20\n")
    session.prepare_commit()
    lab_env["lab"].device("ce-1a").faults.drop_on_commit = True
    with pytest.raises(TransportError, match="closed the session after 'commit"):
        session.commit()
    assert lab_env["lab"].device("ce-1a").running == before
