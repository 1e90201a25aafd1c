#!/usr/bin/env python3
"""Incremental builds: a second run with nothing changed does no conversion
work (the report says up-to-date for every input, no output is rewritten:
mtimes unchanged); each kind of change rebuilds exactly what depends on it;
--force rebuilds everything; depfiles let make see the same."""
import os, shutil, subprocess, sys, time
from common import *


def mtimes(root):
    return {p: os.stat(os.path.join(root, p)).st_mtime_ns for p in outputs(root)}


def statuses(rep):
    return {e["name"]: e["status"] for e in rep["inputs"]}


def written(rep):
    return sorted(o["path"] for e in rep["inputs"] for o in e["outputs"] if o["status"] == "written")


def test(galley, tests_dir, work):
    src, out = os.path.join(work, "in"), os.path.join(work, "out")
    style = os.path.join(work, "my style")
    shutil.copytree(os.path.join(tests_dir, "..", "styles", "classic"), style)
    corpus(src, tests_dir, 5, folders=2)
    rep_path = os.path.join(work, "r.json")

    def batch(*extra, env=None):
        # Relative paths, as make sees them from `work`.
        r = run(galley, ["batch", "in", "--out-dir", "out", "--style", "./my style", "--report", rep_path, "--depfile", "-q",
                         *extra], env=env, cwd=work)
        check(r.returncode == 0, f"batch {' '.join(extra)} exited {r.returncode}: {r.stderr[-2000:]}")
        return report(rep_path)

    rep = batch()
    check(set(statuses(rep).values()) == {"converted"}, f"first run: {statuses(rep)}")
    check(len(outputs(out)) == 10, f"outputs: {outputs(out)}")
    before = mtimes(out)
    time.sleep(0.05)

    # Nothing changed: nothing converted, nothing rewritten.
    t = time.monotonic()
    rep = batch()
    dt = time.monotonic() - t
    check(set(statuses(rep).values()) == {"up-to-date"}, f"second run: {statuses(rep)}")
    check(rep["totals"]["outputs_written"] == 0 and rep["totals"]["converted"] == 0, f"totals: {rep['totals']}")
    check(mtimes(out) == before, "a second run rewrote outputs")
    print(f"up-to-date run of 5 inputs: {dt:.3f} s")

    # make agrees: the depfiles list what each output depends on.
    mk = os.path.join(work, "Makefile")
    targets = " ".join(f"out/{p}".replace(" ", "\\ ") for p in outputs(out))
    with open(mk, "w") as f:
        f.write(f"all: {targets}\n%.epub %.pdf:\n\t@false\n")
        for p in outputs(out):
            f.write(f"-include out/{p}.d\n")
    q = subprocess.run(["make", "-q", "-f", mk], cwd=work)
    check(q.returncode == 0, "make -q says the outputs are out of date after a build")

    # One input changed: only its outputs are rebuilt.
    one = os.path.join(src, "part-1", "interview-003.txt")
    with open(one, "a", encoding="utf-8") as f:
        f.write("\nQ: One more question?\n\nA: One more answer.\n")
    os.utime(one, None)
    q = subprocess.run(["make", "-q", "-f", mk], cwd=work)
    check(q.returncode != 0, "make -q does not see the changed input")
    rep = batch()
    s = statuses(rep)
    check(s["part-1/interview-003"] == "converted" and list(s.values()).count("up-to-date") == 4, f"after edit: {s}")
    check(written(rep) == ["out/part-1/interview-003.epub", "out/part-1/interview-003.pdf"],
          f"written: {written(rep)}")

    # The style's epub.css changed: every EPUB, no PDF.
    with open(os.path.join(style, "epub.css"), "a") as f:
        f.write("\n/* changed */\n")
    rep = batch()
    w = written(rep)
    check(len(w) == 5 and all(p.endswith(".epub") for p in w), f"after a CSS change: {w}")
    # print.toml: every PDF.
    with open(os.path.join(style, "print.toml"), "a") as f:
        f.write("\n# changed\n")
    rep = batch()
    w = written(rep)
    check(len(w) == 5 and all(p.endswith(".pdf") for p in w), f"after a print.toml change: {w}")

    # Options: --paper (PDF only matters, but it is an option: everything keyed on it rebuilds).
    rep = batch("--paper", "a5")
    check(rep["totals"]["converted"] == 5, f"after --paper: {rep['totals']}")
    rep = batch("--paper", "a5")
    check(rep["totals"]["up_to_date"] == 5, f"again with --paper: {rep['totals']}")
    # SOURCE_DATE_EPOCH is an option too.
    rep = batch("--paper", "a5", env={"SOURCE_DATE_EPOCH": "1700000001"})
    check(rep["totals"]["converted"] == 5, f"after SOURCE_DATE_EPOCH: {rep['totals']}")

    # A deleted or damaged output is rebuilt.
    victim = "out/part-0/interview-000.epub"
    os.remove(os.path.join(work, victim))
    with open(os.path.join(out, "part-0", "interview-002.pdf"), "ab") as f:
        f.write(b"junk")
    rep = batch("--paper", "a5", env={"SOURCE_DATE_EPOCH": "1700000001"})
    check(sorted(written(rep)) == sorted([victim, "out/part-0/interview-002.pdf"]),
          f"after deleting and damaging: {written(rep)}")

    # --force rebuilds everything.
    rep = batch("--paper", "a5", "--force", env={"SOURCE_DATE_EPOCH": "1700000001"})
    check(rep["totals"]["outputs_written"] == 10, f"--force: {rep['totals']}")

    # A damaged state file only costs a rebuild.
    with open(os.path.join(out, ".galley-state.json"), "w") as f:
        f.write("{ not json")
    rep = batch("--paper", "a5", env={"SOURCE_DATE_EPOCH": "1700000001"})
    check(rep["totals"]["converted"] == 5, f"after a damaged state: {rep['totals']}")
    check(temp_files(out) == [], "temporary files left behind")


if __name__ == "__main__":
    sys.exit(main(test))
