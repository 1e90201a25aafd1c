#!/usr/bin/env python3
"""epubcheck's command line on the sample, as a user runs it.

    epubcheck_cli.py GALLEY [--jar EPUBCHECK_JAR]

Converts the sample (classic style, with a cover) and runs
`java -jar epubcheck.jar book.epub --json report.json`; parses the JSON
report and requires 0 FATAL, ERROR and WARNING messages, agreeing with the
report's own counts (checker.nFatal, nError, nWarning) and the exit status.
The many-books check (epubcheck_books.py) uses epubcheck's API in one JVM;
this one keeps the command line itself honest.
"""
import argparse
import json
import os
import sys

import epubtest as T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("galley")
    ap.add_argument("--jar", default="/usr/share/java/epubcheck.jar")
    args = ap.parse_args()
    java = T.require_epubcheck(args.jar)
    work = T.workdir("epubcheck-cli")
    epub = T.convert(args.galley, [T.SAMPLE], os.path.join(work, "sample.epub"), "--style", "classic", "--cover", T.COVER)
    report = os.path.join(work, "sample.json")
    r = T.run([java, "-jar", args.jar, epub, "--json", report], timeout=500, check=False)
    T.log(f"epubcheck took {r.seconds:.1f} s, exit status {r.returncode}")
    if not os.path.isfile(report):
        T.log(r.stdout.decode("utf-8", "replace")[-3000:] + r.stderr.decode("utf-8", "replace")[-3000:])
        T.fail("epubcheck wrote no JSON report")
    with open(report, encoding="utf-8") as f:
        d = json.load(f)
    msgs = d.get("messages", [])
    counts = {s: sum(1 for m in msgs if m.get("severity") == s) for s in ("FATAL", "ERROR", "WARNING", "USAGE")}
    checker = d.get("checker", {})
    T.log(f"epubcheck {checker.get('checkerVersion')}: {counts['FATAL']} fatal, {counts['ERROR']} errors, "
          f"{counts['WARNING']} warnings (report: {checker.get('nFatal')}/{checker.get('nError')}/{checker.get('nWarning')})")
    for m in msgs:
        if m.get("severity") in ("FATAL", "ERROR", "WARNING"):
            loc = (m.get("locations") or [{}])[0]
            T.log(f"    {m.get('severity')} {m.get('ID')} {loc.get('path')}:{loc.get('line')}: {m.get('message')}")
    if (counts["FATAL"], counts["ERROR"], counts["WARNING"]) != (checker.get("nFatal"), checker.get("nError"), checker.get("nWarning")):
        T.fail("the messages and the report's counts disagree")
    if counts["FATAL"] + counts["ERROR"] + counts["WARNING"] or r.returncode != 0:
        T.fail("epubcheck reports problems in the sample")
    version = str(d.get("publication", {}).get("ePubVersion"))
    if not version.startswith("3"):
        T.fail(f"epubcheck saw EPUB version {version!r}, expected EPUB 3")
    T.log("ok   sample: 0 fatal, 0 errors, 0 warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
