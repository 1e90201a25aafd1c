#!/usr/bin/env python3
"""Real readers give back every word of an interview, in order.

    reader_words.py GALLEY pandoc|calibre

For the sample and a few golden inputs (Cyrillic, Spanish dash dialogue,
Markdown with figures): takes the words of the input as galley's tree sees
them (`galley tree --json`: article titles, lead, paragraphs, questions and
answers, headings, quotes, notes, related lines, figure captions and
credits), converts the input to EPUB, extracts the book's text with a real
reader -- `pandoc -f epub -t plain` or Calibre's `ebook-convert book.epub
book.txt` -- and requires the tree's words to appear in the reader's text as
an in-order subsequence, after normalising typography (curly quotes, dashes,
ellipses, no-break and thin spaces, soft hyphens; case-folded). Labels such as
"Q:", the title page and the contents may add words; a missing or reordered
word fails the test. Stricter still, each text of the tree (a paragraph, a
caption...) must come back as one unbroken run of words, so that an excerpt
in the contents cannot stand in for words the body lost.
"""
import collections
import os
import shutil
import sys
import time

import epubtest as T


def inputs(work):
    g = lambda name: os.path.join(T.GOLDEN, name)
    wanted = [T.SAMPLE, g("ru-interview-cyrillic.txt"), g("es-dash-dialogue.txt"),
              g("es-pregunta-respuesta.txt"), g("en-md-bold-question-paragraphs.md")]
    for w in wanted:
        if not os.path.isfile(w):
            T.fail(f"missing input {w}")
    return T.staged(wanted, work)


def pandoc(epub, out):
    r = T.run(["pandoc", "-f", "epub", "-t", "plain", "--wrap=none", epub, "-o", out], timeout=300)
    return r.seconds


def calibre(epub, out):
    # EPUB to TXT needs neither a display nor Qt WebEngine (measured: it runs
    # as root without these); they are set so that a Calibre that does load
    # Qt stays headless and does not refuse to run as root.
    env = {"QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
           "CALIBRE_CONFIG_DIRECTORY": os.path.join(os.path.dirname(out), "calibre-config")}
    r = T.run(["ebook-convert", epub, out, "--txt-output-encoding=utf-8"], env=env, timeout=600)
    return r.seconds


READERS = {"pandoc": ("pandoc", pandoc), "calibre": ("ebook-convert", calibre)}


def self_check(name, expected, blocks):
    """The comparison itself must catch a dropped and a reordered word."""
    ws = [w for _, w in expected]
    counts = collections.Counter(ws)
    once = [i for i, w in enumerate(ws) if counts[w] == 1 and 0 < i < len(ws) - 1]
    if T.missing_in_order(expected, ws) is not None or not once:
        T.fail(f"{name}: the word comparison does not accept the tree's own words")
    i = once[len(once) // 2]
    dropped = ws[:i] + ws[i + 1:]
    moved = ws[:i] + [ws[i + 1], ws[i]] + ws[i + 2:] if ws[i + 1] not in ws[:i + 1] else None
    if T.missing_in_order(expected, dropped) is None:
        T.fail(f"{name}: the word comparison does not notice a dropped word")
    if T.block_not_contiguous(blocks, ws) is not None:
        T.fail(f"{name}: the run comparison does not accept the tree's own words")
    if T.block_not_contiguous(blocks, ws[:i] + ws[i + 1:]) is None:
        T.fail(f"{name}: the run comparison does not notice a dropped word")
    if moved is not None and T.missing_in_order(expected, moved) is None:
        T.fail(f"{name}: the word comparison does not notice two swapped words")


def main():
    galley, reader = sys.argv[1], sys.argv[2]
    exe, extract = READERS[reader]
    if not shutil.which(exe):
        T.skip(f"{exe} is not installed (tools/install-deps installs pandoc and calibre)")
    work = T.workdir(f"reader-{reader}")
    failures = 0
    t0 = time.monotonic()
    for i, src in enumerate(inputs(work)):
        name = os.path.splitext(os.path.basename(src))[0]
        opts = ["--style", "classic" if i % 2 == 0 else "magazine"]
        epub = T.convert(galley, [src], os.path.join(work, f"{name}.epub"), *opts)
        doc = T.tree(galley, src)
        expected = T.expected_words(doc)
        if len(expected) < 50:
            T.fail(f"{name}: only {len(expected)} words in the tree: is `galley tree --json` still giving texts?")
        self_check(name, expected, T.expected_blocks(doc))
        txt = os.path.join(work, f"{name}.txt")
        secs = extract(epub, txt)
        with open(txt, encoding="utf-8", errors="replace") as f:
            got = T.words(f.read())
        problem = T.missing_in_order(expected, got) or T.block_not_contiguous(T.expected_blocks(doc), got)
        if problem:
            failures += 1
            T.log(f"FAIL {name} ({reader}, {secs:.1f} s): {problem}")
        else:
            T.log(f"ok   {name} ({reader}, {secs:.1f} s): all {len(expected)} words of the tree in order, "
                  f"each text unbroken, among the reader's {len(got)}")
    T.log(f"total {time.monotonic() - t0:.1f} s")
    if failures:
        T.fail(f"{reader} lost or reordered words in {failures} books")
    return 0


if __name__ == "__main__":
    sys.exit(main())
