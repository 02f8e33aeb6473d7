"""Nornir tasks for MLAG, for ``nr.run(...)`` in a playbook of your own.

    from nornir import InitNornir
    from nornir_utils.plugins.functions import print_result   # or your own printing
    from mlagauto.inventory import fabric_from_nornir
    from mlagauto.nornir import prepare_hosts, diff_mlag, deploy_mlag, validate_mlag

    nr = InitNornir(config_file="config.yaml")
    fabric = fabric_from_nornir(nr)
    prepare_hosts(nr)
    print_result(nr.run(task=diff_mlag, fabric=fabric))

Every task returns a ``Result``; the pair-aware rolling deploy with rollback is ``mlagauto.deploy``.
"""

from mlagauto.nornir.setup import init_nornir, prepare_hosts
from mlagauto.nornir.tasks import deploy_mlag, diff_mlag, get_running_config, render_mlag, validate_mlag

__all__ = ["deploy_mlag", "diff_mlag", "get_running_config", "init_nornir", "prepare_hosts", "render_mlag", "validate_mlag"]
