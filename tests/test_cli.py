"""The command line: exit codes, output formats, help, configuration errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from edition import __version__
from edition.cli import main
from edition.config import ConfigError, load_config

from .conftest import FIXTURES, ROOT


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "edition", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "validate" in out and "schema" in out
    assert main(["validate", "--help"]) == 0


def test_usage_error_exits_2(capsys):
    assert main(["frobnicate"]) == 2
    assert main([]) == 2
    assert main(["validate", "--format", "yaml"]) == 2


def test_validate_whole_edition_is_clean():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_findings_exit_1_with_path_line_col(in_root, capsys):
    status = main(["validate", str(FIXTURES / "rules" / "ref-unresolved.xml")])
    out = capsys.readouterr().out
    assert status == 1
    first = out.splitlines()[0]
    path, line, col, rest = first.split(":", 3)
    assert path.endswith("ref-unresolved.xml") and int(line) == 40 and int(col) > 1
    assert rest.startswith(" error[E-REF]: ")
    assert "hint: did you mean" in out


def test_json_format_gives_the_same_findings(in_root, capsys):
    target = str(FIXTURES / "rules" / "note-sequence.xml")
    main(["validate", target])
    text = capsys.readouterr().out
    assert main(["validate", "--format", "json", target]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in data] == ["E-NOTE-SEQ"]
    assert f"{data[0]['path']}:{data[0]['line']}:{data[0]['col']}: error[E-NOTE-SEQ]" in text
    assert set(data[0]) == {"path", "line", "col", "severity", "code", "message", "hint"}


def test_quiet_prints_findings_only(in_root, capsys):
    assert main(["validate", "-q"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_parallel_and_serial_agree(edition_files, monkeypatch):
    from edition import validation

    files = sorted((FIXTURES / "rules").glob("*.xml"))
    serial = validation.validate_files(files, edition=edition_files, jobs=1)
    monkeypatch.setattr(validation, "PARALLEL_THRESHOLD", 1)
    parallel = validation.validate_files(files, edition=edition_files, jobs=2)
    assert len(serial) > len(files)
    assert serial == parallel


CONFIG_CASES = {
    "unknown key": ("title: T\ndocuments: [a.xml]\ntitel: x\n", 3, "unknown key 'titel'",
                    "did you mean 'title'"),
    "wrong type": ("title: T\ndocuments: a.xml\n", 2, "'documents' must be a list of texts", ""),
    "nested unknown": ("title: T\ndocuments: []\nformats:\n  pdf:\n    page_sise: A4\n", 5,
                       "unknown key 'formats.pdf.page_sise'", "page_size"),
    "bad enum": ("title: T\ndocuments: []\nformats:\n  pdf:\n    page_size: A5\n", 5,
                 "'formats.pdf.page_size' is 'A5'", ""),
    "bad bool": ("title: T\ndocuments: []\nformats:\n  html:\n    enabled: maybe\n", 5,
                 "must be true or false", ""),
    "number for text": ("title: 1958\ndocuments: []\n", 1, "'title' must be text", "quotes"),
    "missing title": ("documents: []\n", 1, "required key 'title' is missing", ""),
    "not yaml": ("title: [unclosed\n", 2, "not valid YAML", ""),
    "empty": ("", 1, "configuration is empty", ""),
}


@pytest.mark.parametrize("case", CONFIG_CASES)
def test_configuration_errors_name_key_and_line(case, tmp_path, capsys, monkeypatch):
    text, line, message, hint = CONFIG_CASES[case]
    path = tmp_path / "edition.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    [d] = [d for d in info.value.diagnostics if message in d.message]
    assert d.line == line and d.code == "E-CONFIG"
    assert hint in d.hint
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert f"edition.yaml:{line}:" in err and "Traceback" not in err


def test_missing_configuration_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    assert "configuration file not found" in capsys.readouterr().err


def test_configuration_of_the_sample_edition():
    config = load_config(ROOT / "edition.yaml")
    assert config.documents[0] == "kh-mao-1958.xml"
    assert all(p.exists() for p in config.edition_files())
    assert config.formats["pdf"]["page_size"] == "A4"


def test_build_command(tmp_path, capsys):
    config = tmp_path / "edition.yaml"
    text = (ROOT / "edition.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace("sources: xml", f"sources: {ROOT / 'xml'}")
                      .replace("output: output", f"output: {tmp_path / 'out'}"), encoding="utf-8")
    assert main(["build", "--format", "epub3", "--config", str(config)]) == 2
    assert "no builder for format" in capsys.readouterr().err
    assert main(["build", "--format", "html", "--config", str(config), "-j", "1"]) == 0
    assert "html: " in capsys.readouterr().err
    assert (tmp_path / "out" / "html" / "index.html").exists()
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI")
    assert main(["build", "--format", "html", "--config", str(config), str(bad)]) == 1
    captured = capsys.readouterr()
    assert "error[E-XML]" in captured.out and "previous output" in captured.err
    assert (tmp_path / "out" / "html" / "index.html").exists()
