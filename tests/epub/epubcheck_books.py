#!/usr/bin/env python3
"""epubcheck on every EPUB these tests make, in one JVM.

    epubcheck_books.py GALLEY [--jar EPUBCHECK_JAR]

Makes: the sample in the classic style with a cover, the sample in the
magazine style with initials as labels, and once more with speaker names and
a PNG cover; every golden input alone (styles
alternating), one book of all golden inputs, and a book of 50 interviews (50
copies of the sample, each with its own headline). Checks them all with
tests/epub/EpubcheckMany.java (epubcheck's public API, one JVM for every
file) and requires 0 fatal errors, 0 errors and 0 warnings for each.

Two spoilt copies of the sample are checked in the same run as controls: one
without its navigation document must draw errors, one with a file the
manifest does not declare must draw a warning, so a launcher that checks
nothing, or does not count warnings, cannot pass.
"""
import argparse
import json
import os
import sys
import time
import zipfile

import epubtest as T


def broken_copy(src, dst):
    """SRC without its navigation document: epubcheck must report errors."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename.endswith("nav.xhtml"):
                continue
            zout.writestr(info, zin.read(info.filename))
    return dst


def stray_copy(src, dst):
    """SRC with a file the manifest does not declare: epubcheck must warn (OPF-003)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("EPUB/stray.txt", "not in the manifest")
    return dst


def check_many(java, jar, files, work):
    """Runs the launcher on FILES; returns {file: result} and the seconds it took."""
    launcher = os.path.join(T.HERE, "EpubcheckMany.java")
    r = T.run([java, "-Xss4m", "-cp", jar, launcher, *files], timeout=1500, check=False)
    results = {}
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            results[d["file"]] = d
    if r.returncode not in (0, 1) or len(results) != len(files):
        T.log(r.stdout.decode("utf-8", "replace")[-3000:])
        T.log(r.stderr.decode("utf-8", "replace")[-3000:])
        T.fail(f"EpubcheckMany exited with {r.returncode} and reported {len(results)} of {len(files)} files")
    return results, r.seconds


def check_one_by_one(java, jar, files, work):
    """Fallback without a JDK: epubcheck's command line, one JVM per file (slow)."""
    T.log("no jdk.compiler: falling back to one epubcheck JVM per file (install default-jdk-headless)")
    results = {}
    t0 = time.monotonic()
    for f in files:
        out = os.path.join(work, os.path.basename(f) + ".json")
        T.run([java, "-jar", jar, f, "--json", out], timeout=600, check=False)
        if not os.path.isfile(out):
            results[f] = {"fatal": 1, "error": 0, "warning": 0, "messages": [{"severity": "FATAL", "id": "NOREPORT", "location": "", "message": "epubcheck wrote no JSON report"}]}
            continue
        d = json.load(open(out, encoding="utf-8"))
        ms = d.get("messages", [])
        count = lambda s: sum(1 for m in ms if m.get("severity") == s)
        results[f] = {"fatal": count("FATAL"), "error": count("ERROR"), "warning": count("WARNING"),
                      "messages": [{"severity": m.get("severity"), "id": m.get("ID"), "message": m.get("message"),
                                    "location": str((m.get("locations") or [{}])[0].get("path", ""))} for m in ms]}
    return results, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("galley")
    ap.add_argument("--jar", default="/usr/share/java/epubcheck.jar")
    args = ap.parse_args()
    java = T.require_epubcheck(args.jar)

    work = T.workdir("epubcheck")
    t0 = time.monotonic()
    books = []
    books.append(T.convert(args.galley, [T.SAMPLE], os.path.join(work, "sample-classic-cover.epub"),
                           "--style", "classic", "--cover", T.COVER))
    books.append(T.convert(args.galley, [T.SAMPLE], os.path.join(work, "sample-magazine-initials.epub"),
                           "--style", "magazine", "--labels", "initials"))
    books.append(T.convert(args.galley, [T.SAMPLE], os.path.join(work, "sample-magazine-names-pngcover.epub"),
                           "--style", "magazine", "--labels", "names",
                           "--cover", os.path.join(T.ROOT, "tests", "unit", "epub", "data", "figure.png")))
    golden = T.staged(T.golden_inputs(), work)
    for i, g in enumerate(golden):
        name = os.path.splitext(os.path.basename(g))[0]
        style = "classic" if i % 2 == 0 else "magazine"
        books.append(T.convert(args.galley, [g], os.path.join(work, f"golden-{name}.epub"), "--style", style))
    books.append(T.convert(args.galley, T.staged(T.golden_inputs(), work, together=True), os.path.join(work, "golden-all.epub"),
                           "--meta", "title=Every golden interview"))
    os.makedirs(os.path.join(work, "fifty"))
    fifty = T.fifty_inputs(os.path.join(work, "fifty"))
    books.append(T.convert(args.galley, fifty, os.path.join(work, "book-50.epub")))
    control = broken_copy(books[0], os.path.join(work, "control-broken-no-nav.epub"))
    control_warn = stray_copy(books[0], os.path.join(work, "control-stray-file.epub"))
    made = time.monotonic() - t0
    T.log(f"made {len(books)} EPUBs in {made:.1f} s")

    r = T.run([java, "--list-modules"], check=False)
    if b"jdk.compiler" in r.stdout:
        results, secs = check_many(java, args.jar, books + [control, control_warn], work)
    else:
        results, secs = check_one_by_one(java, args.jar, books + [control, control_warn], work)
    T.log(f"epubcheck checked {len(books) + 2} EPUBs in {secs:.1f} s")

    bad = 0
    for b in books:
        d = results[b]
        n = d["fatal"] + d["error"] + d["warning"]
        T.log(f"{'ok  ' if n == 0 else 'FAIL'} {os.path.basename(b)}: "
              f"{d['fatal']} fatal, {d['error']} errors, {d['warning']} warnings")
        if n:
            bad += 1
            for m in d["messages"]:
                T.log(f"    {m['severity']} {m['id']} {m['location']}: {m['message']}")
    c = results[control]
    if c["fatal"] + c["error"] == 0:
        T.fail("the control EPUB without a navigation document passed epubcheck: the check is not checking")
    T.log(f"ok   control (no nav.xhtml) rejected as expected: {c['fatal']} fatal, {c['error']} errors")
    c = results[control_warn]
    if c["warning"] == 0:
        T.fail("the control EPUB with an undeclared file drew no warning: warnings are not counted")
    T.log(f"ok   control (undeclared file) warned about as expected: {c['warning']} warnings")
    T.log(f"total {time.monotonic() - t0:.1f} s")
    if bad:
        T.fail(f"{bad} of {len(books)} EPUBs have epubcheck messages")
    T.log(f"all {len(books)} EPUBs pass epubcheck with 0 errors and 0 warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
