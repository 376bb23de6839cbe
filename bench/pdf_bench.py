"""Benchmark: the print edition laid out in chunks, against one WeasyPrint call.

    .venv/bin/python -m bench.pdf_bench [-n 500] [-j JOBS]

Builds the print HTML of a synthetic corpus once, then, in the same run, lays it
out (1) in chunks, the documents in worker processes, as `edition build --format pdf`
does, and (2) in one WeasyPrint call on the same HTML. Reports pages per second
for both, their ratio (goal: at least 1.7 on 2 cores) and peak memory: the
parent's before the single call, the largest worker's, and the single call's.
The machine's load average is reported before and after: a figure measured
while other work ran is not the pipeline's.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from edition.builders.pdf import BASE_URL, PAGE_SIZES, PdfBuilder
from edition.config import load_config

from .corpus import arguments, corpus_edition, peak_mb, report

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__).parse_args(argv)
    config = load_config(ROOT / "edition.yaml")
    from pypdf import PdfReader
    from weasyprint import HTML

    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        corpus, _ = corpus_edition(config, args.n, Path(tmp))
        builder = PdfBuilder(corpus, jobs=args.jobs)
        start = time.perf_counter()
        html = builder.print_html()
        xslt_s = time.perf_counter() - start

        target = Path(tmp) / "chunked.pdf"
        start = time.perf_counter()
        builder._write_in_chunks(html, PAGE_SIZES["A4"], args.jobs, target)
        chunked_s = time.perf_counter() - start
        chunked_pages = len(PdfReader(str(target)).pages)
        parent_mb, worker_mb = peak_mb(), peak_mb(resource.RUSAGE_CHILDREN)

        start = time.perf_counter()
        single = HTML(string=html, base_url=BASE_URL).render()
        single.write_pdf(Path(tmp) / "single.pdf")
        single_s = time.perf_counter() - start
        single_pages = len(single.pages)
    result = {
        "documents": args.n,
        "jobs": args.jobs,
        "print_html_s": round(xslt_s, 2),
        "chunked": {"pages": chunked_pages, "seconds": round(chunked_s, 2),
                    "pages_per_s": round(chunked_pages / chunked_s, 1)},
        "one_weasyprint_call": {"pages": single_pages, "seconds": round(single_s, 2),
                                "pages_per_s": round(single_pages / single_s, 1)},
        "speed_ratio": round((chunked_pages / chunked_s) / (single_pages / single_s), 2),
        "goal_ratio": 1.7,
        "peak_rss_mb_parent_chunked": parent_mb,
        "peak_rss_mb_worker": worker_mb,
        "peak_rss_mb_after_single_call": peak_mb(),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    report("pdf", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
