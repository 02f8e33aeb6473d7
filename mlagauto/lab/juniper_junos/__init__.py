"""Juniper Junos (QFX, ELS) with MC-LAG for the lab: the SSH CLI netmiko ``juniper_junos``
drives and NETCONF over SSH for napalm ``junos`` (PyEZ), on one shared candidate database with
commit, ``commit confirmed`` and rollback history.

Modules: ``statements`` (the configuration store and its curly / ``set`` / ``compare``
renderings), ``mclag`` (the pair's MC-LAG state from both configurations), ``show``
(operational output formats), ``operational`` (command parsing and ``show`` commands), ``cli``,
``netconf`` and ``device`` (``JunosDevice``).
"""

from mlagauto.lab.juniper_junos.device import JunosDevice

__all__ = ["JunosDevice"]
