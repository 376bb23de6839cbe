"""A synthetic corpus made from the edition's own encodings, with fresh ids.

Group g holds a copy of each of the edition's documents; every document id
(and so every xml:id and pointer inside it, which all start with it) gets the
prefix ``g{g:04d}-`` (but in group 0, which keeps the edition's own ids), and
files are named after their new ids. The registers,
front matter and bibliography are copied once, so pointers into them resolve.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import shutil
from pathlib import Path

from edition.config import Config

RESULTS = Path(__file__).resolve().parent / "results"


def make_corpus(config: Config, n_documents: int, dest: Path) -> tuple[list[Path], list[Path]]:
    """Write ``n_documents`` documents (and the shared files) into ``dest``.

    Returns (documents, shared files).
    """
    dest.mkdir(parents=True, exist_ok=True)
    shared = []
    for name in [config.front, config.bibliography, *config.registers.values()]:
        if name:
            shutil.copy(config.sources / name, dest / name)
            shared.append(dest / name)
    doc_ids = [Path(d).stem for d in config.documents]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, doc_ids), key=len, reverse=True))
                         + r")(?![\w])")
    texts = {d: (config.sources / f"{d}.xml").read_text(encoding="utf-8") for d in doc_ids}
    documents = []
    group = 0
    while len(documents) < n_documents:
        # the first group keeps the edition's own names, so the front matter's and the
        # bibliography's pointers into the documents resolve and the corpus validates
        prefix = f"g{group:04d}-" if group else ""
        for doc_id in doc_ids:
            if len(documents) == n_documents:
                break
            text = pattern.sub(lambda m, p=prefix: p + m.group(1), texts[doc_id])
            path = dest / f"{prefix}{doc_id}.xml"
            path.write_text(text, encoding="utf-8")
            documents.append(path)
        group += 1
    return documents, shared


def corpus_edition(config: Config, n_documents: int, folder: Path) -> tuple[Config, list[Path]]:
    """An edition of ``n_documents`` synthetic documents in ``folder``: its config and documents."""
    documents, _ = make_corpus(config, n_documents, folder / "xml")
    corpus = dataclasses.replace(config, sources=folder / "xml", output=folder / "out",
                                 documents=[p.name for p in documents])
    return corpus, documents


def arguments(doc: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: the corpus size and the worker processes."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="documents in the synthetic corpus")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count(), help="worker processes")
    return parser


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory so far, of this process or (RUSAGE_CHILDREN) its largest child."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def report(name: str, result: dict) -> None:
    """Print a benchmark's result and keep it in bench/results/NAME.json."""
    text = json.dumps(result, indent=1)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text + "\n")
