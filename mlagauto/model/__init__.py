"""The vendor-neutral model: intent, PeerConfig and Finding."""

from mlagauto.model.finding import Finding, Severity
from mlagauto.model.intent import (
    PLATFORMS,
    Authentication,
    Fabric,
    Keepalive,
    MlagDomain,
    MlagInterface,
    MlagPeer,
    PeerLink,
    Stp,
    SystemIdentity,
    Timers,
    Vlan,
)
from mlagauto.model.peer_config import (
    KeepaliveConfig,
    MlagInterfaceConfig,
    PeerConfig,
    PeerLinkConfig,
    StpConfig,
    TimersConfig,
    VlanConfig,
)
from mlagauto.model.problems import IntentError, Problem

__all__ = [
    "PLATFORMS",
    "Authentication",
    "Fabric",
    "Finding",
    "IntentError",
    "Keepalive",
    "KeepaliveConfig",
    "MlagDomain",
    "MlagInterface",
    "MlagInterfaceConfig",
    "MlagPeer",
    "PeerConfig",
    "PeerLink",
    "PeerLinkConfig",
    "Problem",
    "Severity",
    "Stp",
    "StpConfig",
    "SystemIdentity",
    "Timers",
    "TimersConfig",
    "Vlan",
    "VlanConfig",
]
