#!/usr/bin/env python3
"""Outputs do not depend on -j: every sample of the repository (several
languages, so several hyphenation dictionaries, fonts and break iterators
shared between worker threads) to EPUB and PDF with -j1 and with -j6, byte
for byte. Inputs that fail must fail the same way in both runs."""
import glob, os, sys
from common import *


def test(galley, tests_dir, work):
    inputs = sorted(glob.glob(os.path.join(tests_dir, "data", "*.txt"))) + [os.path.join(tests_dir, "golden", "inputs")]
    runs = {}
    for j in ("1", "6"):
        out = os.path.join(work, f"j{j}")
        rp = os.path.join(work, f"j{j}.json")
        r = run(galley, ["batch", *inputs, "--out-dir", out, "-j", j, "--report", rp, "-q"])
        check(r.returncode in (0, 1), f"-j{j} exited {r.returncode}: {r.stderr[-1500:]}")
        runs[j] = (out, {e["name"]: (e["status"], [o["status"] for o in e["outputs"]]) for e in report(rp)["inputs"]})
    (o1, s1), (o6, s6) = runs["1"], runs["6"]
    check(s1 == s6, "statuses differ between -j1 and -j6")
    files = outputs(o1)
    check(files == outputs(o6), "-j1 and -j6 made different files")
    check(len(files) > 20, f"only {len(files)} outputs")
    for p in files:
        check(same(os.path.join(o1, p), os.path.join(o6, p)), f"{p} differs between -j1 and -j6")
    print(f"{len(files)} outputs identical with -j1 and -j6")


if __name__ == "__main__":
    sys.exit(main(test))
