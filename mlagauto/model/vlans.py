"""VLAN list arithmetic: the range strings every platform prints, to and from sorted id lists."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice


def parse_vlan_list(text: str) -> list[int]:
    """Parse ``"1-10,20"`` / ``"10 20 to 25"`` style lists into sorted unique ids.

    Accepts the separators the four platforms print: commas, spaces, ``-`` and Huawei's ``to``.
    Raises ValueError on anything else, or on ids outside 1-4094.
    """
    out: set[int] = set()
    tokens = text.replace(",", " ").split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i + 2 < len(tokens) and tokens[i + 1].lower() == "to":
            lo, hi = _vlan_int(tok), _vlan_int(tokens[i + 2])
            i += 3
        elif "-" in tok:
            left, _, right = tok.partition("-")
            lo, hi = _vlan_int(left), _vlan_int(right)
            i += 1
        else:
            lo = hi = _vlan_int(tok)
            i += 1
        if lo > hi:
            raise ValueError(f"VLAN range {lo}-{hi} is reversed")
        out.update(range(lo, hi + 1))
    return sorted(out)


def _vlan_int(tok: str) -> int:
    if not tok.isdigit():
        raise ValueError(f"{tok!r} is not a VLAN id")
    value = int(tok)
    if not 1 <= value <= 4094:
        raise ValueError(f"VLAN id {value} is outside 1-4094")
    return value


def vlan_ranges(vlans: Iterable[int]) -> list[tuple[int, int]]:
    """Group the ids, sorted, into inclusive ``(first, last)`` runs. A render formats a VLAN list
    for every port (the peer-link's, hundreds of ids, on each of its members), and most lists are
    one run: that case costs one comparison after the sort."""
    ids = sorted(set(vlans))
    if not ids:
        return []
    first, last = ids[0], ids[-1]
    if last - first == len(ids) - 1:
        return [(first, last)]
    runs: list[tuple[int, int]] = []
    lo = prev = first
    for vid in islice(ids, 1, None):
        if vid != prev + 1:
            runs.append((lo, prev))
            lo = vid
        prev = vid
    runs.append((lo, prev))
    return runs


def format_vlan_list(vlans: Iterable[int], sep: str = ",", dash: str = "-", min_run: int = 2) -> str:
    """Render ids as a range string, e.g. ``10,20-25`` (NX-OS/EOS) or ``10 20 to 25`` (Huawei).

    ``min_run`` is the shortest run printed as a range: NX-OS and EOS print ``10-11``, so 2.
    """
    parts: list[str] = []
    for lo, hi in vlan_ranges(vlans):
        if hi - lo + 1 >= min_run and hi != lo:
            parts.append(f"{lo}{dash}{hi}")
        else:
            parts.extend(str(v) for v in range(lo, hi + 1))
    return sep.join(parts)
