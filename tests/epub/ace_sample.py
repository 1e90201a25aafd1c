#!/usr/bin/env python3
"""Ace by DAISY reports no violations on the sample, in both styles.

    ace_sample.py GALLEY ACE_PREFIX

Converts the sample in the classic style (with a cover) and in the magazine
style (initials as labels) and runs tests/epub/ace-check on both, which
installs @daisy/ace into ACE_PREFIX with npm the first time and runs it with
the system Chromium. Requires 0 violations, 0 missing schema.org
accessibility metadata, an overall "pass" and a report that covers every
content document of the spine. A control copy of the sample whose article
has lost its language must be reported with violations, so an Ace that
checks nothing cannot pass.

Skips (77) only when Ace or Chromium cannot be installed (ace-check exit 3).
"""
import json
import os
import re
import sys
import zipfile

import epubtest as T


def lose_language(src, dst):
    """SRC with lang and xml:lang removed from the article's <html>: a WCAG violation."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if re.search(r"/a\d+\.xhtml$", info.filename):
                text = data.decode("utf-8")
                new = re.sub(r'(<html\b[^>]*?)\s+lang="[^"]*"', r"\1", text, count=1)
                new = re.sub(r'(<html\b[^>]*?)\s+xml:lang="[^"]*"', r"\1", new, count=1)
                if new == text:
                    T.fail(f"cannot make the control: no lang on <html> in {info.filename}")
                data = new.encode("utf-8")
            zout.writestr(info, data)
    return dst


def spine_documents(epub):
    with zipfile.ZipFile(epub) as z:
        opf_name = next(n for n in z.namelist() if n.endswith(".opf"))
        opf = z.read(opf_name).decode("utf-8")
    hrefs = dict(re.findall(r'<item\b[^>]*\bid="([^"]+)"[^>]*\bhref="([^"]+)"', opf))
    hrefs.update({i: h for h, i in re.findall(r'<item\b[^>]*\bhref="([^"]+)"[^>]*\bid="([^"]+)"', opf)})
    return [os.path.basename(hrefs[i]) for i in re.findall(r'<itemref\b[^>]*\bidref="([^"]+)"', opf)]


def ace(prefix, reports, epubs):
    env = {"ACE_PREFIX": prefix}
    if os.path.exists("/usr/bin/chromium") and "PUPPETEER_EXECUTABLE_PATH" not in os.environ:
        env["PUPPETEER_EXECUTABLE_PATH"] = "/usr/bin/chromium"
    r = T.run([os.path.join(T.HERE, "ace-check"), "-o", reports, *epubs], env=env, timeout=1700, check=False)
    out = r.stdout.decode("utf-8", "replace")
    err = r.stderr.decode("utf-8", "replace")
    T.log(out.rstrip())
    if r.returncode == 3:
        T.log(err[-3000:])
        T.skip("Ace by DAISY or Chromium cannot be installed here: " + (err.strip().splitlines() or ["?"])[-1])
    if r.returncode not in (0, 1):
        T.log(err[-5000:])
        T.fail(f"ace-check failed with exit code {r.returncode}")
    return r


def main():
    galley, prefix = sys.argv[1], os.path.abspath(sys.argv[2])
    work = T.workdir("ace")
    books = [
        T.convert(galley, [T.SAMPLE], os.path.join(work, "sample-classic-cover.epub"), "--style", "classic", "--cover", T.COVER),
        T.convert(galley, [T.SAMPLE], os.path.join(work, "sample-magazine-initials.epub"), "--style", "magazine", "--labels", "initials"),
    ]
    reports = os.path.join(work, "reports")
    r = ace(prefix, reports, books)
    T.log(f"Ace checked {len(books)} EPUBs in {r.seconds:.1f} s (exit status {r.returncode})")
    problems = []
    if r.returncode != 0:
        problems.append("ace-check reports violations")
    for b in books:
        name = os.path.splitext(os.path.basename(b))[0]
        path = os.path.join(reports, name, "report.json")
        if not os.path.isfile(path):
            problems.append(f"{name}: no Ace report")
            continue
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
        outcome = rep.get("earl:result", {}).get("earl:outcome")
        checked = {os.path.basename(d.get("earl:testSubject", {}).get("url", "")) for d in rep.get("assertions", [])}
        fails = sum(1 for d in rep.get("assertions", []) for a in d.get("assertions", [])
                    if a.get("earl:result", {}).get("earl:outcome") == "fail")
        missing = [m for m in rep.get("a11y-metadata", {}).get("missing", []) if m.startswith("schema:")]
        unchecked = [d for d in spine_documents(b) if d not in checked]
        T.log(f"{name}: outcome {outcome}, {fails} violations, documents checked: {sorted(checked)}")
        if outcome != "pass":
            problems.append(f"{name}: Ace's overall outcome is {outcome!r}")
        if fails:
            problems.append(f"{name}: {fails} violations")
        if missing:
            problems.append(f"{name}: missing accessibility metadata {missing}")
        if unchecked:
            problems.append(f"{name}: Ace did not check {unchecked}")

    control = lose_language(books[0], os.path.join(work, "control-no-lang.epub"))
    rc = ace(prefix, os.path.join(work, "control-reports"), [control])
    if rc.returncode != 1:
        problems.append("the control EPUB without a language passed Ace: the check is not checking")
    else:
        T.log("ok   control (article without lang) rejected as expected")
    if problems:
        for p in problems:
            T.log("FAIL " + p)
        T.fail("Ace by DAISY finds problems")
    T.log("ok   Ace by DAISY: no violations in the sample, both styles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
