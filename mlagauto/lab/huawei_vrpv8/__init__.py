"""Huawei CloudEngine VRP V8 for the lab: the SSH CLI netmiko ``huawei_vrpv8`` drives (user and
system views, two-stage commit, rollback points, ``save``) and the M-LAG views
(``display dfs-group``, ``display eth-trunk``) computed from both switches' running configs.

Modules: ``config`` (the configuration tree, views and VRP rendering), ``cli`` (one session),
``display`` (the display commands), ``mlag`` (pair state and its outputs), ``device`` (the switch).
"""

from mlagauto.lab.huawei_vrpv8.device import VrpDevice

__all__ = ["VrpDevice"]
