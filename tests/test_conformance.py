"""The conformance suite every driver must pass: golden files, render -> parse round trip in
every variant, garbage input, platform detection. Adding a platform means adding it here, not
writing a new suite."""

from __future__ import annotations

import pytest

from mlagauto.drivers import detect_platform, get_driver
from tests.conftest import GOLDEN


def _hosts(fabric, platform):
    return [h for d in fabric.domains if d.platform == platform for h in d.hostnames]


def test_example_has_a_pair_per_platform(example_fabric, platform):
    assert len(_hosts(example_fabric, platform)) == 2


def test_render_matches_golden_byte_for_byte(example_fabric, platform):
    for host in _hosts(example_fabric, platform):
        domain = example_fabric.domain_of(host)
        rendered = get_driver(platform).render(domain, host)
        golden = (GOLDEN / f"{host}.cfg").read_bytes()
        assert rendered.encode() == golden, f"{host}: render differs from golden_configs/{host}.cfg"


def test_golden_parses_back_to_the_intent(example_fabric, platform):
    driver = get_driver(platform)
    for host in _hosts(example_fabric, platform):
        domain = example_fabric.domain_of(host)
        parsed = driver.parse_config((GOLDEN / f"{host}.cfg").read_text(), hostname=host)
        assert parsed.warnings == []
        assert parsed == driver.peer_config(domain, host)


def test_every_variant_round_trips(example_fabric, platform):
    driver = get_driver(platform)
    for host in _hosts(example_fabric, platform):
        domain = example_fabric.domain_of(host)
        for variant in driver.variants:
            text = driver.render(domain, host, variant)
            assert driver.parse_config(text, hostname=host) == driver.peer_config(domain, host), variant


def test_unknown_variant_is_refused(example_fabric, platform):
    host = _hosts(example_fabric, platform)[0]
    with pytest.raises(ValueError, match="no render variant"):
        get_driver(platform).render(example_fabric.domain_of(host), host, "no-such-variant")


def test_detects_its_own_render(example_fabric, platform):
    driver = get_driver(platform)
    for host in _hosts(example_fabric, platform):
        domain = example_fabric.domain_of(host)
        for variant in driver.variants:
            assert detect_platform(driver.render(domain, host, variant)) == platform


@pytest.mark.parametrize("garbage", ["", "\n\n", "\x00\x01\x02\xff", "}}}{{{ ;;; [ ]", "interface\n  \n\tfoo {", "set", "#\n#\nreturn\n"])
def test_garbage_gives_an_empty_config_and_a_warning(platform, garbage):
    parsed = get_driver(platform).parse_config(garbage)
    assert parsed.platform == platform
    assert parsed.is_empty()
    assert parsed.warnings, "an input with nothing MLAG in it must say so"
