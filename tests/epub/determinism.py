#!/usr/bin/env python3
"""EPUB determinism.

    determinism.py GALLEY

For the sample (both styles, one with a cover) and a book of 50 interviews:
  - two runs with the same SOURCE_DATE_EPOCH give byte-identical files;
  - a run with another SOURCE_DATE_EPOCH changes only dcterms:modified: the
    same entries in the same order with the same compression and attributes,
    every entry's bytes identical except the package document, and that one
    differs only inside <meta property="dcterms:modified">, which holds the
    new date. The ZIP entries' own dates must either not change or be the
    SOURCE_DATE_EPOCH of each run (that is the book's date, not noise).
"""
import datetime
import hashlib
import os
import re
import sys
import zipfile

import epubtest as T

EPOCH_A = "1700000000"   # 2023-11-14T22:13:20Z
EPOCH_B = "1234567890"   # 2009-02-13T23:31:30Z
MODIFIED = re.compile(r'<meta property="dcterms:modified">([^<]*)</meta>')


def iso(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def compare_dates(name, a, b):
    """Returns the problems between A (made with EPOCH_A) and B (EPOCH_B)."""
    problems = []
    za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
    ia, ib = za.infolist(), zb.infolist()
    if [i.filename for i in ia] != [i.filename for i in ib]:
        return [f"{name}: the entries differ: {[i.filename for i in ia]} vs {[i.filename for i in ib]}"]
    opf = None
    for x, y in zip(ia, ib):
        for attr in ("compress_type", "external_attr", "internal_attr", "create_system", "flag_bits", "extra", "comment"):
            if getattr(x, attr) != getattr(y, attr):
                problems.append(f"{name}: {x.filename}: {attr} differs: {getattr(x, attr)!r} vs {getattr(y, attr)!r}")
        da, db = za.read(x.filename), zb.read(y.filename)
        if x.filename.endswith(".opf"):
            opf = (x.filename, da.decode("utf-8"), db.decode("utf-8"))
        elif da != db:
            problems.append(f"{name}: {x.filename} differs between the two dates")
    # ZIP entry dates: either the same in both files (a fixed date), or each
    # file's own SOURCE_DATE_EPOCH (the date the book claims, not noise).
    if [i.date_time for i in ia] != [i.date_time for i in ib]:
        for infos, epoch in ((ia, EPOCH_A), (ib, EPOCH_B)):
            t = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
            want = (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
            stamps = sorted({i.date_time for i in infos})
            if stamps != [want]:
                problems.append(f"{name}: ZIP entry dates change with SOURCE_DATE_EPOCH but {stamps} are not "
                                f"SOURCE_DATE_EPOCH {epoch} ({want})")
    if opf is None:
        return problems + [f"{name}: no package document"]
    path, ta, tb = opf
    ma, mb = MODIFIED.findall(ta), MODIFIED.findall(tb)
    if ma != [iso(EPOCH_A)] or mb != [iso(EPOCH_B)]:
        problems.append(f"{name}: dcterms:modified is {ma} and {mb}, expected [{iso(EPOCH_A)}] and [{iso(EPOCH_B)}]")
    rest_a, rest_b = MODIFIED.sub("MODIFIED", ta), MODIFIED.sub("MODIFIED", tb)
    if rest_a != rest_b:
        la, lb = rest_a.splitlines(), rest_b.splitlines()
        diff = [f"    - {p}\n    + {q}" for p, q in zip(la, lb) if p != q][:5]
        problems.append(f"{name}: {path} differs outside dcterms:modified:\n" + "\n".join(diff))
    return problems


def main():
    galley = sys.argv[1]
    work = T.workdir("determinism")
    os.makedirs(os.path.join(work, "fifty"))
    fifty = T.fifty_inputs(os.path.join(work, "fifty"))
    cases = [
        ("sample-classic-cover", [T.SAMPLE], ["--style", "classic", "--cover", T.COVER]),
        ("sample-magazine-initials", [T.SAMPLE], ["--style", "magazine", "--labels", "initials"]),
        ("book-50", fifty, []),
    ]
    problems = []
    for name, inputs, opts in cases:
        a1 = T.convert(galley, inputs, os.path.join(work, f"{name}-a1.epub"), *opts, epoch=EPOCH_A)
        a2 = T.convert(galley, inputs, os.path.join(work, f"{name}-a2.epub"), *opts, epoch=EPOCH_A)
        b = T.convert(galley, inputs, os.path.join(work, f"{name}-b.epub"), *opts, epoch=EPOCH_B)
        if sha(a1) != sha(a2):
            problems.append(f"{name}: two runs with SOURCE_DATE_EPOCH={EPOCH_A} differ "
                            f"({os.path.getsize(a1)} and {os.path.getsize(a2)} bytes)")
        else:
            T.log(f"ok   {name}: two runs byte-identical ({os.path.getsize(a1)} bytes, sha256 {sha(a1)[:16]})")
        p = compare_dates(name, a1, b)
        if p:
            problems += p
        else:
            T.log(f"ok   {name}: SOURCE_DATE_EPOCH {EPOCH_A} -> {EPOCH_B} changes only dcterms:modified "
                  f"(ZIP entry dates unchanged or the new date)")
    if problems:
        for p in problems:
            T.log("FAIL " + p)
        T.fail(f"{len(problems)} determinism problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
