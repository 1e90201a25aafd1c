"""Shared helpers of the EPUB validation tests (tests/epub/*.py).

Every driver takes the galley executable as its first argument and works in
a fresh temporary folder. A driver exits 0 when the check holds, 1 when it
does not, and SKIP (77, the tests' SKIP_RETURN_CODE) only when a tool it
needs is genuinely missing and cannot be installed.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(ROOT, "tests", "data", "ambrazevich-interview.txt")
COVER = os.path.join(ROOT, "tests", "unit", "epub", "data", "cover.jpg")
GOLDEN = os.path.join(ROOT, "tests", "golden", "inputs")
EPOCH = "1700000000"


def log(*args):
    print(*args, flush=True)


def skip(why):
    log(f"SKIP: {why}")
    sys.exit(SKIP)


def fail(why):
    log(f"FAIL: {why}")
    sys.exit(1)


def require_epubcheck(jar):
    """The java executable, or a skip when java or the epubcheck jar is missing."""
    java = shutil.which("java")
    if not java or not os.path.isfile(jar):
        skip("java or epubcheck is not installed (tools/install-deps installs default-jre-headless and epubcheck)")
    return java


def workdir(name):
    """A fresh temporary folder, removed at exit unless GALLEY_KEEP_TEMP is set."""
    d = tempfile.mkdtemp(prefix=f"galley-epub-{name}-")
    if not os.environ.get("GALLEY_KEEP_TEMP"):
        import atexit
        atexit.register(shutil.rmtree, d, True)
    else:
        log(f"keeping {d}")
    return d


def golden_inputs():
    files = sorted(glob.glob(os.path.join(GOLDEN, "*.txt")) + glob.glob(os.path.join(GOLDEN, "*.md")))
    if len(files) < 20:
        fail(f"expected the golden inputs in {GOLDEN}, found {len(files)}")
    return files


_IMAGE_REF = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def staged(paths, folder, together=False):
    """PATHS, with each input whose Markdown images are missing beside it (the
    golden inputs name images that are not in the repository) copied into
    FOLDER with stand-in pictures from tests/unit/epub/data, so galley can
    convert it. Inputs that need nothing are returned as they are, unless
    TOGETHER: then every input is copied into one folder (galley resolves the
    images of a several-input book against the first input's folder)."""
    out = []
    data = os.path.join(ROOT, "tests", "unit", "epub", "data")
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            text = f.read()
        refs = [r for r in _IMAGE_REF.findall(text) if "://" not in r and not os.path.isabs(r)]
        missing = [r for r in refs if not os.path.exists(os.path.join(os.path.dirname(p), r))]
        if not missing and not together:
            out.append(p)
            continue
        d = os.path.join(folder, "staged-together" if together else "staged-" + os.path.splitext(os.path.basename(p))[0])
        os.makedirs(d, exist_ok=True)
        shutil.copy(p, d)
        for r in refs:
            dst = os.path.join(d, r)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            src = os.path.join(os.path.dirname(p), r)
            if r in missing:
                src = os.path.join(data, "figure.png" if r.lower().endswith(".png") else "figure.jpg")
            shutil.copy(src, dst)
        out.append(os.path.join(d, os.path.basename(p)))
    return out


def run(cmd, env=None, timeout=600, check=True, cwd=None):
    """Runs a command, returns the CompletedProcess; fails the test on a bad exit when check."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, env=full_env, timeout=timeout, cwd=cwd)
    r.seconds = time.monotonic() - t0
    if check and r.returncode != 0:
        log(f"command failed with exit code {r.returncode}: {' '.join(cmd)}")
        log("--- stdout ---\n" + r.stdout.decode("utf-8", "replace")[-4000:])
        log("--- stderr ---\n" + r.stderr.decode("utf-8", "replace")[-4000:])
        fail(f"{os.path.basename(cmd[0])} failed")
    return r


def convert(galley, inputs, out, *options, epoch=EPOCH):
    """galley convert INPUTS -o OUT OPTIONS with a fixed SOURCE_DATE_EPOCH; returns OUT."""
    run([galley, "convert", *inputs, "-o", out, *options], env={"SOURCE_DATE_EPOCH": epoch})
    if not os.path.isfile(out):
        fail(f"galley wrote no {out}")
    return out


def fifty_inputs(folder, count=50):
    """COUNT copies of the sample, each with its own headline (and breadcrumb) line."""
    with open(SAMPLE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    # Line 1 is the breadcrumb "Portada | Europa | HEADLINE", line 3 the headline.
    headline = lines[2]
    if not headline.startswith("Yuri Ambrazevich") or headline not in lines[0]:
        fail("the sample's headline is no longer on line 3: update fifty_inputs()")
    paths = []
    for i in range(1, count + 1):
        title = f"Interview {i:02d} of {count}: Yuri Ambrazevich on Belarus, part {i}"
        copy = list(lines)
        copy[0] = lines[0].replace(headline, title)
        copy[2] = title
        p = os.path.join(folder, f"interview-{i:02d}.txt")
        with open(p, "w", encoding="utf-8") as f:
            f.write("\n".join(copy))
        paths.append(p)
    return paths


def tree(galley, path):
    r = run([galley, "tree", "--json", path])
    return json.loads(r.stdout.decode("utf-8"))


# ---- words ---------------------------------------------------------------

# galley smartens punctuation (quotes, dashes, ellipses) and may join words
# with no-break spaces; readers may give any of these back in either form.
_TYPO = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}
_TYPO_TABLE = str.maketrans(_TYPO)
_WORD = re.compile(r"\w+")


def normalize(text):
    return unicodedata.normalize("NFC", text).translate(_TYPO_TABLE).casefold()


def words(text):
    """The words of TEXT after normalising typography: letters and digits only, case-folded."""
    return _WORD.findall(normalize(text))


def tree_texts(doc):
    """Every text a reader must give back, in reading order: per article its title,
    subtitle and the texts of its lead, paragraphs, headings, questions and
    answers (their paragraphs), quotes, notes, related lines and figure captions."""
    out = []

    def block(b):
        t = b.get("type")
        if t == "figure":
            for k in ("caption", "credit"):
                if b.get(k):
                    out.append((f"figure {k} (line {b.get('line')})", b[k]))
        elif t == "related":
            if b.get("marker"):
                out.append((f"related marker (line {b.get('line')})", b["marker"]))
            if b.get("text"):
                out.append((f"related (line {b.get('line')})", b["text"]))
        elif b.get("text"):
            out.append((f"{t} (line {b.get('line')})", b["text"]))
        for child in b.get("blocks", []):
            block(child)

    for a in doc.get("articles", []):
        if a.get("title"):
            out.append(("article title", a["title"]))
        if a.get("subtitle"):
            out.append(("article subtitle", a["subtitle"]))
        for b in a.get("blocks", []):
            block(b)
    return out


def missing_in_order(expected, got):
    """Checks that EXPECTED (list of (source, word)) is a subsequence of GOT (list
    of words). Returns None when it is, else a description of the first word
    that cannot be matched in order, with context."""
    j = 0
    n = len(got)
    for i, (src, w) in enumerate(expected):
        k = j
        while k < n and got[k] != w:
            k += 1
        if k == n:
            before = " ".join(x for _, x in expected[max(0, i - 8):i])
            after = " ".join(x for _, x in expected[i + 1:i + 6])
            where = "reordered (it appears earlier)" if w in got[:j] else "missing"
            ctx = " ".join(got[max(0, j - 10):j + 10])
            return (f"word {i + 1} of {len(expected)}, {w!r} from {src}, is {where}\n"
                    f"  expected: ... {before} [{w}] {after} ...\n"
                    f"  reader, at the last matched word: ... {ctx} ...")
        j = k + 1
    return None


def expected_words(doc):
    exp = []
    for src, text in tree_texts(doc):
        exp += [(src, w) for w in words(text)]
    return exp


def expected_blocks(doc):
    """The tree's texts as (source, [words]) runs, empty ones left out."""
    return [(src, ws) for src, text in tree_texts(doc) for ws in [words(text)] if ws]


def block_not_contiguous(blocks, got):
    """Stricter than missing_in_order: each text's words must appear as one
    unbroken run, the runs in the tree's order. (A contents entry or excerpt
    before the body cannot then stand in for words the body lost.) Returns
    None, or a description of the first run that cannot be found."""
    pos = 0
    for src, ws in blocks:
        n, first = len(ws), ws[0]
        k = pos
        found = -1
        while True:
            try:
                k = got.index(first, k)
            except ValueError:
                break
            if got[k:k + n] == ws:
                found = k
                break
            k += 1
        if found < 0:
            # The longest prefix of the run that does occur, for the message.
            best, at = 0, pos
            for k in range(pos, len(got)):
                m = 0
                while m < n and k + m < len(got) and got[k + m] == ws[m]:
                    m += 1
                if m > best:
                    best, at = m, k
            ctx = " ".join(got[at:at + best + 6])
            return (f"the {n} words of {src} are not one run in the reader's text after word {pos}: "
                    f"at best the first {best} match, then the reader has ... {ctx} ...\n"
                    f"  expected: {' '.join(ws[max(0, best - 5):best + 6])}")
        pos = found + n
    return None
