#!/usr/bin/env python3
"""200 inputs, 3 of them corrupt: exactly those 3 fail, the other 197
outputs are byte-identical to those of a clean run, the exit status is 1,
and the summary and report name each failure. The clean run uses -j1 and the
corrupt one -j4, so this also checks that outputs do not depend on -j.
A few PDFs are compared the same way."""
import os, sys, time
from common import *

CORRUPT = {17, 101, 188}


def test(galley, tests_dir, work):
    clean, dirty = os.path.join(work, "clean"), os.path.join(work, "dirty")
    names = corpus(clean, tests_dir, 200)
    corpus(dirty, tests_dir, 200, corrupt=CORRUPT)

    t = time.monotonic()
    r = run(galley, ["batch", clean, "--out-dir", os.path.join(work, "out-clean"), "--to", "epub", "-j", "1", "-q"])
    t_clean = time.monotonic() - t
    check(r.returncode == 0, f"clean run exited {r.returncode}: {r.stderr[-2000:]}")

    t = time.monotonic()
    r = run(galley, ["batch", dirty, "--out-dir", os.path.join(work, "out-dirty"), "--to", "epub", "-j", "4",
                     "--report", os.path.join(work, "report.json")])
    t_dirty = time.monotonic() - t
    check(r.returncode == 1, f"run with corrupt inputs exited {r.returncode}, expected 1")
    print(f"200 EPUBs: -j1 {t_clean:.2f} s, -j4 {t_dirty:.2f} s")

    bad = {names[i] for i in CORRUPT}
    for i, rel in enumerate(names):
        out = os.path.splitext(rel)[0] + ".epub"
        a, b = os.path.join(work, "out-clean", out), os.path.join(work, "out-dirty", out)
        if i in CORRUPT:
            check(not os.path.exists(b), f"{out} exists for a corrupt input")
            check(f"interview-{i:03d}.txt: input looks binary" in r.stderr, f"the summary does not name input {i}")
        else:
            check(os.path.exists(b), f"{out} is missing")
            check(same(a, b), f"{out} differs from the clean run's")
    check("3 inputs failed:" in r.stderr, "the summary does not count 3 failures")
    check(temp_files(os.path.join(work, "out-dirty")) == [], "temporary files left behind")

    rep = report(os.path.join(work, "report.json"))
    check(rep["totals"]["failed"] == 3 and rep["totals"]["converted"] == 197, f"report totals: {rep['totals']}")
    failed = {os.path.relpath(e["inputs"][0], dirty) for e in rep["inputs"] if e["status"] == "failed"}
    check(failed == bad, f"report names {failed} as failed, expected {bad}")
    check([e["name"] for e in rep["inputs"]] == sorted(e["name"] for e in rep["inputs"]), "report not in input order")

    # A few PDFs too, -j1 against -j3.
    few = [os.path.join(clean, n) for n in names[:6]]
    r1 = run(galley, ["batch", *few, "--out-dir", os.path.join(work, "pdf1"), "--to", "pdf", "-j", "1", "-q"])
    r3 = run(galley, ["batch", *few, "--out-dir", os.path.join(work, "pdf3"), "--to", "pdf", "-j", "3", "-q"])
    check(r1.returncode == 0 and r3.returncode == 0, f"PDF runs exited {r1.returncode}, {r3.returncode}")
    pdfs = outputs(os.path.join(work, "pdf1"))
    check(len(pdfs) == 6 and pdfs == outputs(os.path.join(work, "pdf3")), f"PDF outputs: {pdfs}")
    for p in pdfs:
        check(same(os.path.join(work, "pdf1", p), os.path.join(work, "pdf3", p)), f"{p} depends on -j")


if __name__ == "__main__":
    sys.exit(main(test))
