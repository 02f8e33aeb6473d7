"""The deploy journal and the pair locks, on disk only (no devices)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from mlagauto.journal import (
    BACKUP,
    COMMITTED,
    DONE,
    JOURNAL,
    Journal,
    JournalError,
    PairLock,
    PairLocked,
    new_run,
    newest_unfinished_run,
    pair_records,
    read_journal,
    unfinished,
    write_durably,
)
from mlagauto.transport import commit_index


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_entries_are_durable_lines_with_the_recovery_facts(tmp_path):
    run, directory = new_run(tmp_path)
    journal = Journal(directory, run)
    journal.record("eos_pair", "eos-1b", BACKUP, backup=str(directory / "eos-1b.cfg"))
    journal.record("eos_pair", "eos-1b", COMMITTED, handle="mlagauto-x-1a2b3c", diff_sha="abc")
    journal.close()
    lines = (directory / JOURNAL).read_text().splitlines()
    assert [json.loads(line)["phase"] for line in lines] == [BACKUP, COMMITTED]
    record = pair_records(directory)["eos_pair"]
    host = record.hosts["eos-1b"]
    assert (record.run, host.backup, host.handle, host.diff_sha, host.committed) == (run, str(directory / "eos-1b.cfg"), "mlagauto-x-1a2b3c", "abc", True)
    assert not record.finished


def test_a_torn_last_line_is_dropped_but_a_torn_middle_line_is_an_error(tmp_path):
    path = tmp_path / JOURNAL
    good = json.dumps({"run": "r", "pair": "p", "host": "h", "phase": BACKUP})
    path.write_text(good + "\n" + '{"run": "r", "pa')
    assert [e["phase"] for e in read_journal(path)] == [BACKUP]
    path.write_text(good + "\n{broken\n" + good + "\n")
    with pytest.raises(JournalError, match=rf"{JOURNAL}:2"):
        read_journal(path)


def test_unfinished_finds_the_newest_run_per_pair(tmp_path):
    for run, pairs in (("20240101T000000Z", {"a": False, "b": True}), ("20240102T000000Z", {"a": True, "c": False})):
        (tmp_path / run).mkdir()
        journal = Journal(tmp_path / run, run)
        for pair, finished in pairs.items():
            journal.record(pair, "h1", BACKUP)
            if finished:
                journal.record(pair, None, DONE)
        journal.close()
    found = unfinished(tmp_path, ["a", "b", "c"])
    assert {p: r.run for p, r in found.items()} == {"a": "20240101T000000Z", "c": "20240102T000000Z"}
    assert newest_unfinished_run(tmp_path) == "20240102T000000Z"
    assert unfinished(tmp_path / "missing", ["a"]) == {}


def test_runs_started_in_the_same_second_get_their_own_directory(tmp_path):
    first, second = new_run(tmp_path), new_run(tmp_path)
    assert first[0] != second[0] and first[1].is_dir() and second[1].is_dir()


def test_write_durably_replaces_whole(tmp_path):
    target = tmp_path / "h.cfg"
    write_durably(target, "one\n")
    write_durably(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["h.cfg"]


def test_a_held_lock_is_refused_naming_the_holder(tmp_path):
    first = PairLock(tmp_path, "eos_pair", "run-1")
    first.acquire()
    holder = json.loads(first.path.read_text())
    assert holder["pid"] == os.getpid() and holder["hostname"] == socket.gethostname() and holder["run"] == "run-1"
    with pytest.raises(PairLocked, match=rf"eos_pair: another deploy holds the pair: pid {os.getpid()} on {socket.gethostname()} \(run run-1"):
        PairLock(tmp_path, "eos_pair", "run-2").acquire()
    first.release()
    assert not first.path.exists()
    again = PairLock(tmp_path, "eos_pair", "run-2")
    again.acquire()
    again.release()


def test_a_stale_lock_is_taken_over_but_not_one_from_another_machine(tmp_path):
    lock = PairLock(tmp_path, "nxos_pair", "run-new")
    lock.path.parent.mkdir(parents=True)
    lock.path.write_text(json.dumps({"pid": _dead_pid(), "hostname": socket.gethostname(), "run": "run-dead", "started": 0}))
    lock.acquire()
    assert json.loads(lock.path.read_text())["run"] == "run-new"
    lock.release()
    lock.path.write_text(json.dumps({"pid": _dead_pid(), "hostname": "elsewhere.example", "run": "run-far", "started": 0}))
    with pytest.raises(PairLocked, match="on elsewhere.example"):
        PairLock(tmp_path, "nxos_pair", "run-new").acquire()


def test_junos_commit_history_gives_the_rollback_number_of_our_comment():
    history = (
        "0   2024-05-01 10:00:09 UTC by netops via netconf\n"
        "    mlagauto-run-2 rollback\n"
        "1   2024-05-01 10:00:05 UTC by netops via netconf commit confirmed, rollback in 10mins\n"
        "    mlagauto-run-2\n"
        "2   2024-05-01 09:00:00 UTC by root via other\n"
    )
    assert commit_index(history, "mlagauto-run-2") == 1
    assert commit_index(history, "mlagauto-run-3") is None


def test_latest_points_at_the_newest_run_and_is_replaced_atomically(tmp_path, monkeypatch):
    """``backups/latest`` is a relative symlink to the newest run; moving it goes through a
    temporary link renamed over it, so a reader never finds it missing."""
    from mlagauto import journal as journal_module

    first, first_dir = new_run(tmp_path)
    latest = tmp_path / "latest"
    assert latest.is_symlink() and os.readlink(latest) == first
    assert latest.resolve() == first_dir.resolve()
    seen_during_replace: list[str] = []
    real_replace = os.replace

    def watching_replace(src, dst):
        if os.fspath(dst) == os.fspath(latest):
            seen_during_replace.append(os.readlink(latest))
            assert os.path.islink(src) and os.readlink(src) != first
        return real_replace(src, dst)

    monkeypatch.setattr(journal_module.os, "replace", watching_replace)
    second, second_dir = new_run(tmp_path)
    assert seen_during_replace == [first]
    assert os.readlink(latest) == second and latest.resolve() == second_dir.resolve()
    (second_dir / "nx-1a.cfg").write_text("hostname nx-1a\n")
    assert (latest / "nx-1a.cfg").read_text() == "hostname nx-1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first, second, "latest"])


def test_latest_is_never_taken_for_a_run(tmp_path):
    run, directory = new_run(tmp_path)
    journal = Journal(directory, run)
    journal.record("eos_pair", "eos-1b", BACKUP)
    journal.close()
    assert (tmp_path / "latest" / JOURNAL).is_file()
    assert newest_unfinished_run(tmp_path) == run
    assert unfinished(tmp_path, ["eos_pair"])["eos_pair"].directory == directory


def test_without_symlinks_the_run_starts_and_latest_is_skipped(tmp_path, monkeypatch):
    from mlagauto import journal as journal_module

    def no_symlinks(*_args, **_kwargs):
        raise OSError("symbolic links are not supported here")

    monkeypatch.setattr(journal_module.os, "symlink", no_symlinks)
    run, directory = new_run(tmp_path)
    assert directory.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == [run]


def test_a_latest_that_is_not_a_link_is_left_alone(tmp_path):
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "mine.txt").write_text("kept\n")
    run, _ = new_run(tmp_path)
    assert not (tmp_path / "latest").is_symlink()
    assert (tmp_path / "latest" / "mine.txt").read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([run, "latest"])
