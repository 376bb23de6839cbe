"""Benchmark: `edition build` of a synthetic corpus in every format, cold and after one change,
with the floors measured in the same run.

    .venv/bin/python -m bench.build_bench [-n 50] [-n 500] [--large] [-j JOBS] [--single-timeout S]

For each corpus size (50 and 500 documents unless -n is given; --large adds
2,000) it reports: the cold build of each format (`edition build --format F`,
validation included, in the order of edition.yaml: HTML, PDF, EPUB; seconds,
pages, peak resident memory of the build's parent and of the largest of its
workers and tools), the same builds after one document changed (a word added
to the text of the middle document), and again after a word was added to its
header (which the home page and the contents show), the share of the cold build that the incremental
HTML + EPUB rebuild takes (issue 7's target: 5 %; one validation counted in
each), PDF pages per second, and the largest peak memory of all (target:
1.5 GB at 2,000).

The floors, in the same run: one bare Saxon identity pass over the documents
(bench.html_bench), and one WeasyPrint call on the whole book's print HTML,
made in a process of its own. That call grows with the book: at 500 documents
it took 55 minutes and 9.6 GB here, so it is given --single-timeout seconds
(default one hour; 0 skips it). When it runs out, what is known is still a
bound: it lays out no more pages than the chunked book (its registers lack
their page references), so its speed is at most the chunked page count over
the time it was given, and the chunked layout's ratio to it at least that.

Every build runs in a fresh process, so that its memory is its own. The load
average is reported before and after: a figure measured while other work ran
is not the pipeline's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import corpus_edition, peak_mb, report

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["html", "pdf", "epub"]


def _corpus_config(folder: Path):
    """The configuration of the corpus that corpus_edition wrote into ``folder``."""
    import dataclasses

    from edition.config import load_config

    names = json.loads((folder / "documents.json").read_text(encoding="utf-8"))
    return dataclasses.replace(load_config(ROOT / "edition.yaml"), sources=folder / "xml",
                               output=folder / "out", documents=names)


def child_build(folder: Path, jobs: int, fmt: str) -> dict:
    """`edition build --format FMT` (in a process of its own, so that its memory is its own):
    the format's seconds and pages, the validation's seconds, peak memory."""
    import edition

    config = _corpus_config(folder)
    start = time.perf_counter()
    [result] = edition.build([fmt], config=config, jobs=jobs)
    total = time.perf_counter() - start
    return {"seconds": round(result.seconds, 2), "pages": result.pages,
            "validation_s": round(total - result.seconds, 2),
            "peak_rss_mb_parent": peak_mb(),
            "peak_rss_mb_largest_child": peak_mb(resource.RUSAGE_CHILDREN)}


def build_all(folder: Path, jobs: int) -> dict:
    """Every format built, one process each, in the order of edition.yaml (the EPUB's page
    list comes from the PDF's page map)."""
    builds = {}
    for fmt in FORMATS:
        [builds[fmt]], _ = _run_child("--child-build", str(folder), "--format", fmt, "-j", str(jobs))
    return builds


def child_single(folder: Path) -> None:
    """The floor: the whole book's print HTML, then one WeasyPrint call on it; reports each step
    on a line of its own, so that the print HTML's time is known even if the call runs out."""
    from weasyprint import HTML

    from edition.builders.pdf import BASE_URL, PdfBuilder

    start = time.perf_counter()
    html = PdfBuilder(_corpus_config(folder)).print_html()
    print(json.dumps({"print_html_s": round(time.perf_counter() - start, 2),
                      "print_html_mb": round(len(html.encode("utf-8")) / 1e6, 1)}), flush=True)
    print(json.dumps({"layout_started_at": time.time()}), flush=True)
    start = time.perf_counter()
    document = HTML(string=html, base_url=BASE_URL).render()
    document.write_pdf(folder / "single.pdf")
    print(json.dumps({"pages": len(document.pages), "seconds": round(time.perf_counter() - start, 2),
                      "peak_rss_mb": peak_mb()}), flush=True)


def _run_child(*args: str, timeout: float | None = None) -> tuple[list[dict], bool]:
    """Run this module in a child process; its JSON lines, and whether it ran out of time."""
    command = [sys.executable, "-m", "bench.build_bench", *args]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
        try:
            out, _ = child.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            stopped_at = time.time()
            child.kill()
            out, _ = child.communicate()
            out += "\n" + json.dumps({"stopped_at": stopped_at})
            timed_out = True
    if child.returncode and not timed_out:
        raise SystemExit(f"{' '.join(args)}: the child process failed ({child.returncode})")
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")], timed_out


def add_a_word(text: str, where: str) -> str:
    """The document with "very" added after the first " the " from ``where`` on: a change to the
    record's text (``<body``: only its own pages and chunk depend on it) or to its header
    (``<teiHeader``: the home page's table and the EPUB's contents list headers too)."""
    start = text.index(where)
    at = text.index(" the ", start) + len(" the")
    return text[:at] + " very" + text[at:]


def _html_epub_seconds(builds: dict) -> float:
    """`edition build --format html --format epub`: one validation, then the two formats."""
    return builds["html"]["validation_s"] + builds["html"]["seconds"] + builds["epub"]["seconds"]


def measure(n: int, jobs: int, single_timeout: float) -> dict:
    from edition.config import load_config

    from .html_bench import bare_xslt_seconds

    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _corpus, documents = corpus_edition(load_config(ROOT / "edition.yaml"), n, folder)
        (folder / "documents.json").write_text(json.dumps([p.name for p in documents]), encoding="utf-8")
        cold = build_all(folder, jobs)
        touched = documents[len(documents) // 2]
        touched.write_text(add_a_word(touched.read_text(encoding="utf-8"), "<body"), encoding="utf-8")
        incremental = build_all(folder, jobs)
        touched.write_text(add_a_word(touched.read_text(encoding="utf-8"), "<teiHeader"), encoding="utf-8")
        header_changed = build_all(folder, jobs)
        bare_xslt = bare_xslt_seconds(documents)
        single: dict = {"skipped": True}
        if single_timeout > 0:
            lines, timed_out = _run_child("--child-single", str(folder), timeout=single_timeout)
            single = {k: v for line in lines for k, v in line.items()}
            started = single.pop("layout_started_at", None)
            if timed_out:  # what its layout was given: the time limit less start-up and the XSLT
                stopped = single.pop("stopped_at")
                single["timed_out_after_s"] = round(stopped - (started or stopped), 1)
    pdf_pages, pdf_s = cold["pdf"]["pages"], cold["pdf"]["seconds"]
    result = {"documents": n, "jobs": jobs, "cold": cold, "after_one_document_changed": incremental,
              "after_its_header_changed": header_changed,
              "html_epub_incremental_share_of_cold": round(_html_epub_seconds(incremental)
                                                           / _html_epub_seconds(cold), 3),
              "html_epub_share_after_header_change": round(_html_epub_seconds(header_changed)
                                                           / _html_epub_seconds(cold), 3),
              "html_epub_target_share": 0.05,
              "pdf_pages_per_s": round(pdf_pages / pdf_s, 1),
              "floor_bare_xslt_pass_s": round(bare_xslt, 2),
              "floor_one_weasyprint_call": single,
              "peak_rss_mb": max(b[k] for builds in (cold, incremental, header_changed)
                                 for b in builds.values()
                                 for k in ("peak_rss_mb_parent", "peak_rss_mb_largest_child")),
              "load_average_before": load_before,
              "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    if "seconds" in single and "timed_out_after_s" not in single:
        result["pdf_speed_ratio"] = round((pdf_pages / pdf_s) / (single["pages"] / single["seconds"]), 2)
    elif "timed_out_after_s" in single:
        # the single call lays out at most pdf_pages pages (its registers lack their references)
        result["pdf_speed_ratio_at_least"] = round(single["timed_out_after_s"] / pdf_s, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", help="documents in the corpus (repeatable)")
    parser.add_argument("--large", action="store_true", help="add the corpus of 2,000 documents")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count(), help="worker processes")
    parser.add_argument("--single-timeout", type=float, default=3600,
                        help="seconds given to the one WeasyPrint call (0: skip it)")
    parser.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--format", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--child-single", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        print(json.dumps(child_build(args.child_build, args.jobs, args.format)))
        return 0
    if args.child_single:
        child_single(args.child_single)
        return 0
    sizes = (args.n or [50, 500]) + ([2000] if args.large else [])
    results = []
    for n in sizes:
        results.append(measure(n, args.jobs, args.single_timeout))
        print(json.dumps(results[-1], indent=1), file=sys.stderr)
    report("build" if not args.n else "build-" + "-".join(map(str, sizes)), {"runs": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
