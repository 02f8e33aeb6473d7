"""The simulated EOS pair driven by the real clients: netmiko ``arista_eos`` over SSH, napalm
``eos`` and pyeapi over eAPI (HTTP). Each test gets its own two-switch lab (starting one takes
milliseconds) so no test sees another's configuration or fault knobs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyeapi
import pytest
from napalm import get_network_driver
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout
from pyeapi.eapilib import CommandError
from pyeapi.eapilib import ConnectionError as EapiConnectionError

from mlagauto.lab.device import DeviceSpec
from mlagauto.lab.lab import Lab
from tests.lab.conftest import SECRET as SECRET_FROM_CONFTEST

GOLDEN = Path(__file__).resolve().parents[2] / "golden_configs"
USER, PASSWORD = "admin", "lab-pass"


@pytest.fixture
def eos_lab(port_factory):
    specs = [
        DeviceSpec(name, "arista_eos", port_factory(), USER, PASSWORD, {"http_port": port_factory(), "commit_timer_scale": 0.02})
        for name in ("eos-1a", "eos-1b")
    ]
    with Lab(specs, [("eos-1a", "eos-1b")]) as lab:
        yield lab


def ssh(lab, name="eos-1a", enable=True):
    conn = ConnectHandler(device_type="arista_eos", host="127.0.0.1", port=lab.device(name).port, username=USER, password=PASSWORD)
    if enable:
        conn.enable()
    return conn


def napalm(lab, name="eos-1a"):
    driver = get_network_driver("eos")(
        "127.0.0.1", USER, PASSWORD, timeout=10, optional_args={"transport": "http", "port": lab.device(name).http_port()}
    )
    driver.open()
    return driver


def eapi(lab, name="eos-1a"):
    conn = pyeapi.client.connect(
        transport="http", host="127.0.0.1", port=lab.device(name).http_port(), username=USER, password=PASSWORD, timeout=10
    )
    return pyeapi.client.Node(conn)


def push_golden(lab, name):
    driver = napalm(lab, name)
    try:
        driver.load_merge_candidate(filename=str(GOLDEN / f"{name}.cfg"))
        driver.commit_config()
    finally:
        driver.close()


def mlag(lab, name, sub=""):
    return eapi(lab, name).run_commands([f"show mlag{sub}"])[0]


# --- netmiko over SSH ------------------------------------------------------------------------------


def test_netmiko_prompts_modes_and_errors(eos_lab):
    dev = eos_lab.device("eos-1a")
    with ssh(eos_lab, enable=False) as conn:
        assert conn.find_prompt() == "eos-1a>"  # login lands unprivileged
        assert conn.send_command("configure terminal") == "% Invalid input (privileged mode required)"
        conn.enable()
        assert conn.find_prompt() == "eos-1a#"
        out = conn.send_config_set(
            ["interface Port-Channel20", "description uplink", "switchport mode trunk", "mlag configuration", "reload-delay 200"]
        )
        assert "eos-1a(config-if-Po20)#" in out and "eos-1a(config-mlag)#" in out
        assert conn.find_prompt() == "eos-1a#"
        running = conn.send_command("show running-config")
        assert running.startswith("! Command: show running-config\n! device: eos-1a (vEOS-lab, EOS-4.31.2F)")
        assert "interface Port-Channel20\n   description uplink\n   switchport mode trunk\n!" in running
        assert "mlag configuration\n   reload-delay mlag 200\n!" in running and running.rstrip().endswith("end")
        assert conn.send_command("show foo") == "% Invalid input (at token 1: 'foo')"
        assert conn.send_command("show running-config section Port-Channel20").splitlines()[0] == "interface Port-Channel20"
        assert json.loads(conn.send_command("show version | json"))["version"] == "4.31.2F"
        assert "Copy completed successfully." in conn.save_config()
    assert "description uplink" in dev.running and "description uplink" in dev.startup


def test_netmiko_configure_session_diff_commit_abort(eos_lab):
    dev = eos_lab.device("eos-1a")
    with ssh(eos_lab) as conn:
        conn.send_command("configure session s1", expect_string=r"\)#")
        assert conn.find_prompt() == "eos-1a(config-s-s1)#"
        conn.send_config_set(["vlan 300", "name TEST", "end"], enter_config_mode=False, exit_config_mode=False)
        diff = conn.send_command("show session-config named s1 diffs")
        assert diff.splitlines()[:2] == ["--- system:/running-config", "+++ session:/s1-session-config"]
        assert "+vlan 300" in diff and "+   name TEST" in diff
        assert "vlan 300" not in dev.running  # not before commit
        conn.send_command("configure session s1 commit")
        assert "vlan 300\n   name TEST" in dev.running
        sessions = json.loads(conn.send_command("show configuration sessions | json"))["sessions"]
        assert sessions["s1"]["state"] == "completed"
        conn.send_command("configure session s2", expect_string=r"\)#")
        conn.send_config_set(["no vlan 300", "abort"], enter_config_mode=False, exit_config_mode=False)
        assert conn.find_prompt() == "eos-1a#"
    assert "vlan 300" in dev.running and "s2" not in dev.sessions


# --- napalm eos over eAPI ---------------------------------------------------------------------------


def test_napalm_merge_compare_commit_rollback(eos_lab):
    dev = eos_lab.device("eos-1a")
    driver = napalm(eos_lab)
    try:
        config = driver.get_config()
        assert "hostname eos-1a" in config["running"] and "hostname eos-1a" in config["startup"] and config["candidate"] == ""
        driver.load_merge_candidate(config="interface Ethernet8\ndescription to-server9\nvlan 555\nname NEW\n")
        diff = driver.compare_config()
        assert "+   description to-server9" in diff and "+vlan 555" in diff
        assert "vlan 555" in driver.get_config(retrieve="candidate")["candidate"]
        assert "vlan 555" not in dev.running
        driver.commit_config()
        running = driver.get_config(retrieve="running")["running"]
        assert "interface Ethernet8\n   description to-server9" in running and "vlan 555\n   name NEW" in running
        assert "vlan 555" in dev.startup  # commit_config ends with `write memory`
        assert "hostname eos-1a" in dev.files["flash:rollback-0"] and "vlan 555" not in dev.files["flash:rollback-0"]
        driver.rollback()
        assert "vlan 555" not in dev.running and "to-server9" not in dev.running
        driver.load_merge_candidate(config="vlan 777\n")
        driver.discard_config()
        assert "vlan 777" not in dev.running and not [s for s in dev.sessions.values() if s.state == "pending"]
    finally:
        driver.close()


def test_napalm_replace_uses_clean_config(eos_lab):
    dev = eos_lab.device("eos-1a")
    driver = napalm(eos_lab)
    try:
        driver.load_replace_candidate(filename=str(GOLDEN / "eos-1a.cfg"))
        assert "-hostname eos-1a" in driver.compare_config()
        driver.commit_config()
        assert "hostname" not in dev.running and dev.hostname == "localhost"
        assert "mlag configuration\n   domain-id MLAG01" in dev.running
        driver.rollback()
        assert "hostname eos-1a" in dev.running and "mlag configuration" not in dev.running
    finally:
        driver.close()


def test_napalm_commit_confirm_confirm_rollback_and_expiry(eos_lab):
    dev = eos_lab.device("eos-1a")
    driver = napalm(eos_lab)
    try:
        driver.load_merge_candidate(config="vlan 901\nname A\n")
        driver.commit_config(revert_in=60)  # 60 s x commit_timer_scale 0.02 = 1.2 s
        assert driver.has_pending_commit() and "vlan 901\n   name A" in dev.running
        driver.confirm_commit()
        assert not driver.has_pending_commit()

        driver.load_merge_candidate(config="vlan 902\nname B\n")
        driver.commit_config(revert_in=60)
        assert "vlan 902\n   name B" in dev.running
        driver.rollback()  # aborts the pending session: the previous config is back
        assert "vlan 902\n   name B" not in dev.running and "vlan 901\n   name A" in dev.running

        driver.load_merge_candidate(config="vlan 903\nname C\n")
        driver.commit_config(revert_in=60)
        assert "vlan 903\n   name C" in dev.running
        deadline = time.monotonic() + 5
        while "vlan 903\n   name C" in dev.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "vlan 903\n   name C" not in dev.running and "vlan 901\n   name A" in dev.running
        assert not driver.has_pending_commit()
        assert [c.comment for c in dev.commits][-1] == "commit timer expired"
    finally:
        driver.config_session = None
        driver.close()


def test_eapi_errors_follow_eos(eos_lab):
    node = eapi(eos_lab)
    with pytest.raises(CommandError) as err:
        node.run_commands(["show version", "show bogus"])
    assert err.value.error_code == 1002
    assert err.value.error_text == "CLI command 3 of 3 'show bogus' failed: invalid command"
    assert "Invalid input (at token 1: 'bogus')" in err.value.command_error
    with pytest.raises(CommandError) as err:
        node.run_commands(["show session-config named none diffs"])
    assert err.value.error_code == 1002 and "could not run command" in err.value.error_text
    with pytest.raises(CommandError) as err:
        node.run_commands(["show startup-config"])
    assert err.value.error_code == 1003
    assert node.run_commands(["show startup-config"], encoding="text")[0]["output"].startswith("! Command: show startup-config")
    with pytest.raises(CommandError, match="privileged mode required"):
        node.run_commands(["configure"], send_enable=False)


def test_config_mode_inference_and_eos_line_semantics(eos_lab):
    """Unindented lines land in the right block; ``no``/``default``, ranges and trunk lists
    behave as on EOS."""
    node = eapi(eos_lab)
    node.run_commands(
        [
            "configure",
            "vlan 10-12",
            "interface Ethernet10-11",
            "channel-group 30 mode active",
            "interface Port-Channel30",
            "switchport mode trunk",
            "switchport trunk allowed vlan 10-12",
            "switchport trunk allowed vlan remove 11",
            "switchport trunk allowed vlan add 20",
            "interface Vlan10",
            "no autostate",
            "ip address 10.0.0.1/24",
            "hostname leaf-x",
            "interface Vlan11",
            "no autostate",
            "default autostate",
            "management api http-commands",
            "vrf MGMT",
            "no shutdown",
            "end",
        ]
    )
    running = node.run_commands(["show running-config"], encoding="text")[0]["output"]
    assert "hostname leaf-x\n" in running and "\nvlan 10-12\n!" in running
    assert "interface Ethernet10\n   channel-group 30 mode active\n!\ninterface Ethernet11\n   channel-group 30 mode active" in running
    assert "interface Port-Channel30\n   switchport trunk allowed vlan 10,12,20\n   switchport mode trunk\n!" in running
    assert "interface Vlan10\n   no autostate\n   ip address 10.0.0.1/24\n!\ninterface Vlan11\n!" in running
    assert "management api http-commands\n   protocol http\n   no shutdown\n   !\n   vrf MGMT\n      no shutdown\n!" in running
    node.run_commands(["configure", "no interface Port-Channel30", "no vlan 11", "end"])
    running = node.run_commands(["show running-config"], encoding="text")[0]["output"]
    assert "Port-Channel30" not in running and "channel-group 30" not in running and "\nvlan 10,12\n!" in running
    with pytest.raises(CommandError, match="invalid command"):
        node.run_commands(["configure", "interface Ethernet1", "channel-group 5 mode sideways"])


# --- MLAG state --------------------------------------------------------------------------------------


def test_golden_configs_form_the_pair_and_domain_mismatch_breaks_it(eos_lab):
    push_golden(eos_lab, "eos-1a")
    assert mlag(eos_lab, "eos-1a")["negStatus"] == "connecting"  # the peer has no MLAG yet
    push_golden(eos_lab, "eos-1b")
    states = {name: mlag(eos_lab, name, " detail") for name in ("eos-1a", "eos-1b")}
    for name, st in states.items():
        assert (st["state"], st["negStatus"], st["peerLinkStatus"], st["localIntfStatus"]) == ("active", "connected", "up", "up"), name
        assert st["configSanity"] == "consistent" and st["mlagPorts"]["Active-full"] == 4
        assert st["detail"]["udpHeartbeatAlive"] is True
        assert st["domainId"] == "MLAG01" and st["reloadDelay"] == 300 and st["reloadDelayNonMlag"] == 330
        ports = eapi(eos_lab, name).run_commands(["show mlag interfaces"])[0]["interfaces"]
        assert {k: v["status"] for k, v in ports.items()} == {
            "11": "active-full",
            "12": "active-full",
            "13": "active-full",
            "14": "active-full",
        }
        assert ports["11"]["localInterfaceStatus"] == ports["11"]["peerInterfaceStatus"] == "up"
    assert {st["detail"]["mlagState"] for st in states.values()} == {"primary", "secondary"}
    system_id = states["eos-1a"]["systemId"]
    assert system_id == states["eos-1b"]["systemId"] and int(system_id[:2], 16) & 0x02
    primary = next(n for n, st in states.items() if st["detail"]["mlagState"] == "primary")
    assert system_id[2:] == eos_lab.device(primary).mac[2:]

    # What each server sees: one LACP system (the MLAG system-id) on both switches' links.
    for name in ("eos-1a", "eos-1b"):
        actor = eapi(eos_lab, name).run_commands(["show lacp interface"])[0]["portChannels"]
        assert actor["Port-Channel11"]["interfaces"]["Ethernet1"]["actorSystemId"] == "8000," + system_id.replace(":", "-")
        peer = eapi(eos_lab, name).run_commands(["show lacp peer"])[0]["portChannels"]
        assert peer["Port-Channel11"]["interfaces"]["Ethernet1"]["actorPortStatus"] == "bundled"

    with ssh(eos_lab, "eos-1b") as conn:
        conn.send_config_set(["mlag configuration", "domain-id OTHER"])
        text = conn.send_command("show mlag")
    assert "state                              :            Inactive" in text
    assert "negotiation status                 :          Connecting" in text
    for name in ("eos-1a", "eos-1b"):
        st = mlag(eos_lab, name)
        assert (st["state"], st["negStatus"]) == ("inactive", "connecting") and "configSanity" not in st
        assert st["mlagPorts"]["Configured"] == 4 and st["mlagPorts"]["Active-full"] == 0
    lacp = {
        n: eapi(eos_lab, n).run_commands(["show lacp peer"])[0]["portChannels"]["Port-Channel11"]["interfaces"]["Ethernet1"]
        for n in ("eos-1a", "eos-1b")
    }
    assert sorted(p["actorPortStatus"] for p in lacp.values()) == ["bundled", "waiting"]

    with ssh(eos_lab, "eos-1b") as conn:
        conn.send_config_set(["mlag configuration", "domain-id MLAG01"])
        assert "negotiation status                 :           Connected" in conn.send_command("show mlag")
    assert mlag(eos_lab, "eos-1a")["mlagPorts"]["Active-full"] == 4


def test_one_sided_mlag_and_config_sanity(eos_lab):
    push_golden(eos_lab, "eos-1a")
    push_golden(eos_lab, "eos-1b")
    with ssh(eos_lab, "eos-1b") as conn:
        conn.send_config_set(
            [
                "interface Port-Channel14",
                "no mlag",
                "interface Port-Channel13",
                "switchport trunk native vlan 110",
                "mlag configuration",
                "reload-delay mlag 600",
            ]
        )
    node = eapi(eos_lab)
    ports = node.run_commands(["show mlag interfaces"])[0]["interfaces"]
    assert ports["14"]["status"] == "active-partial" and ports["14"]["peerInterface"] == ""
    sanity = node.run_commands(["show mlag config-sanity"])[0]
    assert sanity["mlagConnected"] is True
    assert sanity["globalConfiguration"]["mlag"]["globalParameters"]["reload-delay"] == {"localValue": "300", "peerValue": "600"}
    assert sanity["interfaceConfiguration"]["trunk-native-vlan mlag13"]["interface"]["Port-Channel13"] == {
        "localValue": "140",
        "peerValue": "110",
    }
    assert node.run_commands(["show mlag"])[0]["configSanity"] == "inconsistent"
    text = node.run_commands(["show mlag config-sanity"], encoding="text")[0]["output"]
    assert "trunk-native-vlan mlag13" in text and "Port-Channel13" in text


def test_peer_link_without_peer_vlan_never_connects(eos_lab):
    push_golden(eos_lab, "eos-1a")
    push_golden(eos_lab, "eos-1b")
    with ssh(eos_lab, "eos-1b") as conn:
        conn.send_config_set(["interface Port-Channel10", "no switchport trunk group MLAG", "interface Vlan4094", "autostate"])
    st = mlag(eos_lab, "eos-1b")
    assert (st["state"], st["localIntfStatus"], st["peerLinkStatus"]) == ("inactive", "down", "up")


# --- fault knobs ------------------------------------------------------------------------------------


def test_reject_next_commit(eos_lab):
    dev = eos_lab.device("eos-1a")
    dev.faults.reject_next_commit = True
    driver = napalm(eos_lab)
    try:
        driver.load_merge_candidate(config="vlan 610\n")
        with pytest.raises(CommandError, match="Failed to commit session napalm_"):
            driver.commit_config()
        assert "vlan 610" not in dev.running and not dev.faults.reject_next_commit
        driver.commit_config()  # one-shot: the retry goes through
        assert "vlan 610" in dev.running
    finally:
        driver.close()
    dev.faults.reject_next_commit = True
    with ssh(eos_lab) as conn:
        conn.send_command("configure session s9", expect_string=r"\)#")
        out = conn.send_config_set(["vlan 611", "commit"], enter_config_mode=False, exit_config_mode=False)
        assert "% Failed to commit session s9: configuration commit was rejected" in out
        conn.send_config_set(["abort"], enter_config_mode=False, exit_config_mode=False)
    assert "vlan 611" not in dev.running


def test_drop_on_commit(eos_lab):
    dev = eos_lab.device("eos-1a")
    dev.faults.drop_on_commit = True
    conn = ssh(eos_lab)
    conn.send_command("configure session d1", expect_string=r"\)#")
    conn.send_config_set(["vlan 620"], enter_config_mode=False, exit_config_mode=False)
    conn.write_channel("commit\n")
    time.sleep(0.3)
    with pytest.raises(OSError, match="Socket is closed"):
        conn.send_command("show version")
    conn.disconnect()
    assert "vlan 620" not in dev.running and not dev.faults.drop_on_commit
    assert dev.sessions["d1"].state == "pending"  # like EOS, the cut session stays open
    eapi(eos_lab).run_commands(["configure session d1 abort"])

    dev.faults.drop_on_commit = True
    driver = napalm(eos_lab)
    try:
        driver.load_merge_candidate(config="vlan 621\n")
        with pytest.raises(EapiConnectionError):
            driver.commit_config()
        assert "vlan 621" not in dev.running
    finally:
        driver.close()


def test_corrupt_output_text_and_json(eos_lab):
    push_golden(eos_lab, "eos-1a")
    dev = eos_lab.device("eos-1a")
    with ssh(eos_lab) as conn:
        clean = conn.send_command("show mlag")
        dev.faults.corrupt_output = True
        garbled = conn.send_command("show mlag")
        assert garbled != clean and len(garbled.splitlines()) == len(clean.splitlines())
        assert conn.send_command("show mlag") == clean
    node = eapi(eos_lab)
    clean_json = node.run_commands(["show mlag"])[0]
    dev.faults.corrupt_output = True
    garbled_json = node.run_commands(["show mlag"])[0]
    assert garbled_json != clean_json and garbled_json.keys() == clean_json.keys()
    assert node.run_commands(["show mlag"])[0] == clean_json


def test_delay_and_refuse_login(eos_lab):
    dev = eos_lab.device("eos-1a")
    dev.faults.delay = 0.3
    node = eapi(eos_lab)
    started = time.monotonic()
    node.run_commands(["show version"])
    assert time.monotonic() - started >= 0.3
    dev.faults.delay = 0
    dev.faults.refuse_login = True
    with pytest.raises(NetmikoAuthenticationException):
        ssh(eos_lab)
    with pytest.raises(EapiConnectionError, match="Unauthorized"):
        napalm(eos_lab)


# --- privilege levels (data.lab.privilege, data.lab.enable_secret) -----------------------------------


def _privileged_lab(port_factory, **options):
    spec = DeviceSpec("eos-1a", "arista_eos", port_factory(), USER, PASSWORD, {"http_port": port_factory(), **options})
    return Lab([spec], [])


def test_privilege_15_lands_in_privileged_exec(port_factory):
    """A privilege-15 user needs no ``enable``: netmiko's plain ``show running-config`` and a
    config push work at once; ``disable`` drops to ``>`` and ``enable`` comes back."""
    with _privileged_lab(port_factory, privilege=15) as lab:
        dev = lab.device("eos-1a")
        with ssh(lab, enable=False) as conn:
            assert conn.find_prompt() == "eos-1a#"
            assert conn.send_command("show running-config").startswith("! Command: show running-config")
            assert conn.send_command("show privilege") == "Current privilege level is 15"
            conn.send_config_set(["interface Ethernet7", "description priv15"])
            conn.send_command("disable", expect_string=r">")
            assert conn.find_prompt() == "eos-1a>"
            assert conn.send_command("show running-config") == "% Invalid input (privileged mode required)"
            conn.enable()
            assert conn.find_prompt() == "eos-1a#"
        assert "interface Ethernet7\n   description priv15" in dev.running
        # eAPI runs at the same level: configure works without pyeapi's enable
        eapi(lab).run_commands(["configure", "vlan 42", "end"], send_enable=False)
        assert "vlan 42" in dev.running


def test_privilege_1_with_enable_secret(port_factory):
    """At privilege 1 with an enable secret, ``enable`` asks ``Password:`` without echoing the
    answer; netmiko's ``secret`` gets to ``#``, a wrong one is refused as on EOS; pyeapi sends
    the secret as the enable command's input."""
    with _privileged_lab(port_factory, privilege=1, enable_secret="s3cret") as lab:
        conn = ConnectHandler(
            device_type="arista_eos", host="127.0.0.1", port=lab.device("eos-1a").port, username=USER, password=PASSWORD, secret="s3cret"
        )
        with conn:
            assert conn.find_prompt() == "eos-1a>"
            assert conn.send_command("show running-config") == "% Invalid input (privileged mode required)"
            out = conn.enable()
            assert "Password:" in out and "s3cret" not in out
            assert conn.find_prompt() == "eos-1a#"
            assert conn.send_command("show privilege") == "Current privilege level is 15"
        wrong = ConnectHandler(
            device_type="arista_eos", host="127.0.0.1", port=lab.device("eos-1a").port, username=USER, password=PASSWORD,
            secret="nope", read_timeout_override=1,
        )
        with wrong:
            with pytest.raises(ReadTimeout):  # netmiko waits for a '#' that a refused enable never prints
                wrong.enable()
            assert wrong.find_prompt() == "eos-1a>"
            wrong.write_channel("enable\n")
            assert "Password:" in wrong.read_until_pattern(pattern="Password:")
            wrong.write_channel("nope\n")
            refused = wrong.read_until_pattern(pattern=r"eos-1a>")
            assert "% Access denied" in refused and "nope" not in refused
        good = pyeapi.client.Node(
            pyeapi.client.connect(transport="http", host="127.0.0.1", port=lab.device("eos-1a").http_port(), username=USER, password=PASSWORD),
            enablepwd="s3cret",
        )
        assert good.run_commands(["show privilege"])[0]["privilegeLevel"] == 15
        bad = pyeapi.client.Node(
            pyeapi.client.connect(transport="http", host="127.0.0.1", port=lab.device("eos-1a").http_port(), username=USER, password=PASSWORD),
            enablepwd="nope",
        )
        with pytest.raises(CommandError, match="could not run command") as err:
            bad.run_commands(["show running-config"], encoding="text")
        assert "Access denied" in err.value.command_error


