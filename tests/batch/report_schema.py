#!/usr/bin/env python3
"""The --report JSON of batch and build runs (clean, failed, up to date,
sharded, interrupted) validates against tests/batch/report.schema.json, and
its totals agree with its entries."""
import json, os, signal, subprocess, sys, time
from common import *

try:
    import jsonschema
except ImportError:  # pragma: no cover
    jsonschema = None


def validate(rep, schema, what):
    if jsonschema is not None:
        try:
            jsonschema.validate(rep, schema, cls=jsonschema.Draft202012Validator)
        except jsonschema.ValidationError as e:
            raise Failure(f"{what}: {e.message} at {list(e.absolute_path)}")
    t = rep["totals"]
    st = [e["status"] for e in rep["inputs"]]
    check(t["inputs"] == len(st), f"{what}: totals.inputs")
    for key, status in (("converted", "converted"), ("up_to_date", "up-to-date"), ("failed", "failed"), ("not_run", "not-run")):
        check(t[key] == st.count(status), f"{what}: totals.{key} = {t[key]}, entries say {st.count(status)}")
    written = sum(1 for e in rep["inputs"] for o in e["outputs"] if o["status"] == "written")
    check(t["outputs_written"] == written, f"{what}: totals.outputs_written")
    for e in rep["inputs"]:
        check((e["exit_code"] != 0) == (e["status"] == "failed"), f"{what}: exit_code of {e['name']}")


def test(galley, tests_dir, work):
    schema = json.load(open(os.path.join(tests_dir, "batch", "report.schema.json")))
    if jsonschema is not None:
        jsonschema.Draft202012Validator.check_schema(schema)
    else:
        print("python3-jsonschema is missing: checking totals only")
    src = os.path.join(work, "in")
    corpus(src, tests_dir, 6, corrupt={2}, folders=2)
    rp = os.path.join(work, "r.json")
    cases = [
        ("batch with a failure", ["batch", src, "--out-dir", "out", "--report", rp, "--to", "epub,pdf"], 1),
        ("batch up to date", ["batch", src, "--out-dir", "out", "--report", rp, "--to", "epub,pdf", "-v"], 1),
        ("batch sharded", ["batch", src, "--out-dir", "out2", "--report", rp, "--to", "epub", "--shard", "2/2"], None),
    ]
    for what, args, want in cases:
        r = run(galley, args + ["-q"], cwd=work)
        check(want is None or r.returncode == want, f"{what}: exit {r.returncode}")
        validate(report(rp), schema, what)
    rep = report(rp)
    check(rep["shard"] == "2/2", "shard missing from the report")

    # build
    with open(os.path.join(work, "book.toml"), "w") as f:
        f.write('title = "Book"\ninterviews = ["in/part-1/*.txt"]\n[output]\nformats = ["epub"]\n')
    r = run(galley, ["build", "--report", rp, "-q"], cwd=work)
    check(r.returncode == 0, f"build exited {r.returncode}: {r.stderr}")
    validate(report(rp), schema, "build")
    check(report(rp)["command"] == "build", "command is not build")

    # interrupted: entries not run are in the report as not-run
    many = os.path.join(work, "many")
    corpus(many, tests_dir, 40, folders=1)
    e = dict(os.environ)
    e.update(EPOCH)
    p = subprocess.Popen([galley, "batch", many, "--out-dir", "out3", "--report", rp, "-j", "1", "-q"], cwd=work, env=e,
                         stderr=subprocess.DEVNULL)
    time.sleep(0.4)
    p.send_signal(signal.SIGINT)
    p.wait()
    if p.returncode == 130:
        rep = report(rp)
        validate(rep, schema, "interrupted")
        check(rep["interrupted"] and rep["totals"]["not_run"] > 0, "interrupted run: not flagged")
    else:
        check(p.returncode == 0, f"SIGINT: exit {p.returncode}")


if __name__ == "__main__":
    sys.exit(main(test))
