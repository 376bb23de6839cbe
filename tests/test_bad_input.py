"""Bad input: one readable finding with its location, exit 1, no traceback, no leak."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from edition.cli import main

TEI = b'<TEI xmlns="http://www.tei-c.org/ns/1.0">'
SECRET = "/etc/hostname"

CASES = {
    "malformed": (b'<?xml version="1.0"?>\n' + TEI + b"\n<teiHeader>\n<p>unclosed</teiHeader></TEI>\n",
                  "E-XML", 4),
    "wrong-namespace": (b'<TEI xmlns="http://www.tei-c.org/ns/2.0">\n<text/></TEI>', "E-NAMESPACE", 1),
    "no-namespace": (b"<?xml version='1.0'?>\n\n<TEI><text/></TEI>", "E-NAMESPACE", 3),
    "not-utf8": (TEI + b"\n<text><body><p>Caf\xe9</p></body></text></TEI>", "E-ENCODING", 2),
    "empty": (b"", "E-EMPTY", 1),
    "whitespace-only": (b"  \n\n", "E-EMPTY", 1),
    "external-entity": (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY secret SYSTEM "file://' + SECRET.encode()
        + b'">]>\n' + TEI + b"<text><body><p>&secret;</p></body></text></TEI>", "E-DOCTYPE", 2),
    "billion-laughs": (
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [\n<!ENTITY a "aaaaaaaaaa">\n'
        + b"".join(b'<!ENTITY %s "%s">\n' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                   for i in range(9))
        + b"]>\n" + TEI + b"<text><body><p>&j;</p></body></text></TEI>", "E-DOCTYPE", 2),
    "undefined-entity": (TEI + b"\n<text><body><p>&nbsp;</p></body></text></TEI>", "E-XML", 2),
    "parameter-entity-network": (
        b'<!DOCTYPE TEI [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
        + TEI + b"<text/></TEI>", "E-DOCTYPE", 1),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_file_gives_one_located_finding(name, tmp_path, capsys):
    data, code, line = CASES[name]
    path = tmp_path / f"{name}.xml"
    path.write_bytes(data)
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert status == 1
    findings = [row for row in out.splitlines() if ": error[" in row]
    assert len(findings) == 1, out
    assert f":{line}:" in findings[0] and f"error[{code}]" in findings[0], findings[0]
    assert "Traceback" not in out + err


def test_external_entity_is_never_read(tmp_path):
    data, _, _ = CASES["external-entity"]
    path = tmp_path / "xxe.xml"
    path.write_bytes(data)
    result = subprocess.run([sys.executable, "-m", "edition", "validate", "--format", "json", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    secret = Path(SECRET).read_text().strip()
    assert secret not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path, capsys):
    status = main(["validate", str(tmp_path / "nowhere.xml")])
    out = capsys.readouterr().out
    assert status == 1
    assert "error[E-MISSING]" in out


def test_bad_files_do_not_stop_the_others(tmp_path, capsys):
    (tmp_path / "a.xml").write_bytes(b"")
    (tmp_path / "b.xml").write_bytes(b"<TEI>")
    status = main(["validate", str(tmp_path / "a.xml"), str(tmp_path / "b.xml")])
    out = capsys.readouterr().out
    assert status == 1
    assert "a.xml:1:1: error[E-EMPTY]" in out and "b.xml:1:" in out


def test_saxon_refuses_external_entities_too(tmp_path):
    from edition.xslt import SaxonError, parse

    path = tmp_path / "xxe.xml"
    path.write_bytes(CASES["external-entity"][0])
    with pytest.raises(SaxonError) as info:
        parse(path.read_text())
    assert "DOCTYPE" in str(info.value)
    secret = Path(SECRET).read_text().strip()
    assert secret not in str(info.value)
