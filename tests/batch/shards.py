#!/usr/bin/env python3
"""Shards: --shard K/N for every K together convert exactly the full set,
each input once, byte for byte the same as one unsharded run (run with
another -j); --shard auto reads CI_NODE_INDEX/CI_NODE_TOTAL; the split is
stable when inputs are added."""
import os, sys
from common import *

N = 3


def names(rep):
    return {e["name"] for e in rep["inputs"]}


def test(galley, tests_dir, work):
    src = os.path.join(work, "in")
    corpus(src, tests_dir, 36, folders=5)
    full = os.path.join(work, "full")
    r = run(galley, ["batch", src, "--out-dir", full, "--to", "epub", "-j", "1", "-q"])
    check(r.returncode == 0, f"full run exited {r.returncode}: {r.stderr[-1000:]}")
    # Two PDFs in the full set too: a smaller second corpus keeps the test quick.
    pdf_src = os.path.join(work, "pdf-in")
    corpus(pdf_src, tests_dir, 4, folders=2)
    r = run(galley, ["batch", pdf_src, "--out-dir", os.path.join(work, "pdf-full"), "--to", "pdf", "-j", "1", "-q"])
    check(r.returncode == 0, f"full PDF run exited {r.returncode}")

    union, seen = {}, {}
    for k in range(1, N + 1):
        out = os.path.join(work, f"shard-{k}")
        rep_path = os.path.join(work, f"shard-{k}.json")
        r = run(galley, ["batch", src, "--out-dir", out, "--to", "epub", "-j", "2", "--shard", f"{k}/{N}",
                         "--report", rep_path, "-q"])
        check(r.returncode == 0, f"shard {k} exited {r.returncode}")
        rep = report(rep_path)
        check(rep["shard"] == f"{k}/{N}", f"shard in report: {rep['shard']}")
        for n in names(rep):
            check(n not in seen, f"{n} is in shards {seen.get(n)} and {k}")
            seen[n] = k
        for p in outputs(out):
            check(p not in union, f"{p} made by two shards")
            union[p] = os.path.join(out, p)
        # GitLab's parallel: the same shard through --shard auto.
        auto = os.path.join(work, f"auto-{k}")
        r = run(galley, ["batch", src, "--out-dir", auto, "--to", "epub", "--shard", "auto", "-q"],
                env={"CI_NODE_INDEX": str(k), "CI_NODE_TOTAL": str(N)})
        check(r.returncode == 0 and outputs(auto) == outputs(out), f"--shard auto {k}/{N} differs from --shard {k}/{N}")
    check(sorted(union) == outputs(full), f"the shards made {len(union)} outputs, the full run {len(outputs(full))}")
    for p, path in union.items():
        check(same(path, os.path.join(full, p)), f"{p} differs between its shard and the full run")
    sizes = sorted({k: list(seen.values()).count(k) for k in range(1, N + 1)}.values())
    check(sizes[0] > 0, f"an empty shard among {sizes}")
    print(f"36 inputs in {N} shards of {sizes}")

    for k in range(1, 3):
        out = os.path.join(work, f"pdf-shard-{k}")
        r = run(galley, ["batch", pdf_src, "--out-dir", out, "--to", "pdf", "--shard", f"{k}/2", "-q"])
        check(r.returncode == 0, f"PDF shard {k} exited {r.returncode}")
        for p in outputs(out):
            check(same(os.path.join(out, p), os.path.join(work, "pdf-full", p)), f"PDF {p} differs in shard {k}")

    # Stable under adding files: new inputs never move old ones.
    corpus_more = os.path.join(src, "extra")
    text = sample_text(tests_dir)
    for i in range(10):
        write_copy(os.path.join(corpus_more, f"new-{i}.txt"), text, f"New {i}")
    for k in range(1, N + 1):
        rep_path = os.path.join(work, f"again-{k}.json")
        r = run(galley, ["batch", src, "--out-dir", os.path.join(work, f"again-{k}"), "--to", "epub", "--shard",
                         f"{k}/{N}", "--report", rep_path, "-q"])
        check(r.returncode == 0, f"shard {k} with more inputs exited {r.returncode}")
        old = {n for n in names(report(rep_path)) if not n.startswith("extra/")}
        check(old == {n for n, s in seen.items() if s == k}, f"adding inputs moved inputs in or out of shard {k}")


if __name__ == "__main__":
    sys.exit(main(test))