def test_privilege_1_without_secret_enables_with_or_without_netmiko_secret(port_factory):
    with _privileged_lab(port_factory) as lab:  # privilege 1 is the device default
        for secret in ("", "unused"):
            conn = ConnectHandler(
                device_type="arista_eos", host="127.0.0.1", port=lab.device("eos-1a").port, username=USER, password=PASSWORD, secret=secret
            )
            with conn:
                assert conn.find_prompt() == "eos-1a>"
                conn.enable()
                assert conn.find_prompt() == "eos-1a#"


def test_lab_inventory_lands_eos_users_at_privilege_15(lab_env):
    """inventories/lab sets ``privilege: 15``, so a plain netmiko session to the lab reads the
    running config without ``enable``."""
    host = lab_env["hosts"]["eos-1a"]
    assert host["data"]["lab"]["privilege"] == 15
    conn = ConnectHandler(
        device_type="arista_eos", host="127.0.0.1", port=host["port"], username="netops", password=SECRET_FROM_CONFTEST
    )
    with conn:
        assert conn.find_prompt() == "eos-1a#"
        assert "hostname eos-1a" in conn.send_command("show running-config")


@pytest.mark.parametrize("value", [0, 7, "admin", True])
def test_privilege_option_is_1_or_15(port_factory, value):
    with pytest.raises(ValueError, match="data.lab.privilege"):
        _privileged_lab(port_factory, privilege=value)
