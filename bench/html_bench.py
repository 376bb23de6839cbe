"""Benchmark: building the HTML edition of a synthetic corpus, against a bare XSLT pass.

    .venv/bin/python -m bench.html_bench [-n 500] [-j JOBS]

Reports the HTML build time (document pages in worker processes, stylesheets
compiled once per worker, registers, home page and the search index) and, in
the same run, the floor: one Saxon identity transformation of every file in
one process (parse + transform + serialize, nothing else).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from edition.builders import HtmlBuilder
from edition.config import load_config

from .corpus import make_corpus

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="documents in the synthetic corpus")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count(), help="worker processes")
    args = parser.parse_args(argv)
    config = load_config(ROOT / "edition.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        documents, _ = make_corpus(config, args.n, Path(tmp) / "xml")
        corpus = dataclasses.replace(config, sources=Path(tmp) / "xml", output=Path(tmp) / "out",
                                     documents=[p.name for p in documents])
        floor = bare_xslt_seconds(documents)
        builder = HtmlBuilder(corpus, jobs=args.jobs)
        start = time.perf_counter()
        result = builder.run()
        build = time.perf_counter() - start
        pages = len([f for f in result.files if f.suffix == ".html"])
    result_json = {
        "documents": args.n,
        "jobs": args.jobs,
        "pages": pages,
        "build_s": round(build, 2),
        "pages_per_s": round(pages / build, 1),
        "bare_xslt_pass_s": round(floor, 2),
        "ratio_to_floor": round(build / floor, 2),
        "peak_rss_mb_parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "warnings": result.warnings,
    }
    print(json.dumps(result_json, indent=1))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "html.json").write_text(json.dumps(result_json, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
