"""Benchmark: building the HTML edition of a synthetic corpus, against a bare XSLT pass.

    .venv/bin/python -m bench.html_bench [-n 500] [-j JOBS]

Reports the HTML build time (document pages in worker processes, stylesheets
compiled once per worker, registers, home page and the search index) and, in
the same run, the floor: one Saxon identity transformation of every file in
one process (parse + transform + serialize, nothing else). Then, as an editor
works, `edition build --format html` with validation: cold, and again after one
document changed (only its page and its checks are made again; the registers,
home page and search index are always made anew).
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import edition
from edition.builders import HtmlBuilder
from edition.config import load_config

from .corpus import arguments, corpus_edition, peak_mb, report

ROOT = Path(__file__).resolve().parent.parent
IDENTITY = """<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="3.0">
  <xsl:mode on-no-match="shallow-copy"/></xsl:stylesheet>"""


def bare_xslt_seconds(paths: list[Path]) -> float:
    from edition import xslt

    executable = xslt.processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=IDENTITY)
    start = time.perf_counter()
    for path in paths:
        node = xslt.parse(path.read_text(encoding="utf-8"), path.as_uri())
        executable.transform_to_string(xdm_node=node)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__).parse_args(argv)
    config = load_config(ROOT / "edition.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        corpus, documents = corpus_edition(config, args.n, Path(tmp))
        builder = HtmlBuilder(corpus, jobs=args.jobs)
        start = time.perf_counter()
        result = builder.run()
        build = time.perf_counter() - start
        pages = len([f for f in result.files if f.suffix == ".html"])
        parent_mb, children_mb = peak_mb(), peak_mb(resource.RUSAGE_CHILDREN)  # before the floor's pass
        # as an editor works: `edition build --format html` (validation included), once cold
        # (nothing cached), then after one document changed
        shutil.rmtree(corpus.output)
        start = time.perf_counter()
        edition.build(["html"], config=corpus, jobs=args.jobs)
        cold = time.perf_counter() - start
        touched = documents[len(documents) // 2]
        text = touched.read_text(encoding="utf-8")
        touched.write_text(text.replace(" the ", " the very ", 1), encoding="utf-8")
        start = time.perf_counter()
        edition.build(["html"], config=corpus, jobs=args.jobs)
        incremental = time.perf_counter() - start
        floor = bare_xslt_seconds(documents)
    result_json = {
        "documents": args.n,
        "jobs": args.jobs,
        "pages": pages,
        "build_s": round(build, 2),
        "pages_per_s": round(pages / build, 1),
        "bare_xslt_pass_s": round(floor, 2),
        "ratio_to_floor": round(build / floor, 2),
        "edition_build_html_cold_s": round(cold, 2),
        "edition_build_html_after_one_document_changed_s": round(incremental, 2),
        "incremental_share_of_cold": round(incremental / cold, 3),
        "peak_rss_mb_parent": parent_mb,
        "peak_rss_mb_child": children_mb,  # the largest of the workers and Pagefind
        "warnings": result.warnings,
    }
    report("html", result_json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
