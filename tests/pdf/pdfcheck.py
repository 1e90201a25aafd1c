"""Checks shared by the PDF tests (tests/pdf/pdf_test.py).

Python 3 standard library only, plus poppler-utils (pdftotext, pdffonts,
pdfinfo) and qpdf on PATH.
"""
import json
import os
import re
import subprocess
import sys
import unicodedata

GALLEY_TIMEOUT = 60   # seconds; a hang fails the test
TOOL_TIMEOUT = 60


class Failure(Exception):
    pass


def run(cmd, timeout=TOOL_TIMEOUT, env=None, cwd=None):
    """Runs cmd; returns CompletedProcess with text stdout/stderr. A timeout is a failure."""
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise Failure(f"timed out after {timeout} s (a hang): {' '.join(cmd)}")
    r.stdout_text = r.stdout.decode("utf-8", "replace")
    r.stderr_text = r.stderr.decode("utf-8", "replace")
    return r


def galley(galley_exe, args, env=None, cwd=None, timeout=GALLEY_TIMEOUT):
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    if env:
        e.update(env)
    return run([galley_exe] + args, timeout=timeout, env=e, cwd=cwd)


# --- validity of a PDF ------------------------------------------------------

def check_qpdf(pdf):
    r = run(["qpdf", "--check", pdf])
    out = r.stdout_text + r.stderr_text
    if r.returncode != 0:
        raise Failure(f"qpdf --check exit {r.returncode}:\n{out}")
    bad = [l for l in out.splitlines() if re.search(r"warning|error", l, re.I)
           and "No syntax or stream encoding errors" not in l
           and "errors that qpdf cannot detect" not in l]
    if bad:
        raise Failure("qpdf --check reports:\n" + "\n".join(bad))


def check_fonts(pdf):
    """Every font embedded, subset and with a ToUnicode map; returns the font names."""
    r = run(["pdffonts", pdf])
    if r.returncode != 0 or r.stderr_text.strip():
        raise Failure(f"pdffonts exit {r.returncode}: {r.stderr_text}")
    lines = r.stdout_text.splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("----")) + 1
    except StopIteration:
        raise Failure("pdffonts printed no table:\n" + r.stdout_text)
    names, bad = [], []
    for l in lines[start:]:
        if not l.strip():
            continue
        f = l.split()
        emb, sub, uni = f[-5], f[-4], f[-3]
        names.append(f[0])
        if (emb, sub, uni) != ("yes", "yes", "yes"):
            bad.append(l)
    if not names:
        raise Failure("the PDF has no fonts")
    if bad:
        raise Failure("fonts not embedded+subset+unicode:\n" + "\n".join(bad))
    return names


def pdf_text(pdf, extra=()):
    r = run(["pdftotext", "-enc", "UTF-8", *extra, pdf, "-"])
    if r.returncode != 0:
        raise Failure(f"pdftotext exit {r.returncode}: {r.stderr_text}")
    if r.stderr_text.strip():
        raise Failure("pdftotext wrote on stderr:\n" + r.stderr_text[:2000])
    return r.stdout_text


def pdf_info(pdf):
    r = run(["pdfinfo", "-isodates", pdf])
    if r.returncode != 0:
        raise Failure(f"pdfinfo exit {r.returncode}: {r.stderr_text}")
    info = {}
    for l in r.stdout_text.splitlines():
        k, _, v = l.partition(":")
        info[k.strip()] = v.strip()
    return info


# --- words of the interview -------------------------------------------------

TEXT_BLOCKS = {"lead", "paragraph", "question", "answer", "related", "quote", "note", "heading"}


def tree_texts(galley_exe, inp, extra_args=()):
    """Texts of every block a reader must find in the PDF, in document order."""
    r = galley(galley_exe, ["tree", "--json", *extra_args, inp])
    if r.returncode != 0:
        raise Failure(f"galley tree exit {r.returncode}: {r.stderr_text}")
    doc = json.loads(r.stdout_text)
    texts = []

    def walk(blocks):
        for b in blocks:
            t = b.get("type")
            if t == "figure":
                for k in ("caption", "credit"):
                    if b.get(k):
                        texts.append(b[k])
            elif t in TEXT_BLOCKS and b.get("text"):
                texts.append(b["text"])
            walk(b.get("blocks", []))

    for a in doc.get("articles", []):
        walk(a.get("blocks", []))
    return texts


DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
          "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
          "\u2039": "'", "\u203a": "'"}


