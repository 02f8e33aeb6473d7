"""The driver contract every platform implements, and the parts all platforms share.

A driver turns an ``MlagDomain`` into one switch's configuration through the platform's Jinja2
templates in ``vendors/<platform>/``, projects the intent onto one peer as a ``PeerConfig``,
parses a running configuration back into a ``PeerConfig``, and states its transport facts and the
neutral options the platform does not have (``unsupported``).
The shared conformance suite (``tests/test_conformance.py``) runs against every driver.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import jinja2

from mlagauto.configtree import Node, clean_capture, parse_indented
from mlagauto.model.intent import MlagDomain, MlagInterface
from mlagauto.model.peer_config import (
    KeepaliveConfig,
    MlagInterfaceConfig,
    PeerConfig,
    PeerLinkConfig,
    StpConfig,
    TimersConfig,
    vlan_configs,
)
from mlagauto.model.finding import Severity
from mlagauto.model.peer_state import PeerState
from mlagauto.model.problems import Problem
from mlagauto.model.vlans import format_vlan_list, parse_vlan_list

if TYPE_CHECKING:
    from hier_config.platforms.driver_base import HConfigDriverBase


def builtin_vendor_dir() -> Path:
    """Templates ship inside the wheel as ``mlagauto/vendors``; in a source checkout they are the
    top-level ``vendors/`` folder beside the package."""
    pkg = Path(__file__).resolve().parent.parent
    installed = pkg / "vendors"
    return installed if installed.is_dir() else pkg.parent / "vendors"


def template_environment(folder: str, override: str | None, filters: dict[str, Callable[..., Any]]) -> jinja2.Environment:
    """The Jinja2 environment of one template folder (a platform's, a host format's): the
    override directory's ``<folder>`` first, then the shipped one; undefined names are errors,
    text is not escaped, and templates are not re-read during a run (no stat per render)."""
    dirs = [str(Path(override) / folder)] if override else []
    dirs.append(str(builtin_vendor_dir() / folder))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,
    )
    env.filters.update(filters)
    return env


@lru_cache(maxsize=32)
def _environment(platform: str, override: str | None) -> jinja2.Environment:
    return template_environment(platform, override, {"vlan_list": format_vlan_list})


@lru_cache(maxsize=16)
def _fixes(platform: str) -> dict[str, str]:
    import yaml

    path = builtin_vendor_dir() / platform / "fixes.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def vlan_list(spec: str) -> list[int]:
    """``parse_vlan_list(spec)``, with a shortcut for the lone id of a ``vlan N`` line: a running
    config has one such line per VLAN, and the shortcut gives the same list without the tokenizer
    (anything else, errors included, goes through ``parse_vlan_list``)."""
    if spec.isdecimal():
        vid = int(spec)
        if 1 <= vid <= 4094:
            return [vid]
    return parse_vlan_list(spec)


@lru_cache(maxsize=1024)
def vlan_frozenset(spec: str) -> frozenset[int]:
    """``vlan_list(spec)`` as a set, cached: a switch repeats the same few VLAN lists on hundreds
    of ports."""
    return frozenset(vlan_list(spec))


def _is_set(obj: Any, path: str) -> bool:
    """Whether the dotted attribute ``path`` below ``obj`` holds a value (neither None nor False)."""
    value = obj
    for name in path.split("."):
        if value is None:
            return False
        value = getattr(value, name)
    return value is not None and value is not False


@dataclass(frozen=True)
class CliCommit:
    """Commands of a platform whose configuration is committed in two stages over a CLI (used by
    ``mlagauto.transport.CliCommitSession``)."""

    enter_config: str
    """Enter the configuration view (``system-view``)."""
    leave_config: str
    """Back to the user view (``return``)."""
    commit: str
    """Commit the candidate."""
    discard: str
    """Drop the uncommitted candidate."""
    show_running: str
    """Print the running configuration."""
    show_candidate_diff: str
    """Print what the candidate changes."""
    list_commits: str
    """List commit ids, newest first."""
    commit_id_pattern: str
    """Regex with one group: a commit id in ``list_commits`` output."""
    rollback_to: str
    """Restore the configuration as it was right after a commit (``... {id}``)."""
    config_prompt: str
    """Regex matching the prompt of every configuration view."""
    user_prompt: str
    """Regex matching the user-view prompt."""
    error_markers: tuple[str, ...]
    """Output fragments that mean a line or the commit failed."""
    confirm_answer: str = "y"
    """Answer to the platform's Y/N confirmation questions."""


