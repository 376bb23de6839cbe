"""saxonche, made safe and compiled once.

Saxon's own XML parser expands external entities and loads DTDs unless told
not to, so the one processor of each process is configured before any use:
DOCTYPE declarations are refused outright (which also rules out entity
expansion), external entities are switched off in case a feature is ever
relaxed. Documents normally reach Saxon only after lxml has parsed them
safely (see :mod:`edition.sources`); this is the second lock.

saxonche is not thread-safe: use one processor per process, and processes
for parallel work.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote

from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

_PARSER_FEATURES = {
    "http://apache.org/xml/features/disallow-doctype-decl": "true",
    "http://xml.org/sax/features/external-general-entities": "false",
    "http://xml.org/sax/features/external-parameter-entities": "false",
    "http://apache.org/xml/features/nonvalidating/load-external-dtd": "false",
}


class SaxonError(Exception):
    """Saxon refused a document or a stylesheet; the message says why."""


@lru_cache(maxsize=1)
def processor() -> PySaxonProcessor:
    """The process's Saxon processor, configured for untrusted input."""
    proc = PySaxonProcessor(license=False)
    for feature, value in _PARSER_FEATURES.items():
        proc.set_configuration_property(
            "http://saxon.sf.net/feature/parserFeature?uri=" + quote(feature, safe=""), value)
    return proc


def parse(text: str, base_uri: str | None = None) -> PyXdmNode:
    """Parse XML text with Saxon's parser, safely."""
    builder = processor().new_document_builder()
    builder.set_line_numbering(True)
    if base_uri:
        builder.set_base_uri(base_uri)
    try:
        return builder.parse_xml(xml_text=text)
    except PySaxonApiError as exc:
        raise SaxonError(_first_line(str(exc))) from None


@cache
def compile_stylesheet(path: Path) -> PyXsltExecutable:
    """Compile an XSLT 3.0 stylesheet once per process."""
    xslt = processor().new_xslt30_processor()
    try:
        return xslt.compile_stylesheet(stylesheet_file=str(path))
    except PySaxonApiError as exc:
        raise SaxonError(f"{path}: {_first_line(str(exc))}") from None


def set_parameters(executable: PyXsltExecutable, params: dict[str, object]) -> None:
    """Replace an executable's stylesheet parameters; strings become xs:string values."""
    executable.clear_parameters()
    proc = processor()
    for key, value in params.items():
        executable.set_parameter(key, proc.make_string_value(value) if isinstance(value, str) else value)


def _first_line(message: str) -> str:
    return " ".join(message.strip().split("\n")[:2]).strip()
