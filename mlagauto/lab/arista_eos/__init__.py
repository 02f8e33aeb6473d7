"""Simulated Arista EOS switch: SSH CLI (netmiko ``arista_eos``) and eAPI over HTTP (napalm
``eos``), configure sessions with commit timers, ``configure replace``, and MLAG state computed
from the pair's two running configs (``show mlag [detail|interfaces|config-sanity]``,
``show lacp peer|interface``, text and JSON)."""

from mlagauto.lab.arista_eos.device import EosDevice

__all__ = ["EosDevice"]