@dataclass(frozen=True)
class LagView:
    """One MLAG interface resolved for one host: what a template needs, nothing to look up."""

    intent: MlagInterface
    mlag_id: int
    port_channel: int
    name: str
    members: list[str]


class MlagDriver(ABC):
    """Base contract. Subclasses set the class facts and implement ``parse_config``; most override
    ``context`` (template values) and ``peer_config`` hooks for their platform's semantics."""

    platform: ClassVar[str]
    netmiko_device_type: ClassVar[str]
    """netmiko device_type for show commands."""
    napalm_driver: ClassVar[str | None]
    """napalm driver name, or None where the project brings its own transport."""
    commit_style: ClassVar[str]
    """``checkpoint`` (NX-OS), ``session`` (EOS), ``candidate`` (Junos), ``two-stage`` (Huawei V8)."""
    variants: ClassVar[tuple[str, ...]] = ("default",)
    """Render variants; the first is the default."""

    domain_id_range: ClassVar[tuple[int, int]]
    mlag_id_range: ClassVar[tuple[int, int]]
    port_channel_range: ClassVar[tuple[int, int]]
    role_priority_range: ClassVar[tuple[int, int]] = (1, 65535)
    name_pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}")
    """Names that reach the device as tokens (VLAN names, VRFs, EOS domain-id)."""
    interface_pattern: ClassVar[re.Pattern[str]]
    """Physical interface names, as the platform prints them in its running config."""
    description_max: ClassVar[int] = 240
    description_forbidden: ClassVar[str] = '"'
    """Characters a description may not carry on this platform (on top of control characters)."""
    keepalive_interface_pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z][A-Za-z0-9/.\-]{0,63}")
    """Interface names that may carry the keepalive source (management and routed ports)."""
    vlan_list_style: ClassVar[tuple[str, str]] = (",", "-")
    """Separator and range mark of VLAN lists on this platform's CLI (``10,20-25``)."""
    uses_peer_vlan: ClassVar[bool] = False
    """True where an L3 control session runs on a peer VLAN (EOS, Junos): it then needs
    ``peer_address`` on both peers and the peer VLAN may carry no MLAG traffic."""
    peer_address_on_link: ClassVar[bool] = False
    """True where the control session must run between two addresses of one subnet (EOS: the
    ``peer-address`` is reached through ``local-interface``); elsewhere it may be routed (Junos
    ICCP between loopbacks), and addresses in different subnets are legal."""
    severities: ClassVar[dict[str, Severity]] = {}
    """Rule severities where this platform's implementation differs from the rule's default, by
    rule id or ``rule-id.attribute`` (``keepalive-missing``: NX-OS forms no vPC without a
    peer-keepalive, EOS heartbeats are an optional dual-primary detection). ``docs/rules.md``
    cites the vendor source of each."""
    unsupported: ClassVar[dict[str, str]] = {}
    """Options of the neutral model this platform does not have: field path -> the reason shown
    when one is set (neither None nor False). A path is a dotted domain field
    (``stp.bridge_address``), ``peers[].<field>`` (reported per peer, with its host) or
    ``mlag_interfaces[].<field>`` (reported as ``mlag_interfaces[<index>].<field>``). Rules that
    depend on the value, or on more than one field, belong in ``validate_platform``."""

    def __init__(self, template_dir: str | Path | None = None):
        self.template_dir = str(template_dir) if template_dir else None

    # --- naming --------------------------------------------------------------------------
    @abstractmethod
    def lag_name(self, number: int) -> str:
        """The port-channel's name as the running config prints it (``port-channel11``)."""

    # --- import (running config -> intent) --------------------------------------------------
    def lag_number(self, name: str) -> int | None:
        """Hook for ``mlagauto.importer``: the port-channel number of a name as the parser
        reports it, the inverse of ``lag_name``; None where ``name`` is no port-channel this
        driver renders (the import then reports it rather than guessing)."""
        m = re.fullmatch(r"\D*?(\d+)", name)
        if m is None:
            return None
        number = int(m.group(1))
        return number if self.lag_name(number) == name else None

    import_blocks: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Headers of the top-level blocks that hold MLAG domain settings (``vpc domain N``), for
    ``unmodelled_lines``."""
    import_modelled: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Lines of those blocks whose setting the model holds; every other line of them is a
    setting the parser passes over (NX-OS ``ip arp synchronize``)."""

    def unmodelled_lines(self, text: str) -> list[str]:
        """Hook for ``mlagauto.importer``: the lines of the MLAG domain blocks that set something
        the model has no field for, as ``header: line``. The parser passes over them (an audit
        need not know them), but an import that dropped them would lose them silently."""
        from mlagauto.configtree import top_blocks

        out = []
        for head, children in top_blocks(clean_capture(text)):
            if any(p.fullmatch(head) for p in self.import_blocks):
                out += [f"{head}: {line}" for line in children if not any(p.match(line) for p in self.import_modelled)]
        return out

    def domain_identity(self, value: str) -> dict[str, Any]:
        """Hook for ``mlagauto.importer``: the intent fields that give ``PeerConfig.domain_id``
        ``value`` (the domain number on most platforms; EOS overrides it with its string
        domain-id). Empty where the value cannot be one."""
        return {"domain_id": int(value)} if value.isdecimal() else {}

    # --- migration (one platform's pair -> another's) -----------------------------------------
    port_template: ClassVar[str]
    """A front-panel port as ``str.format`` with its index ``n`` (``Ethernet1/{n}``): the default
    rename of ``mlagauto.migrate`` when no interface map is given."""
    first_port: ClassVar[int] = 1
    """Index of the first front-panel port (Junos counts from 0)."""
    management_interface: ClassVar[str]
    """The out-of-band management port, which a migration maps to the target's own."""
    default_keepalive_vrf: ClassVar[str | None] = None
    """VRF a keepalive without ``vrf`` runs in; None is the global table."""
    numbers_domain: ClassVar[bool] = True
    """Whether the platform identifies the pair by ``domain_id`` (False: EOS, by a name)."""
    value_ranges: ClassVar[dict[str, tuple[int, int]]] = {}
    """Numeric fields the platform narrows below the model's range (dotted; ``mlag_interfaces[].``
    for each LAG): a migration brings a value from a wider platform into range."""

    # --- validation ----------------------------------------------------------------------
    def validate(self, domain: MlagDomain) -> list[Problem]:
        """Platform rules on top of the generic ones: ranges, token rules, the ``unsupported``
        options, then ``validate_platform``."""
        out: list[Problem] = []
        lo, hi = self.domain_id_range
        if not lo <= domain.domain_id <= hi:
            out.append(Problem("domain_id", f"{domain.domain_id} is outside {self.platform}'s range {lo}-{hi}"))
        out += self._check_name("domain_name", domain.domain_name)
        valid_name, valid_interface = self.name_pattern.fullmatch, self.interface_pattern.fullmatch  # hundreds of each per domain
        for k, v in enumerate(domain.vlans):
            if v.name is not None and not valid_name(v.name):
                out += self._check_name(f"vlans[{k}].name", v.name)
        if domain.authentication:
            out += self._check_name("authentication.password", domain.authentication.password, pattern=re.compile(r"[!-~]{1,128}"))
        plo, phi = self.port_channel_range
        mlo, mhi = self.mlag_id_range
        for k, itf in enumerate(domain.mlag_interfaces):
            base = f"mlag_interfaces[{k}]"
            if not mlo <= itf.mlag_id <= mhi:
                out.append(Problem(f"{base}.mlag_id", f"{itf.mlag_id} is outside {self.platform}'s range {mlo}-{mhi}"))
            for h in domain.hostnames:
                pc = itf.port_channel_on(h)
                if not plo <= pc <= phi:
                    out.append(Problem(f"{base}.port_channel", f"{pc} on {h} is outside {self.platform}'s range {plo}-{phi}"))
                for m in itf.members_on(h):
                    if not valid_interface(m):
                        out += self._check_interface(f"{base}.members", m, host=None)
            out += self._check_description(f"{base}.description", itf.description)
        rlo, rhi = self.role_priority_range
        for p in domain.peers:
            h = p.hostname
            if p.role_priority is not None and not rlo <= p.role_priority <= rhi:
                out.append(Problem("role_priority", f"{p.role_priority} is outside {self.platform}'s range {rlo}-{rhi}", host=h))
            if not plo <= p.peer_link.port_channel <= phi:
                out.append(Problem("peer_link.port_channel", f"{p.peer_link.port_channel} is outside {self.platform}'s range {plo}-{phi}", host=h))
            for m in p.peer_link.members:
                out += self._check_interface("peer_link.members", m, host=h)
            out += self._check_description("peer_link.description", p.peer_link.description, host=h)
            out += self._check_name("keepalive.vrf", p.keepalive.vrf, host=h)
            if p.keepalive.interface:
                out += self._check_name("keepalive.interface", p.keepalive.interface, host=h, pattern=self.keepalive_interface_pattern)
            if p.variant is not None and p.variant not in self.variants:
                out.append(Problem("variant", f"{p.variant!r} is not one of {self.platform}'s variants {list(self.variants)}", host=h))
            if self.uses_peer_vlan and p.peer_address is None:
                out.append(Problem("peer_address", f"{self.platform} needs the peer-VLAN address of each peer", host=h))
        if self.uses_peer_vlan:
            for k, itf in enumerate(domain.mlag_interfaces):
                if domain.effective_peer_vlan in itf.vlans:
                    out.append(Problem(f"mlag_interfaces[{k}].vlans", f"VLAN {domain.effective_peer_vlan} is the peer VLAN, reserved for the peers' control session"))
        return out + self._check_unsupported(domain) + self.validate_platform(domain)

    def validate_platform(self, domain: MlagDomain) -> list[Problem]:
        """Hook: the platform's value-dependent rules and its own pairing rules."""
        return []

    def _check_unsupported(self, domain: MlagDomain) -> list[Problem]:
        """One Problem for every place the domain sets an option named in ``unsupported``."""
        out: list[Problem] = []
        for path, reason in self.unsupported.items():
            collection, per_item, attr = path.partition("[].")
            if not per_item:
                if _is_set(domain, path):
                    out.append(Problem(path, reason))
            elif collection == "peers":
                out += [Problem(attr, reason, host=p.hostname) for p in domain.peers if _is_set(p, attr)]
            else:
                items = getattr(domain, collection)
                out += [Problem(f"{collection}[{k}].{attr}", reason) for k, item in enumerate(items) if _is_set(item, attr)]
        return out

    def _check_name(self, field: str, value: str | None, host: str | None = None, pattern: re.Pattern[str] | None = None) -> list[Problem]:
        if value is None:
            return []
        pat = pattern or self.name_pattern
        if not pat.fullmatch(value):
            return [Problem(field, f"{value!r} does not match {self.platform}'s token rule {pat.pattern}", host=host)]
        return []

    def _check_interface(self, field: str, value: str, host: str | None) -> list[Problem]:
        if not self.interface_pattern.fullmatch(value):
            return [Problem(field, f"{value!r} is not a {self.platform} interface name ({self.interface_pattern.pattern})", host=host)]
        return []

    def _check_description(self, field: str, value: str | None, host: str | None = None) -> list[Problem]:
        if value is None:
            return []
        out = []
        if len(value) > self.description_max:
            out.append(Problem(field, f"longer than {self.platform}'s {self.description_max} characters", host=host))
        bad = sorted({c for c in value if c in self.description_forbidden or not c.isprintable()})
        if bad:
            out.append(Problem(field, f"contains characters {self.platform} cannot take in a description: {bad}", host=host))
        return out

    # --- rendering -----------------------------------------------------------------------
    def lags(self, domain: MlagDomain, host: str) -> list[LagView]:
        """The domain's MLAG interfaces resolved for ``host``, sorted by MLAG id."""
        out = []
        for itf in sorted(domain.mlag_interfaces, key=lambda i: i.mlag_id):
            pc = itf.port_channel_on(host)
            out.append(LagView(itf, itf.mlag_id, pc, self.lag_name(pc), itf.members_on(host)))
        return out

    def context(self, domain: MlagDomain, host: str) -> dict[str, Any]:
        """Template variables; platforms extend this with their derived values."""
        me = domain.peer(host)
        return {
            "domain": domain,
            "peer": me,
            "other": domain.other(host),
            "role": domain.role_of(host),
            "lags": self.lags(domain, host),
            "vlans": sorted(domain.vlans, key=lambda v: v.id),
            "peer_link_name": self.lag_name(me.peer_link.port_channel),
            "peer_link_vlans": domain.peer_link_vlans(host),
        }

    def template_for(self, variant: str) -> str:
        """Template file for a variant (``<variant>.j2``)."""
        return f"{variant}.j2"

    def render(self, domain: MlagDomain, host: str, variant: str | None = None) -> str:
        """The MLAG surface of ``host`` as the device prints it in its running configuration."""
        chosen = variant or domain.peer(host).variant or self.variants[0]
        if chosen not in self.variants:
            raise ValueError(f"{self.platform} has no render variant {chosen!r}; choose one of {list(self.variants)}")
        env = _environment(self.platform, self.template_dir)
        return env.get_template(self.template_for(chosen)).render(**self.context(domain, host))

    # --- projection: intent -> PeerConfig --------------------------------------------------
    def projected_domain_id(self, domain: MlagDomain) -> str:
        """The domain id ``peer_config`` gives both switches of ``domain``, as reports label the
        pair (without projecting every LAG and VLAN to learn it)."""
        return str(domain.domain_id)

    def projected_vlans(self, domain: MlagDomain) -> list[tuple[int, str | None]]:
        """``(id, name)`` of each VLAN the switch's configuration shows, by id: every VLAN of the
        intent with its name; platforms drop what they do not print and add what they do."""
        return [(v.id, v.name) for v in sorted(domain.vlans, key=lambda v: v.id)]

    def peer_config(self, domain: MlagDomain, host: str) -> PeerConfig:
        """What ``parse_config(render(domain, host))`` must return. The generic projection fills
        the vendor-neutral fields; platforms adjust what they print differently or not at all."""
        me, other = domain.peer(host), domain.other(host)
        return PeerConfig(
            platform=self.platform,
            hostname=host,
            domain_id=self.projected_domain_id(domain),
            keepalive=KeepaliveConfig(
                source=str(me.keepalive.source), destination=str(me.keepalive.destination), vrf=me.keepalive.vrf
            ),
            peer_link=PeerLinkConfig(
                interface=self.lag_name(me.peer_link.port_channel),
                members=sorted(me.peer_link.members),
                vlans=domain.peer_link_vlans(host),
                lacp_mode="active",
                description=me.peer_link.description,
            ),
            local_address=str(me.peer_address) if me.peer_address else None,
            peer_address=str(other.peer_address.ip) if other.peer_address else None,
            mlag_interfaces=[self.interface_config(domain, host, lag) for lag in self.lags(domain, host)],
            vlans=vlan_configs(self.projected_vlans(domain)),
            stp=StpConfig(mode=domain.stp.mode, priority=domain.stp.priority),
            timers=TimersConfig(
                restore_delay=domain.timers.restore_delay,
                non_mlag_restore_delay=domain.timers.non_mlag_restore_delay,
                auto_recovery=domain.timers.auto_recovery,
                auto_recovery_delay=domain.timers.auto_recovery_delay,
            ),
        )

    def interface_config(self, domain: MlagDomain, host: str, lag: LagView) -> MlagInterfaceConfig:
        """Projection of one MLAG interface; platforms extend it."""
        itf = lag.intent
        return MlagInterfaceConfig(
            mlag_id=lag.mlag_id,
            interface=lag.name,
            description=itf.description,
            members=sorted(lag.members),
            lacp_mode=itf.lacp_mode,
            lacp_rate=itf.lacp_rate,
            mode=itf.mode,
            vlans=list(itf.vlans),
            native_vlan=itf.native_vlan,
            mtu=itf.mtu,
            min_links=itf.min_links,
            lacp_fallback=itf.lacp_fallback,
            lacp_fallback_timeout=itf.lacp_fallback_timeout,
        )

    def severity(self, key: str, default: Severity | None = None) -> Severity:
        """The severity of ``key`` on this platform: ``rule-id.attribute`` where one attribute of
        a rule is graded apart, else the rule id; ``default`` (else the rule's registered
        severity) where the platform does not grade it itself."""
        from mlagauto.checks.registry import RULES

        rule_id = key.partition(".")[0]
        found = self.severities.get(key, self.severities.get(rule_id))
        return found or default or RULES[rule_id].severity

    # --- fixes ---------------------------------------------------------------------------
    def fix(self, rule_id: str, default: str = "", **values: Any) -> str:
        """One-line fix for a rule in this platform's syntax, from ``vendors/<platform>/fixes.yaml``
        (``rule-id: "format string with {placeholders}"``); ``default`` where the platform has none.
        A ``vlans`` value given as a list of ids is written in the platform's range syntax."""
        template = _fixes(self.platform).get(rule_id)
        if not template:
            return default
        if isinstance(values.get("vlans"), list):
            sep, dash = self.vlan_list_style
            values["vlans"] = format_vlan_list(values["vlans"], sep=sep, dash=dash)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return default

    # --- parsing -------------------------------------------------------------------------
    def parse_config(self, text: str, hostname: str | None = None) -> PeerConfig:
        """Running configuration -> PeerConfig. Unknown lines are ignored; empty or garbage input
        gives an empty PeerConfig with a warning, never an exception. ``hostname`` is used when
        the text does not name the switch (renders carry no hostname line). The text is first
        freed of what captures add around a configuration (``clean_capture``: BOM, CRLF,
        prompts, pager marks, pasted indentation), so every platform reads saved files alike."""
        try:
            return self._parse_config(clean_capture(text), hostname)
        except Exception as exc:  # noqa: BLE001 - an audit must report unreadable input, not crash
            return PeerConfig(platform=self.platform, hostname=hostname, warnings=[f"unreadable {self.platform} configuration: {type(exc).__name__}: {exc}"], unread=["(the whole configuration)"])

    @abstractmethod
    def _parse_config(self, text: str, hostname: str | None) -> PeerConfig:
        """The platform's parser, given the cleaned text; may raise on input it cannot read."""

    @classmethod
    @abstractmethod
    def detect(cls, text: str) -> int:
        """How strongly ``text`` looks like this platform's running config (0 = not at all)."""

    # --- deploy and validate -------------------------------------------------------------------
    hier_config_platform: ClassVar[str]
    """hier_config ``Platform`` name used to compute removals (``CISCO_NXOS``)."""
    cli_commit: ClassVar[CliCommit | None] = None
    """Commands of the two-stage CLI commit, where the platform is pushed without napalm."""
    state_commands: ClassVar[tuple[str, ...]] = ()
    """Show commands whose output ``parse_state`` reads."""

    vlan_sets: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Lines whose VLAN list is a set the device adds to and removes from VLAN by VLAN (NX-OS
    ``vlan 1,10,20``, Huawei ``port trunk allow-pass vlan 10 20``), as three groups: prefix, list,
    suffix. hier_config compares lines as text and would negate such a line whole (``no vlan
    1,10,20`` deletes the VLANs that stay), so removals see them split into one line per VLAN."""
    owned: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Keys of top-level entries the MLAG surface owns as a family, whether the intent still has
    them or not (every VLAN: the intent lists all of a pair's VLANs)."""
    membership: ClassVar[str | None] = r"channel-group \d+.*"
    """The line of a member port's block that puts it in its LAG: a port leaving a LAG loses it
    before anything else, so no setting of the port is ever changed while it is still bundled."""
    idempotent_lines: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """hier_config idempotency on top of its platform driver, one regex per lineage level: a new
    value replaces the old one on the device, so the old one needs no negation (EOS ``switchport
    trunk allowed vlan``; a password the device prints ciphered)."""

    negate_with: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(regex, command): lines the platform takes back with a fixed command rather than the
    negation prefix and the line (VRP ``undo stp mode``, not ``undo stp mode rstp``)."""

    def hier_config_driver(self) -> HConfigDriverBase:
        """A new hier_config driver for the platform with ``idempotent_lines`` and ``negate_with``
        added (new, so a change may add its own rules)."""
        from hier_config import Platform, get_hconfig_driver
        from hier_config.models import IdempotentCommandsRule, MatchRule, NegationDefaultWithRule

        driver = get_hconfig_driver(Platform[self.hier_config_platform])
        driver.rules.idempotent_commands.extend(
            IdempotentCommandsRule(match_rules=tuple(MatchRule(re_search=r) for r in rule)) for rule in self.idempotent_lines
        )
        driver.rules.negate_with.extend(NegationDefaultWithRule(match_rules=(MatchRule(re_search=r),), use=use) for r, use in self.negate_with)
        return driver

    def entries(self, text: str) -> list[tuple[str, str]]:
        """A configuration as (key, text) per top-level entry, ``vlan_sets`` lines split into one
        line per VLAN; the key (the block's header) says what the entry configures."""
        root = Node("")
        _merge_children(root, parse_indented(text).children, self._split_vlan_set)
        return [(node.text, "\n".join(_indented(node, 0))) for node in root.children]

    def expand(self, text: str) -> str:
        """``text`` with every ``vlan_sets`` line split into one line per VLAN."""
        return "\n".join(entry for _, entry in self.entries(text))

    def interface_entry(self, name: str) -> str:
        """An interface entry with nothing configured (what a port left out of the intent is
        brought back to)."""
        return f"interface {name}"

    def collapse(self, removals: list[str], have: list[str], wanted: list[str]) -> list[str]:
        """Hook: removals (sibling lines) rewritten where the platform needs fewer, wider ones,
        knowing the running surface's entries (``have``) and the intended ones (``wanted``)."""
        return removals

    def fold(self, texts: list[str]) -> list[str]:
        """Sibling lines of one ``vlan_sets`` family joined back into one line, where the first of
        them stood (``no vlan 40`` and ``no vlan 50`` -> ``no vlan 40,50``)."""
        sep, dash = self.vlan_list_style
        out: list[str | tuple[str, str, str]] = []
        groups: dict[tuple[str, str, str], list[int]] = {}
        for text in texts:
            split = self._vlan_set_parts(text)
            if split is None:
                out.append(text)
                continue
            negation, prefix, vids, suffix = split
            key = (negation, prefix, suffix)
            if key not in groups:
                groups[key] = []
                out.append(key)
            groups[key].extend(vids)
        return [item if isinstance(item, str) else _joined(item, format_vlan_list(groups[item], sep=sep, dash=dash)) for item in out]

    def _vlan_set_parts(self, text: str) -> tuple[str, str, list[int], str] | None:
        """A ``vlan_sets`` line as (negation, prefix, VLANs, suffix), else None."""
        negation = _negation_prefix(self.hier_config_platform)
        body = text.removeprefix(negation)
        for pattern in self.vlan_sets:
            m = pattern.fullmatch(body)
            if m:
                try:
                    return text[: len(text) - len(body)], m.group(1), parse_vlan_list(m.group(2)), m.group(3)
                except ValueError:
                    return None
        return None

    def _split_vlan_set(self, text: str) -> list[str]:
        """One text per VLAN of a ``vlan_sets`` line (its negation kept), else ``[text]``."""
        parts = self._vlan_set_parts(text)
        if parts is None:
            return [text]
        negation, prefix, vids, suffix = parts
        return [f"{negation}{prefix}{vid}{suffix}" for vid in vids]

    def change_loads(self, removals: str, render: str) -> list[str]:
        """The texts to stage for a change, in order; one merge where the platform takes both."""
        return [f"{removals}\n{render}" if removals else render]

    def predict(self, running: str, removals: str, render: str) -> str | None:
        """The running config once ``removals`` and ``render`` are merged in, computed offline with
        hier_config on the texts with their VLAN sets split (``no vlan 40`` takes VLAN 40 out of
        ``vlan 1,10,40``); None where this platform cannot be predicted. The removals are read
        through hier_config first, which drops their ``exit`` lines: merged into the render's
        blocks of the same name they would no longer close a block, and the prediction is printed
        without them (a parser would take ``quit`` for a setting it does not know)."""
        from hier_config import get_hconfig

        driver = self.hier_config_driver()
        change = self.expand("\n".join([*get_hconfig(driver, removals).dump_simple(), render]))
        future = get_hconfig(driver, self.expand(running)).future(get_hconfig(driver, change))
        return "\n".join(future.dump_simple())

    def parse_state(self, outputs: dict[str, str], hostname: str | None = None) -> PeerState:
        """Show outputs (by command, from ``state_commands``) -> PeerState. Unreadable output gives
        a PeerState with a warning, never an exception."""
        raise NotImplementedError(f"{self.platform}: live state parsing is not available")


@lru_cache(maxsize=8)
def _negation_prefix(platform: str) -> str:
    """The platform's negation (``no ``, ``undo ``) as hier_config writes it."""
    from hier_config import Platform, get_hconfig_driver

    return get_hconfig_driver(Platform[platform]).negation_prefix


def _joined(parts: tuple[str, str, str], vlans: str) -> str:
    """A VLAN-set line from its (negation, prefix, suffix) and its VLAN list."""
    negation, prefix, suffix = parts
    return f"{negation}{prefix}{vlans}{suffix}"


def _merge_children(parent: Node, nodes: list[Node], split: Callable[[str], list[str]]) -> None:
    """Add copies of ``nodes`` below ``parent``, each text through ``split`` (one or more texts),
    merging entries that end up with the same text: hier_config refuses duplicate siblings."""
    index = {child.text: child for child in parent.children}
    for node in nodes:
        for text in split(node.text):
            target = index.get(text)
            if target is None:
                target = index[text] = Node(text)
                parent.children.append(target)
            _merge_children(target, node.children, split)


def _indented(node: Node, depth: int) -> list[str]:
    """Lines of ``node`` and its children, one space per level (hier_config reads any indent)."""
    lines = [" " * depth + node.text]
    for child in node.children:
        lines.extend(_indented(child, depth + 1))
    return lines
