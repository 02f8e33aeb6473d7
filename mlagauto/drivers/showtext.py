"""What the platforms' show-output parsers share: telling a JSON reply from the CLI's text,
running a TextFSM template without paying for textfsm at import time, one spelling for LACP
system ids, and one wording for an output that is missing."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

_JSON_START = re.compile(r'\s*(?:\{\s*["}]|\[\s*[\[\]{"\d-])')
_ZERO_MAC = "00:00:00:00:00:00"
_MAC_GROUPS = {6: 2, 3: 4, 1: 12}
"""Groups of a MAC as platforms print it -> hex digits per group (``5e-2-0-1-0-7``,
``00e0-fc12-3456``, ``001b213a4f10``)."""


def no_output(command: str) -> str:
    """The warning for a state command whose output is missing. One wording for every platform,
    so that ``mlagauto.validate`` can name the file it looked for instead."""
    return f"{command}: no output"


def is_json(text: str) -> bool:
    """Whether an output is JSON (``| json``, eAPI) rather than text: a JSON reply opens with an
    object (``{"`` or ``{}``) or an array, which no show command's text does; a Junos banner
    (``{master:0}``) or a Huawei prompt (``[~CE1]``) left at the top of a capture is text."""
    return _JSON_START.match(text) is not None


def lacp_mac(text: object) -> str | None:
    """A system MAC in any spelling the platforms print (NX-OS ``5e-2-0-1-0-7`` drops leading
    zeros, EOS ``76-83-ef-ed-66-5d``, Huawei ``00e0-fc12-3456``, Junos ``aa:bb:...``) as
    ``aa:bb:cc:dd:ee:ff``; None for no MAC, and for the all-zero id of a port without partner."""
    if not isinstance(text, str):
        return None
    groups = re.split(r"[-:.]", text.strip().lower())
    width = _MAC_GROUPS.get(len(groups))
    if width is None or not all(re.fullmatch(rf"[0-9a-f]{{1,{width}}}", g) for g in groups):
        return None
    digits = "".join(g.zfill(width) for g in groups)
    mac = ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    return None if mac == _ZERO_MAC else mac


def number(text: object) -> int | None:
    """An integer as show outputs print one: decimal, or hex with ``0x`` (NX-OS and EOS keys and
    port numbers); None when it is neither."""
    value = str(text).strip().lower() if text is not None else ""
    try:
        return int(value, 16) if value.startswith("0x") else int(value)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _ntc_template(name: str) -> str:
    from importlib.util import find_spec

    spec = find_spec("ntc_templates")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("ntc-templates is not installed")
    return (Path(next(iter(spec.submodule_search_locations))) / "templates" / name).read_text(encoding="utf-8")


def ntc_rows(template: str, text: str) -> list[dict[str, Any]]:
    """The records ntc-templates' ``template`` (a file name of its ``templates`` folder) reads from
    ``text``, keyed by lower-case value name. textfsm is imported here, on first use, so the
    command line starts without it; it raises on output the template does not accept."""
    import textfsm

    fsm = textfsm.TextFSM(io.StringIO(_ntc_template(template)))
    return [dict(zip((h.lower() for h in fsm.header), row)) for row in fsm.ParseText(text)]
