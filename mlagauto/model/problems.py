"""Problems found while validating intent, and the exception that carries them.

A Problem names the domain, the host (when the field belongs to one peer) and the field path
as it is written in the inventory, so the loader can point at the exact file and key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason an MLAG domain cannot be rendered as given."""

    field: str
    """Dotted path below ``data.mlag`` of the host (when ``host`` is set) or of the domain's group."""
    message: str
    host: str | None = None
    domain: str | None = None

    def __str__(self) -> str:
        where = []
        if self.domain:
            where.append(f"domain {self.domain}")
        if self.host:
            where.append(f"host {self.host}")
        where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}"


class IntentError(ValueError):
    """Raised by MlagDomain validation; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))
