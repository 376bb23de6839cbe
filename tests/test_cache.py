"""The build cache's memory of files: a file's digest is known again without reading it only while
the file is as it was, and a memo keeps only what the last build used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edition import cache
from edition.cache import FileDigests, Memo, digest


def _age(path: Path) -> None:
    """As if the file had been written long ago (its change time stays now: see RACY_NS)."""
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def test_a_file_changed_within_the_same_instant_is_not_remembered(tmp_path):
    source = tmp_path / "a.xml"
    source.write_bytes(b"<TEI/>")
    digests = FileDigests(tmp_path / "out")
    assert digests.of(source) == digest(b"<TEI/>")
    assert digests.memo.lines == {}  # written just now: may change again within the clock's tick


def test_a_remembered_file_is_not_read_again_until_it_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "RACY_NS", -1)  # every change old enough to be trusted
    source = tmp_path / "a.xml"
    source.write_bytes(b"<TEI>one</TEI>")
    _age(source)
    digests = FileDigests(tmp_path / "out")
    digests.of(source)
    digests.save()

    later = FileDigests(tmp_path / "out")  # the next build, reading what this one kept
    read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == source:
            raise AssertionError("an unchanged file was read again")
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert later.of(source) == digest(b"<TEI>one</TEI>")
    monkeypatch.setattr(Path, "read_bytes", read)

    source.write_bytes(b"<TEI>two</TEI>")  # the same size: the times and inode tell
    _age(source)
    assert later.of(source) == digest(b"<TEI>two</TEI>")
    replaced = tmp_path / "b.xml"
    replaced.write_bytes(b"<TEI>six</TEI>")
    _age(replaced)
    os.replace(replaced, source)  # another file put in its place, with the same size and times
    assert later.of(source) == digest(b"<TEI>six</TEI>")


def test_a_file_that_cannot_be_read_has_no_digest(tmp_path):
    assert FileDigests(tmp_path / "out").of(tmp_path / "missing.xml") is None


def test_a_memo_keeps_what_the_last_build_used(tmp_path):
    first = Memo(tmp_path, "facts")
    first.put("a", {"title": "A"})
    first.put("b", ["x", "y"])
    first.save()
    second = Memo(tmp_path, "facts")
    assert second.get("a") == {"title": "A"}
    second.save()
    kept = Memo(tmp_path, "facts")
    assert (kept.get("a"), kept.get("b")) == ({"title": "A"}, None)


@pytest.mark.parametrize("stored", [b"", b"not json", b"[1, 2]", b'"a"\t{"title": ', b'"a\t{}\n'])
def test_a_damaged_memo_is_an_empty_one(tmp_path, stored):
    path = tmp_path / cache.CACHE_DIR / "facts.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(stored)
    memo = Memo(tmp_path, "facts")
    assert memo.get("a") is None
    memo.put("a", {"title": "A"})
    memo.save()
    assert Memo(tmp_path, "facts").get("a") == {"title": "A"}


def test_a_memo_keeps_keys_and_values_of_any_text(tmp_path):
    memo = Memo(tmp_path, "facts")
    memo.put("a\tb\nc", {"text": "line\nbreak\ttab \u2028 Việt"})
    memo.save()
    assert Memo(tmp_path, "facts").get("a\tb\nc") == {"text": "line\nbreak\ttab \u2028 Việt"}


def test_processes_sharing_the_file_digests_keep_what_each_learnt(tmp_path, monkeypatch):
    """A build and the check beside it each learn some files' digests and save them, in either
    order: neither forgets what the other saved."""
    monkeypatch.setattr(cache, "RACY_NS", -1)
    one, other = tmp_path / "one.xml", tmp_path / "other.xml"
    one.write_text("<one/>")
    other.write_text("<other/>")
    build, check = FileDigests(tmp_path / "output"), FileDigests(tmp_path / "output")
    assert build.of(one) == digest(b"<one/>") and check.of(other) == digest(b"<other/>")
    check.save()
    build.save()
    later = FileDigests(tmp_path / "output")
    assert later.remembers(one) and later.remembers(other)
    assert not later.remembers(tmp_path / "missing.xml")
