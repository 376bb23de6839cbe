"""Output formats. Each is one module with a :class:`Builder` subclass that registers itself.

A format's module is imported only when that format is built (or its class is asked for): a
rebuild of the HTML site after one change takes about a second, and importing the PDF's and
the EPUB's machinery with it would add a tenth of that.
"""

from __future__ import annotations

import importlib

from .base import BUILDERS, Builder, BuildError, BuildResult

FORMATS = ("html", "pdf", "epub")  # in this order when edition.yaml names none
_CLASSES = {"HtmlBuilder": "html", "PdfBuilder": "pdf", "EpubBuilder": "epub"}

__all__ = ["BUILDERS", "FORMATS", "BuildError", "BuildResult", "Builder", "EpubBuilder", "HtmlBuilder",
           "PdfBuilder", "builder_class"]


def builder_class(name: str) -> type[Builder]:
    """The builder of format ``name`` (one of FORMATS), its module imported on first use."""
    if name not in FORMATS:
        raise KeyError(name)
    importlib.import_module(f".{name}", __name__)
    return BUILDERS[name]


def __getattr__(attribute: str) -> type[Builder]:
    if attribute in _CLASSES:
        return builder_class(_CLASSES[attribute])
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")
