"""Output formats. Each is one module with a :class:`Builder` subclass that registers itself."""

from __future__ import annotations

from .base import BUILDERS, Builder, BuildError, BuildResult
from .epub import EpubBuilder
from .html import HtmlBuilder
from .pdf import PdfBuilder

__all__ = ["BUILDERS", "BuildError", "BuildResult", "Builder", "EpubBuilder", "HtmlBuilder", "PdfBuilder"]
