"""mlagauto.lab: simulated MLAG switches speaking the real protocols (SSH CLI, eAPI, NETCONF) on
loopback, so the real netmiko and napalm drivers can be tested against them.

Each platform dialect lives in its own module (``cisco_nxos``, ``arista_eos``, ``juniper_junos``,
``huawei_vrpv8``) and computes its pair's MLAG state with its own simple rules from the two running
configs; it reuses only ``mlagauto.configtree``, never the drivers' parsers or the checks, so the
end-to-end tests compare two independent readings of the same configs.
"""

from mlagauto.lab.device import Faults, SimDevice
from mlagauto.lab.lab import Lab, lab_credentials

__all__ = ["Faults", "Lab", "SimDevice", "lab_credentials"]
