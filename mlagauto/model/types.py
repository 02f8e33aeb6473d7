"""Constrained scalar types shared by the intent model and PeerConfig.

Every string that can end up on a device passes through one of these types. The checks here
are the platform-independent floor (no control characters, no line breaks, no whitespace in a
token); each driver adds its platform's own token rules on top (see ``MlagDriver.validate``).
Nothing is ever escaped: a string that could change the meaning of a CLI line is rejected.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag

from mlagauto.model.vlans import parse_vlan_list

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SOLID = r"[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]"
_CLEAN_TEXT = re.compile(rf"{_SOLID}(?:[^\x00-\x1f\x7f-\x9f\u2028\u2029]*{_SOLID})?")
_CLEAN_TOKEN = re.compile(rf"{_SOLID}+")
"""One C-level match for the common, valid value: an inventory of a thousand pairs holds about a
million names and descriptions. Whatever it does not match goes through the checks below, which
say what is wrong."""
_MAC_HEX = re.compile(r"[0-9a-f]{12}")


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains a newline or control character (CLI injection is rejected, never escaped)")
    return value


def _text(value: str) -> str:
    if _CLEAN_TEXT.fullmatch(value):
        return value
    _no_control(value)
    if value != value.strip():
        raise ValueError("has leading or trailing whitespace")
    if not value:
        raise ValueError("is empty")
    return value


def _token(value: str) -> str:
    if _CLEAN_TOKEN.fullmatch(value):
        return value
    _text(value)
    if len(value.split()) != 1:  # str.split() splits at exactly the characters str.isspace() accepts
        raise ValueError("must be a single token without whitespace")
    return value


def _not_bool(value: Any) -> Any:
    """YAML reads ``true``/``yes``/``on`` as booleans, and a bool is an int in Python: without
    this, ``domain_id: true`` would quietly become domain 1."""
    if isinstance(value, bool):
        raise ValueError(f"is a boolean ({str(value).lower()}), not a number")
    return value


def _mac(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a MAC address string")
    digits = re.sub(r"[.:\-]", "", value.strip().lower())
    if not _MAC_HEX.fullmatch(digits):
        raise ValueError(f"{value!r} is not a MAC address (aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabb-ccdd-eeff)")
    if int(digits[0:2], 16) & 0x01:
        raise ValueError(f"{value!r} is a multicast MAC address; a system MAC must be unicast")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _vlan_text(text: str) -> list[int]:
    """A VLAN range string as written in an inventory: an empty item (``"10,,20"``, a trailing
    comma) is a typo to point at, not something to skip."""
    if any(not item.strip() for item in text.split(",")):
        raise ValueError(f"{text!r} has an empty item between commas")
    return parse_vlan_list(text)


def _vlan_list(value: Any) -> list[int]:
    if isinstance(value, bool):
        raise ValueError(f"is a boolean ({str(value).lower()}), not a VLAN list")
    if isinstance(value, int):
        value = [value]
    if isinstance(value, str):
        return _vlan_text(value)
    if isinstance(value, (list, tuple, set)):
        out: set[int] = set()
        for item in value:
            if isinstance(item, bool):
                raise ValueError("VLAN ids must be integers")
            if isinstance(item, int):
                out.add(item)
            elif isinstance(item, str):
                if not item.strip():
                    raise ValueError("has an empty item")
                out.update(_vlan_text(item))
            else:
                raise ValueError(f"{item!r} is not a VLAN id or range")
        bad = [v for v in out if not 1 <= v <= 4094]
        if bad:
            raise ValueError(f"VLAN ids outside 1-4094: {sorted(bad)}")
        return sorted(out)
    raise ValueError("must be a list of VLAN ids or a range string such as '10,20-25'")


Text = Annotated[str, AfterValidator(_text), Field(max_length=255)]
"""Free text that reaches a device (descriptions): printable, one line."""

Token = Annotated[str, AfterValidator(_token), Field(max_length=64)]
"""A name that reaches a device as one CLI token (VLAN names, VRFs, interface names)."""

MacAddress = Annotated[str, BeforeValidator(_mac)]
"""A unicast MAC address, normalised to ``aa:bb:cc:dd:ee:ff``."""

Int = Annotated[int, BeforeValidator(_not_bool)]
"""An integer of the intent (ids, numbers, priorities, sizes): never a YAML boolean."""

PER_HOST, ONE_VALUE = "per-host", "one-value"
"""Tags of the PerHostInt union; the inventory loader leaves them out of field paths."""

PerHostInt = Annotated[
    Union[Annotated[Int, Tag(ONE_VALUE)], Annotated[dict[str, Int], Tag(PER_HOST)]],
    Discriminator(lambda value: PER_HOST if isinstance(value, dict) else ONE_VALUE),
]
"""One integer for both peers, or a per-host map of them. The shape picks the branch, so an
error is reported against the one the user wrote rather than once per union member."""

VlanId = Annotated[Int, Field(ge=1, le=4094)]

VlanList = Annotated[list[int], BeforeValidator(_vlan_list)]
"""A set of VLAN ids, accepted as a list or a range string, kept sorted and unique."""

Seconds = Annotated[Int, Field(ge=0, le=86400)]
