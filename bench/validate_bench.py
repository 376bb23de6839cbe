"""Benchmark: validating a synthetic corpus against a bare lxml parse of the same files.

    .venv/bin/python -m bench.validate_bench [-n 500] [-j JOBS]

Reports documents per second, peak memory, and the ratio of full validation
(RELAX NG + Schematron + cross-references, in worker processes, schemas
compiled once per worker) to one bare lxml parse of every file, measured in
the same run. The target is a ratio of at most 5.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

from edition.config import load_config
from edition.sources import safe_parser
from edition.validation import validate_files

from .corpus import arguments, make_corpus, peak_mb, report

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 5.0


def bare_parse_seconds(paths: list[Path]) -> float:
    parser = safe_parser()
    start = time.perf_counter()
    for p in paths:
        etree.parse(str(p), parser)
    return time.perf_counter() - start


def stage_seconds(documents: list[Path], shared: list[Path]) -> dict[str, float]:
    """Serial CPU time of each stage, one process: where the time goes."""
    from edition import xpathfunctions
    from edition.sources import read_source
    from edition.validation import Checker, build_index, index_key

    checker = Checker()
    start = time.perf_counter()
    index = build_index([*shared, *documents])
    totals = {"index": time.perf_counter() - start, "parse": 0.0, "relaxng": 0.0, "schematron": 0.0}
    for path in documents:
        start = time.perf_counter()
        source = read_source(path)
        totals["parse"] += time.perf_counter() - start
        start = time.perf_counter()
        checker.rng.check(source)
        totals["relaxng"] += time.perf_counter() - start
        start = time.perf_counter()
        xpathfunctions.set_context(index, index_key(path))
        list(checker.schematron.run(source.tree))
        totals["schematron"] += time.perf_counter() - start
    return {k: round(v, 3) for k, v in totals.items()}


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args(argv)
    config = load_config(ROOT / "edition.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        documents, shared = make_corpus(config, args.n, Path(tmp))
        megabytes = sum(p.stat().st_size for p in documents) / 1e6
        bare = min(bare_parse_seconds(documents) for _ in range(args.repeat))
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            findings = validate_files(documents, edition=shared, jobs=args.jobs)
            runs.append(time.perf_counter() - start)
        full = min(runs)
        stages = stage_seconds(documents, shared)
    result = {
        "documents": args.n,
        "megabytes": round(megabytes, 1),
        "jobs": args.jobs,
        "findings": len(findings),
        "bare_parse_s": round(bare, 3),
        "validate_s": round(full, 3),
        "documents_per_s": round(args.n / full, 1),
        "ratio_to_bare_parse": round(full / bare, 2),
        "peak_rss_mb_parent": peak_mb(),
        "peak_rss_mb_worker": peak_mb(resource.RUSAGE_CHILDREN),
        "target_ratio": TARGET_RATIO,
        "serial_stage_s": stages,
    }
    report("validate", result)
    if findings:
        print(f"the synthetic corpus should validate clean; {len(findings)} findings, e.g. "
              f"{findings[0].format()}", file=sys.stderr)
        return 1
    return 0 if result["ratio_to_bare_parse"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
