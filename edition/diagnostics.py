"""Findings an editor can act on.

Every check in the edition (parsing, RELAX NG, Schematron, configuration)
reports the same value: a :class:`Diagnostic` that prints as
``path:line:col: severity[CODE]: message`` (the shape compilers and linters
use, so editors and IDEs can jump to the place), with an optional hint.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TextIO

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located in a file."""

    path: str
    line: int
    col: int
    severity: str
    code: str
    message: str
    hint: str = ""

    def format(self, color: bool = False) -> str:
        """The one-line form, plus an indented hint line when there is one."""
        sev = self.severity
        if color:
            sev = ("\033[1;31m" if sev == ERROR else "\033[1;33m") + sev + "\033[0m"
        text = f"{self.path}:{self.line}:{self.col}: {sev}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.col, d.code, d.message)


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def write_text(diagnostics: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    color = use_color(stream)
    for d in diagnostics:
        print(d.format(color), file=stream)


def write_json(diagnostics: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    json.dump([asdict(d) for d in diagnostics], stream, ensure_ascii=False, indent=1)
    stream.write("\n")
