"""The ``edition`` command: thin subcommands over the package's API.

Exit codes: 0 clean, 1 findings (or a failed build), 2 usage or
configuration error. ``main(argv)`` returns the code instead of exiting, so
tests drive the CLI in-process.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .config import CONFIG_NAME, ConfigError, load_config
from .diagnostics import write_json, write_text
from .progress import Progress

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("edition")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as documented
        self.print_usage(sys.stderr)
        print(f"edition: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="edition", description="Validate and publish a TEI critical edition.")
    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    _common_options(parser, defaults=True)
    common = argparse.ArgumentParser(add_help=False)
    _common_options(common, defaults=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("validate", parents=[common],
                       help="check the TEI against the edition's schema and rules",
                       description="Check the whole edition, or the files given.")
    p.add_argument("files", nargs="*", type=Path, help="TEI files (default: the whole edition)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("build", parents=[common], help="build the edition: HTML, PDF and EPUB",
                       description="Build the edition, or TEI files from elsewhere, into output/.")
    p.add_argument("files", nargs="*", type=Path, help="TEI files to render (default: the edition)")
    p.add_argument("--format", action="append", dest="formats", metavar="FORMAT",
                   help="html, pdf or epub (repeatable; default: the formats enabled in edition.yaml)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    p.add_argument("--page-size", choices=("A4", "letter", "6x9in"), help="PDF page size (over edition.yaml)")
    p.add_argument("--pdf-variant", choices=("standard", "pdfa-3b", "pdfua-1"),
                   help="PDF/A-3b with the TEI sources attached, or tagged PDF/UA-1 (over edition.yaml)")
    p.add_argument("--per-document", action="store_true", default=None,
                   help="also one PDF per document (over formats.pdf.per_document)")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("serve", parents=[common], help="preview the HTML edition, rebuilt on every change",
                       description="Build the HTML edition, serve it on 127.0.0.1 and rebuild it whenever a "
                                   "source, the configuration or a stylesheet changes; open pages reload.")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any)")
    p.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("schema", parents=[common],
                       help="regenerate schema/edition.rng from schema/edition.odd",
                       description="Derive the edition's RELAX NG schema from its ODD and TEI P5.")
    p.add_argument("--tei-all", type=Path, default=None, help="path to tei_all.rng")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("import", parents=[common],
                       help="draft TEI from plain-text or Markdown transcripts",
                       description="Recognise a transcript's conventions (catalogue fields, speakers, "
                                   "notes, brackets, annotations, page breaks, names) and write a TEI draft "
                                   "for each file (two for a text that interleaves two languages), validated "
                                   "against the edition's schema. A summary per draft goes to stderr.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="transcripts (UTF-8 text or Markdown)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="DIR",
                   help="folder for the drafts (default: drafts/ in the edition's sources folder, "
                        "xml/drafts/; ./drafts/ without an edition.yaml)")
    p.set_defaults(run=cmd_import)
    return parser


def _common_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """-q, -v and --config, accepted before or after the subcommand."""
    keep = {} if defaults else {"default": argparse.SUPPRESS}
    parser.add_argument("-q", "--quiet", action="store_true", help="print findings only",
                        **({"default": False} if defaults else keep))
    parser.add_argument("-v", "--verbose", action="store_true", help="print progress details",
                        **({"default": False} if defaults else keep))
    parser.add_argument("--config", type=Path, help="configuration file (default: ./edition.yaml)",
                        **({"default": Path(CONFIG_NAME)} if defaults else keep))


def cmd_validate(args: argparse.Namespace) -> int:
    from . import validate

    try:
        config = load_config(args.config) if args.config.exists() or not args.files else None
    except ConfigError as exc:
        write_text(exc.diagnostics, sys.stderr)
        return EXIT_USAGE
    findings = validate(args.files, config, args.jobs)
    if args.format == "json":
        write_json(findings)
    else:
        write_text(findings)
    errors = sum(1 for f in findings if f.is_error)
    warnings = len(findings) - errors
    if not args.quiet and args.format == "text":
        checked = len(args.files) if args.files else len(config.edition_files())
        print(f"{checked} file(s) checked: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from . import build
    from .builders import FORMATS, BuildError

    for name in args.formats or ():
        if name not in FORMATS:
            print(f"edition: error: no builder for format '{name}' (available: {', '.join(FORMATS)})",
                  file=sys.stderr)
            return EXIT_USAGE
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        write_text(exc.diagnostics, sys.stderr)
        return EXIT_USAGE
    try:
        pdf = {k: v for k, v in (("page_size", args.page_size), ("variant", args.pdf_variant),
                                 ("per_document", args.per_document)) if v}
        start = time.perf_counter()
        results = build(args.formats, args.files or None, config, args.jobs, {"pdf": pdf},
                        progress=Progress(quiet=args.quiet))
    except BuildError as exc:
        write_text(exc.diagnostics)
        print("edition: build stopped; the previous output is left as it was", file=sys.stderr)
        return EXIT_FINDINGS
    warnings = [w for result in results for w in result.warnings]
    for warning in warnings:
        print(f"edition: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        documents = len(args.files) if args.files else len(config.documents)
        print(f"built {documents} document(s) in {time.perf_counter() - start:.1f} s, "
              f"{len(warnings)} warning(s):", file=sys.stderr)
        for result in results:
            made = f"{result.pages} page(s)" if result.pages else f"{len(result.files)} file(s)"
            print(f"  {result.format:5} {made:>14} {result.seconds:7.1f} s  {result.output}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    try:
        load_config(args.config)
    except ConfigError as exc:
        write_text(exc.diagnostics, sys.stderr)
        return EXIT_USAGE
    try:
        return serve(args.config, port=args.port, jobs=args.jobs)
    except OSError as exc:  # the port is taken, say
        print(f"edition: error: cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_USAGE


def cmd_schema(args: argparse.Namespace) -> int:
    from .schemagen import write_schema
    from .validation import PROJECT_ROOT, SCHEMA_DIR

    tei_all = args.tei_all or PROJECT_ROOT.parent / "shared" / "schema" / "tei_all.rng"
    if not tei_all.exists():
        print(f"edition: error: {tei_all}: TEI P5 schema not found (use --tei-all)", file=sys.stderr)
        return EXIT_USAGE
    n = write_schema(SCHEMA_DIR / "edition.odd", tei_all, SCHEMA_DIR / "edition.rng")
    if not args.quiet:
        print(f"wrote {SCHEMA_DIR / 'edition.rng'} ({n} elements)", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Import transcripts into TEI drafts.

    A file that cannot be read is one clear message and exit 2 (nothing is
    imported); drafts are always written, and exit 1 says one does not validate.
    """
    from .importer import Registers, import_text, load_registers, validate_drafts
    from .importer.ids import document_id
    from .validation import display_path

    for path in args.files:
        if not path.is_file():
            reason = "is a directory, not a transcript" if path.is_dir() else "no such file"
            print(f"edition: error: {path}: {reason}", file=sys.stderr)
            return EXIT_USAGE
    config = None
    if args.config.exists():
        try:
            config = load_config(args.config)
        except ConfigError as exc:
            write_text(exc.diagnostics, sys.stderr)
            return EXIT_USAGE
    if config is not None:
        registers = load_registers({kind: config.sources / name for kind, name in config.registers.items()})
    else:
        registers = Registers()
        if not args.quiet:
            print(f"edition: note: no {args.config}: names are not linked to registers", file=sys.stderr)
    out = args.output or (config.sources / "drafts" if config is not None else Path("drafts"))
    stems = [document_id(p.stem) for p in args.files]
    clash = next((p for p, s in zip(args.files, stems, strict=True) if stems.count(s) > 1), None)
    if clash is not None:
        print(f"edition: error: {clash}: another FILE has the same name, and so the same draft name",
              file=sys.stderr)
        return EXIT_USAGE
    texts = []
    for path in args.files:  # every file is read before any draft is written
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as exc:
            print(f"edition: error: {path}: not UTF-8 text (byte {exc.start + 1})", file=sys.stderr)
            return EXIT_USAGE
        except OSError as exc:
            print(f"edition: error: {path}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    drafts = []
    for path, text in zip(args.files, texts, strict=True):
        for draft in import_text(text, path.name, registers).drafts:
            try:
                draft.write(out)
            except OSError as exc:
                print(f"edition: error: {exc.filename or out}: {exc.strerror}", file=sys.stderr)
                return EXIT_USAGE
            drafts.append(draft)
    findings = validate_drafts([d.path for d in drafts], config.edition_files() if config is not None else [])
    errors = [f for f in findings if f.is_error]
    write_text(findings)
    for draft in drafts:
        shown = display_path(draft.path)
        draft.errors = sum(1 for f in errors if f.path == shown)
        if not args.quiet:
            print(draft.summary().table(verbose=args.verbose), file=sys.stderr)
    if not args.quiet:
        print(f"{len(drafts)} draft(s) written to {out}: {len(errors)} validation error(s)", file=sys.stderr)
    return EXIT_FINDINGS if errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="edition: %(message)s")
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("edition: interrupted", file=sys.stderr)
        return 130
