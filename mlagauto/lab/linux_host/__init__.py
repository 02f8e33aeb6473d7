"""Simulated dual-homed servers: an SSH login (netmiko ``linux``) whose bonds answer
``cat /proc/net/bonding/<bond>`` and ``ip -d -j link show`` in the kernel's format, their state
computed from the bond's settings in the inventory and the lab pair's current configs."""

from mlagauto.lab.linux_host.device import LinuxHostDevice

__all__ = ["LinuxHostDevice"]
