#!/usr/bin/env python3
"""Killing a batch at any moment leaves no truncated output: every .epub and
.pdf present is byte-identical to a clean run's, the state file is valid
JSON, and the next run completes the set and removes stale temporary files.
SIGTERM stops gracefully (in-flight outputs finish, exit 143)."""
import json, os, random, signal, subprocess, sys, time
from common import *


def verify(out, ref, what):
    for p in outputs(out):
        check(same(os.path.join(out, p), os.path.join(ref, p)), f"{what}: {p} is not the complete output")
    state = os.path.join(out, ".galley-state.json")
    if os.path.exists(state):
        try:
            json.load(open(state))
        except ValueError as e:
            raise Failure(f"{what}: the state file is damaged: {e}")


def start(galley, src, out):
    e = dict(os.environ)
    e.update(EPOCH)
    return subprocess.Popen([galley, "batch", src, "--out-dir", out, "-j", "2", "-q"], env=e,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test(galley, tests_dir, work):
    src, ref, out = (os.path.join(work, d) for d in ("in", "ref", "out"))
    corpus(src, tests_dir, 16, folders=2)
    t = time.monotonic()
    r = run(galley, ["batch", src, "--out-dir", ref, "-j", "2", "-q"])
    full = time.monotonic() - t
    check(r.returncode == 0, f"reference run exited {r.returncode}")
    rng = random.Random(7)
    for round in range(4):
        p = start(galley, src, out)
        time.sleep(rng.uniform(0.05, max(0.1, full * 0.8)))
        p.send_signal(signal.SIGKILL)
        p.wait()
        verify(out, ref, f"SIGKILL round {round}")
    p = start(galley, src, out)
    time.sleep(min(0.3, full / 3))
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate()
    check(p.returncode in (0, 143), f"SIGTERM: exit {p.returncode}: {err[-500:]}")
    verify(out, ref, "SIGTERM")
    check(temp_files(out) == [], f"SIGTERM left temporary files: {temp_files(out)}")
    r = run(galley, ["batch", src, "--out-dir", out, "-j", "2", "-q"])
    check(r.returncode == 0, f"the run after the kills exited {r.returncode}")
    check(outputs(out) == outputs(ref), "the run after the kills did not complete the set")
    verify(out, ref, "after the kills")
    check(temp_files(out) == [], f"temporary files left: {temp_files(out)}")


if __name__ == "__main__":
    sys.exit(main(test))
