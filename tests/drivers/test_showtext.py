"""The helpers the show-output parsers share: JSON told from text, LACP system ids in one
spelling, numbers in decimal or hex."""

from __future__ import annotations

import pytest

from mlagauto.drivers.showtext import is_json, lacp_mac, no_output, ntc_rows, number


@pytest.mark.parametrize("text", ['{"vpc-domain-id": "10"}', "  \n{}", "[1, 2]", '[{"x": 1}]', "[]", '{"truncated": '])
def test_json_replies(text):
    assert is_json(text)


@pytest.mark.parametrize("text", ["", "Legend:", "{master:0}\nRedundancy Group Information", "[~leaf-1a] display eth-trunk", "null", "% Invalid input"])
def test_text_replies(text):
    assert not is_json(text)


@pytest.mark.parametrize(
    ("text", "mac"),
    [
        ("5e-2-0-1-0-7", "5e:02:00:01:00:07"),
        ("76-83-EF-ed-66-5d", "76:83:ef:ed:66:5d"),
        ("00e0-fc12-3456", "00:e0:fc:12:34:56"),
        ("aabb.ccdd.eeff", "aa:bb:cc:dd:ee:ff"),
        ("3c:8c:93:2e:27:40", "3c:8c:93:2e:27:40"),
        ("0-0-0-0-0-0", None),
        ("0000-0000-0000", None),
        ("5e-2-0-1-0", None),
        ("zz-2-0-1-0-7", None),
        (None, None),
    ],
)
def test_lacp_mac(text, mac):
    assert lacp_mac(text) == mac


@pytest.mark.parametrize(("text", "value"), [("0x000a", 10), ("0x101", 257), ("32768", 32768), (15, 15), ("", None), ("n/a", None), (None, None)])
def test_number(text, value):
    assert number(text) == value


def test_no_output_names_the_command():
    assert no_output("show vpc | json") == "show vpc | json: no output"


def test_ntc_template_rows_are_keyed_by_lower_case_names():
    text = "\n".join([
        "Flags:  D - Down        P - Up in port-channel (members)",
        "--------------------------------------------------------------------------------",
        "Group Port-       Type     Protocol  Member Ports",
        "      Channel",
        "--------------------------------------------------------------------------------",
        "1     Po1(SU)     Eth      LACP      Eth1/49(P)   Eth1/50(D)",
    ])
    (row,) = ntc_rows("cisco_nxos_show_port-channel_summary.textfsm", text)
    assert (row["bundle_name"], row["member_interface"], row["member_interface_status"]) == ("Po1", ["Eth1/49", "Eth1/50"], ["P", "D"])
