"""Helpers for the batch scenario tests: make corpora, run galley, compare trees."""
import filecmp, json, os, shutil, subprocess, sys, tempfile

SAMPLE = "ambrazevich-interview.txt"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def sample_text(tests_dir):
    with open(os.path.join(tests_dir, "data", SAMPLE), encoding="utf-8") as f:
        return f.read()


def write_copy(path, text, title):
    """The sample under another title (TOML front matter overrides the guess)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'+++\ntitle = "{title}"\n+++\n' + text)


def write_corrupt(path, seed):
    """Binary bytes: a PNG signature, NULs and noise."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    noise = bytes((seed * 131 + i * 7919) % 256 for i in range(4096))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)


def corpus(root, tests_dir, n, corrupt=(), folders=4):
    """n copies of the sample in `folders` subfolders; the given indexes corrupt."""
    text = sample_text(tests_dir)
    names = []
    for i in range(n):
        rel = os.path.join(f"part-{i % folders}", f"interview-{i:03d}.txt")
        if i in corrupt:
            write_corrupt(os.path.join(root, rel), i)
        else:
            write_copy(os.path.join(root, rel), text, f"Interview number {i}")
        names.append(rel)
    return names


def run(galley, args, env=None, cwd=None, timeout=600):
    e = dict(os.environ)
    e.update(EPOCH)
    if env:
        e.update(env)
    return subprocess.run([galley] + args, capture_output=True, text=True, env=e, cwd=cwd, timeout=timeout)


def outputs(root):
    """Relative paths of every output file (not the state file, not depfiles)."""
    found = []
    for r, _, files in os.walk(root):
        for f in files:
            if f.endswith((".epub", ".pdf")) and not f.startswith("."):
                found.append(os.path.relpath(os.path.join(r, f), root))
    return sorted(found)


def temp_files(root):
    return sorted(os.path.join(r, f) for r, _, files in os.walk(root) for f in files if ".tmp-" in f)


def same(a, b):
    return filecmp.cmp(a, b, shallow=False)


def report(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(test):
    """Runs test(galley, tests_dir, work) in a fresh folder; prints ok or FAIL."""
    galley, tests_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="galley-batch-")
    name = os.path.basename(sys.argv[0])
    try:
        test(galley, tests_dir, work)
    except Failure as e:
        print(f"FAIL {name}: {e}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"ok {name}")
    return 0
