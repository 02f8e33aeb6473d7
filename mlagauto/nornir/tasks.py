"""The MLAG tasks. Each runs on one host and returns a Nornir ``Result``."""

from __future__ import annotations

from pathlib import Path
from nornir.core.task import Result, Task

from mlagauto.changes import plan_change
from mlagauto.drivers import get_driver
from mlagauto.model.intent import Fabric
from mlagauto.transport import netmiko_show, open_session


def render_mlag(task: Task, fabric: Fabric, variant: str | None = None, template_dir: str | Path | None = None) -> Result:
    """The intended MLAG configuration of the host."""
    domain = fabric.domain_of(task.host.name)
    text = get_driver(domain.platform, template_dir).render(domain, task.host.name, variant)
    return Result(host=task.host, result=text)


def get_running_config(task: Task) -> Result:
    """The running configuration, as the switch prints it."""
    driver = get_driver(task.host.platform)
    return Result(host=task.host, result=open_session(task.host, task.nornir.config, driver).get_running())


def diff_mlag(task: Task, fabric: Fabric) -> Result:
    """What a deploy would change on the host (intent against running), computed by the device
    where it can (napalm compare, the V8 candidate diff) and discarded afterwards."""
    domain = fabric.domain_of(task.host.name)
    driver = get_driver(domain.platform)
    session = open_session(task.host, task.nornir.config, driver)
    change = plan_change(driver, domain, task.host.name, session.get_running())
    for text in change.loads(driver):
        session.stage(text)
    try:
        diff = session.diff()
    finally:
        session.discard()
    return Result(host=task.host, result=diff, diff=diff, changed=bool(diff))


def deploy_mlag(task: Task, fabric: Fabric, dry_run: bool = False, backup_dir: str | Path | None = None) -> Result:
    """Deploy the intent to one host: save the running config, stage, diff, commit. This is the
    single-host building block; ``mlagauto.deploy`` adds the pair order, validation and rollback."""
    domain = fabric.domain_of(task.host.name)
    driver = get_driver(domain.platform)
    session = open_session(task.host, task.nornir.config, driver)
    running = session.get_running()
    if backup_dir is not None:
        Path(backup_dir).mkdir(parents=True, exist_ok=True)
        (Path(backup_dir) / f"{task.host.name}.cfg").write_text(running, encoding="utf-8")
    change = plan_change(driver, domain, task.host.name, running)
    for text in change.loads(driver):
        session.stage(text)
    diff = session.diff()
    if dry_run or not diff:
        session.discard()
        return Result(host=task.host, result=diff, diff=diff, changed=False)
    session.commit()
    return Result(host=task.host, result=diff, diff=diff, changed=True)


def validate_mlag(task: Task) -> Result:
    """The host's live MLAG state (a PeerState) from its show commands; compare two with
    ``mlagauto.checks.validate_pair``."""
    driver = get_driver(task.host.platform)
    outputs = netmiko_show(task.host, task.nornir.config, list(driver.state_commands))
    state = driver.parse_state(outputs, hostname=task.host.name)
    return Result(host=task.host, result=state, failed=False)
