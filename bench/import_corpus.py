"""Brownfield import over the real-config corpus (../shared/corpus, read-only).

For every pair in the corpus's truth.json (the pairs its ``score`` script checks): parse both
files, import the pair, and, where a domain was built, render it for both hosts and parse the
renders again. A pair counts as

* lossless: no review item, and import -> render -> parse gives the PeerConfig the original
  parses to, on both hosts;
* with review items: a domain was built, and what it cannot express is listed;
* failed: no domain could be built, or a "lossless" pair does not round-trip (a bug).

  .venv/bin/python bench/import_corpus.py [--corpus DIR] [-v]

Last line: ``corpus import: L lossless / R with review items / F failed (of N pairs)``.
Nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlagauto.audit import read_config  # noqa: E402
from mlagauto.drivers import get_driver  # noqa: E402
from mlagauto.importer import import_pair, read_text  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def round_trips(result, originals) -> bool:
    driver = get_driver(result.domain.platform)
    for host, original in zip(result.hosts, originals):
        again = driver.parse_config(driver.render(result.domain, host), hostname=host)
        if again.model_dump(exclude={"warnings", "unread", "hostname"}) != original.model_dump(exclude={"warnings", "unread", "hostname"}):
            return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every review item")
    args = ap.parse_args()
    pairs = json.loads((args.corpus / "truth.json").read_text())["pairs"]
    counts: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    started = time.perf_counter()
    for p in pairs:
        files = [args.corpus / "configs" / p["file_a"], args.corpus / "configs" / p["file_b"]]
        try:
            a, b = (read_config(f, p["platform"]) for f in files)
            result = import_pair(a, b, texts=(read_text(files[0]), read_text(files[1])))
        except Exception as exc:  # noqa: BLE001 - a crash is a measured failure, not the end of the run
            counts["failed"] += 1
            print(f"FAIL {p['id']}: {type(exc).__name__}: {exc}")
            continue
        status = result.status
        if status == "lossless" and not round_trips(result, (a, b)):
            status = "failed"
            print(f"FAIL {p['id']}: lossless import does not round-trip")
        elif status == "failed":
            print(f"FAIL {p['id']}: {result.error}")
        counts[status] += 1
        for item in result.review:
            fields[item.field.split("[")[0].split(".")[0]] += 1
        if status == "review":
            print(f"REVIEW {p['id']}: {len(result.review)} items: " + "; ".join(sorted({i.field for i in result.review}))[:300])
            if args.verbose:
                for item in result.review:
                    print(f"    {item.host or 'shared'} {item.field}: {item.reason} {item.values} {item.lines[:3]}")
        else:
            print(f"{status.upper()} {p['id']}")
    print(f"review items by field: {dict(fields.most_common())}")
    print(f"time: {time.perf_counter() - started:.1f} s")
    print(f"corpus import: {counts['lossless']} lossless / {counts['review']} with review items / {counts['failed']} failed (of {len(pairs)} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
