"""Validate TEI files against the TEI P5 all-in-one schema (../shared/schema/tei_all.rng).

Usage: python docs/check_tei_all.py xml/FILE.xml ...   (compiling the schema takes ~10 s)
"""
import sys
from pathlib import Path

from lxml import etree

here = Path(__file__).resolve().parent.parent
rng = etree.RelaxNG(etree.parse(str(here.parent / "shared" / "schema" / "tei_all.rng")))
ok = True
for name in sys.argv[1:]:
    doc = etree.parse(name, etree.XMLParser(resolve_entities=False, no_network=True))
    if rng.validate(doc):
        print(f"{name}: valid TEI P5")
    else:
        ok = False
        for e in rng.error_log:
            print(f"{name}:{e.line}:{e.column}: {e.message}")
sys.exit(0 if ok else 1)
