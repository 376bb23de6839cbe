"""``edition.yaml``: the edition's settings, typed, with located errors.

The file is read with PyYAML's safe loader. Its node tree is kept so that an
unknown key or a value of the wrong type is reported at its own line, like
any other finding (``edition.yaml:12:3: error[E-CONFIG]: ...``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import ERROR, Diagnostic

CONFIG_NAME = "edition.yaml"
PAGE_SIZES = ("A4", "letter", "6x9in")


class ConfigError(Exception):
    """A configuration that cannot be used; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


# The shape of edition.yaml: key -> type, or a nested dict for a mapping.
# A tuple of strings is an enumeration; [type] a list of that type.
SPEC: dict[str, Any] = {
    "title": str,
    "subtitle": str,
    "editors": [str],
    "publisher": str,
    "licence": str,
    "base_url": str,
    "language": str,
    "sources": str,
    "output": str,
    "front": str,
    "bibliography": str,
    "registers": {"persons": str, "places": str, "organisations": str},
    "documents": [str],
    "formats": {
        "html": {"enabled": bool},
        "pdf": {
            "enabled": bool,
            "page_size": PAGE_SIZES,
            "per_document": bool,
            "variant": ("standard", "pdfa-3b", "pdfua-1"),
        },
        "epub": {"enabled": bool, "filename": str},
    },
}
REQUIRED = ("title", "documents")


@dataclass
class Config:
    """Settings with defaults; paths are absolute."""

    root: Path
    title: str
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    publisher: str = ""
    licence: str = ""
    base_url: str = ""
    language: str = "en"
    sources: Path = Path("xml")
    output: Path = Path("output")
    front: str | None = None
    bibliography: str | None = None
    registers: dict[str, str] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)
    formats: dict[str, dict[str, Any]] = field(default_factory=dict)

    def edition_files(self) -> list[Path]:
        """Every TEI file of the edition: front matter, documents, registers."""
        names: list[str] = []
        if self.front:
            names.append(self.front)
        names.extend(self.documents)
        names.extend(self.registers.values())
        if self.bibliography:
            names.append(self.bibliography)
        seen: dict[str, None] = dict.fromkeys(names)
        return [self.sources / n for n in seen]


def _type_name(expected: Any) -> str:
    if isinstance(expected, tuple):
        return "one of " + ", ".join(repr(v) for v in expected)
    if isinstance(expected, list):
        return f"a list of {_type_name(expected[0])}s"
    if isinstance(expected, dict):
        return "a mapping"
    return {str: "text", bool: "true or false", int: "a whole number"}[expected]


def _check(node: yaml.Node, expected: Any, key: str, path: str, out: list[Diagnostic]) -> Any:
    """Convert a YAML node to a Python value, appending diagnostics for mismatches."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1

    def bad(message: str, hint: str = "") -> None:
        out.append(Diagnostic(path, line, col, ERROR, "E-CONFIG", message, hint))

    if isinstance(expected, dict):
        if not isinstance(node, yaml.MappingNode):
            bad(f"'{key}' must be {_type_name(expected)}")
            return {}
        result = {}
        for k_node, v_node in node.value:
            name = k_node.value
            full = f"{key}.{name}" if key else name
            if name not in expected:
                close = difflib.get_close_matches(name, list(expected), n=1)
                out.append(Diagnostic(
                    path, k_node.start_mark.line + 1, k_node.start_mark.column + 1, ERROR,
                    "E-CONFIG", f"unknown key '{full}'",
                    f"did you mean '{close[0]}'?" if close else
                    "known keys: " + ", ".join(expected)))
                continue
            result[name] = _check(v_node, expected[name], full, path, out)
        return result
    if isinstance(expected, list):
        if not isinstance(node, yaml.SequenceNode):
            bad(f"'{key}' must be {_type_name(expected)}")
            return []
        return [_check(item, expected[0], key, path, out) for item in node.value]
    if not isinstance(node, yaml.ScalarNode):
        bad(f"'{key}' must be {_type_name(expected)}")
        return None
    value = yaml.safe_load(yaml.serialize(node)) if node.tag != "tag:yaml.org,2002:str" else node.value
    if isinstance(expected, tuple):
        if value not in expected:
            close = difflib.get_close_matches(str(value), list(expected), n=1)
            bad(f"'{key}' is {value!r}, expected {_type_name(expected)}",
                f"did you mean {close[0]!r}?" if close else "")
        return value
    if expected is str and not isinstance(value, str):
        bad(f"'{key}' must be text, not {type(value).__name__}", "put the value in quotes")
        return str(value)
    if expected is bool and not isinstance(value, bool):
        bad(f"'{key}' must be true or false, not {value!r}")
        return bool(value)
    return value


def load_config(path: Path) -> Config:
    """Read and check ``edition.yaml``; raise :class:`ConfigError` on any problem."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Diagnostic(shown, 1, 1, ERROR, "E-CONFIG", "configuration file not found",
                                      "run edition in the edition's folder, or pass --config")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Diagnostic(shown, 1, 1, ERROR, "E-CONFIG",
                                      f"cannot read configuration: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([Diagnostic(shown, line, col, ERROR, "E-CONFIG",
                                      f"not valid YAML: {problem}")]) from None
    if node is None:
        raise ConfigError([Diagnostic(shown, 1, 1, ERROR, "E-CONFIG", "configuration is empty",
                                      "it needs at least 'title' and 'documents'")])
    diagnostics: list[Diagnostic] = []
    values = _check(node, SPEC, "", shown, diagnostics)
    for key in REQUIRED:
        if key not in values and isinstance(node, yaml.MappingNode):
            diagnostics.append(Diagnostic(shown, 1, 1, ERROR, "E-CONFIG",
                                          f"required key '{key}' is missing"))
    if diagnostics:
        raise ConfigError(diagnostics)
    root = path.resolve().parent
    values["sources"] = root / values.get("sources", "xml")
    values["output"] = root / values.get("output", "output")
    return Config(root=root, **values)