def normalise(s):
    s = unicodedata.normalize("NFKC", s)   # ligatures, NBSP, ellipsis, thin spaces
    for d in DASHES:
        s = s.replace(d, "-")
    for q, r in QUOTES.items():
        s = s.replace(q, r)
    return s


def words(s, pdf=False):
    """Words for comparison. Hyphens between letters are dropped on both sides,
    so 'Post-Soviet' == 'PostSoviet'; in the PDF a line ending 'diplo-' joined
    to 'macy' gives 'diplomacy', the way a reader rejoins a hyphenated word."""
    s = normalise(s)
    if pdf:
        s = re.sub(r"(\w)-+[ \t]*\n\s*(\w)", r"\1\2", s)
    s = re.sub(r"(\w)-+(\w)", r"\1\2", s)
    s = re.sub(r"(\w)-+(\w)", r"\1\2", s)   # 'a-b-c'
    return [w.casefold() for w in re.findall(r"\w+", s)]


FOLIO = re.compile(r"^(\d+|[ivxlcdm]+)$", re.I)


def body_text(pdf, margin_frac=0.12):
    """The PDF's text as a reader follows it: lines in pdftotext's reading
    order, without running heads and folios, so a word hyphenated across a
    page break is rejoined too. Furniture is a one-line block in the top or
    bottom margin_frac of a page that is a page number, or ends in an
    ellipsis (a shortened head), or recurs at the same height on another
    page. Anything else is kept: keeping furniture costs nothing but a
    rejoined word across a page break, dropping body text fails the test."""
    import xml.etree.ElementTree as ET
    x = pdf_text(pdf, ["-bbox-layout"])
    root = ET.fromstring(x)
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for p in root.iter(ns + "page"):
        H = float(p.get("height"))
        blocks = []
        for b in p.iter(ns + "block"):
            lines = [(float(l.get("yMin")), float(l.get("yMax")),
                      " ".join((w.text or "") for w in l.iter(ns + "word"))) for l in b.iter(ns + "line")]
            edge = len(lines) == 1 and (lines[0][1] < H * margin_frac or lines[0][0] > H * (1 - margin_frac))
            blocks.append((edge, lines))
        pages.append(blocks)
    seen = {}
    for no, p in enumerate(pages):
        for edge, lines in p:
            if edge:
                seen.setdefault((lines[0][2], round(lines[0][0])), set()).add(no)
    out = []
    for p in pages:
        for edge, lines in p:
            if edge:
                y0, _, text = lines[0]
                t = text.strip()
                if FOLIO.match(t) or t.endswith("\u2026") or len(seen.get((text, round(y0)), ())) > 1:
                    continue
            out.extend(l[2] for l in lines)
    return "\n".join(out)


def check_words_in_order(expected_texts, pdf_txt):
    """Every expected word appears in the PDF text, in order (a subsequence).
    A PDF word equal to two expected words run together also matches them:
    a source hyphen followed by a space ('themselves- as') that lands at a
    line end reads as a hyphenated word."""
    exp = []
    for t in expected_texts:
        exp.extend(words(t))
    got = words(pdf_txt, pdf=True)
    i = j = 0
    while i < len(exp):
        w = exp[i]
        two = w + exp[i + 1] if i + 1 < len(exp) else None
        while j < len(got) and got[j] != w and got[j] != two:
            j += 1
        if j == len(got):
            ctx = " ".join(exp[max(0, i - 8):i + 8])
            raise Failure(f"word {i + 1} of {len(exp)} ({w!r}) not found in order in the PDF text;"
                          f" expected context: ...{ctx}...")
        i += 2 if got[j] == two and got[j] != w else 1
        j += 1
    return len(exp)


# --- the spacing metric -----------------------------------------------------

def metric_path(source_dir):
    p = os.path.normpath(os.path.join(source_dir, "..", "shared", "tools", "pdf_spacing_metric.py"))
    return p if os.path.exists(p) else None


def spacing_metric(script, pdf, first=None):
    r = run([sys.executable, script, "--json", pdf] + (["--first", str(first)] if first else []), timeout=120)
    if r.returncode != 0:
        raise Failure(f"pdf_spacing_metric exit {r.returncode}: {r.stderr_text}")
    return json.loads(r.stdout_text)


def no_leftovers(folder, allowed):
    """No partial or temporary files beside the target."""
    extra = sorted(set(os.listdir(folder)) - set(allowed))
    if extra:
        raise Failure(f"files left behind in {folder}: {extra}")
