#!/usr/bin/env python3
"""Runs one command test: tests/cli/cases/NAME.case.

A case file is a list of `key: value` lines (blank lines and # comments are
ignored). Keys:
  args:             the command line after `galley`, split like a shell would
  stdin:            a file (relative to tests/) fed to standard input
  env:              NAME=VALUE set for the command (repeatable)
  exit:             the expected exit code (default 0)
  stdout-has:       a string standard output must contain (repeatable)
  stdout-lacks:     a string it must not contain (repeatable)
  stderr-has:       likewise for standard error
  stderr-lacks:
  stderr-empty:     yes: nothing on standard error
  stdout-json:      yes: standard output parses as JSON
  creates:          a file (relative to the work folder) that must exist afterwards
  absent:           a file that must not exist afterwards (no partial output)
  no-temp-files:    yes: the work folder holds no .tmp- files afterwards
  setup:            a shell command run in the work folder before galley
                    (repeatable, in order; {galley} is the executable)
  file-has:         PATH :: TEXT: a file (relative to the work folder) contains TEXT
  file-lacks:       PATH :: TEXT: it does not
  json-file:        a file (relative to the work folder) that parses as JSON
  same-files:       A :: B: two files, or two folders file by file, are identical
Paths in args may use {data} (tests/data), {tests} (tests/) and {work} (a
fresh empty folder for this case).
"""
import json, os, shlex, subprocess, sys, tempfile, shutil

def main():
    galley, case_path, tests_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    keys = []
    for raw in open(case_path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        k, _, v = line.partition(":")
        keys.append((k.strip(), v.strip()))
    work = tempfile.mkdtemp(prefix="galley-cli-")
    try:
        subst = lambda s: s.replace("{data}", os.path.join(tests_dir, "data")).replace("{tests}", tests_dir).replace("{work}", work).replace("{galley}", galley)
        args = []
        env = dict(os.environ)
        stdin = subprocess.DEVNULL
        for k, v in keys:
            if k == "args":
                args += [subst(a) for a in shlex.split(v)]
            elif k == "env":
                name, _, value = v.partition("=")
                env[name] = subst(value)
            elif k == "stdin":
                stdin = open(subst(os.path.join(tests_dir, v)), "rb")
        for k, v in keys:
            if k == "setup":
                sr = subprocess.run(subst(v), shell=True, cwd=work, env=env, capture_output=True, timeout=120)
                if sr.returncode != 0:
                    print(f"FAIL {os.path.basename(case_path)}: setup `{v}` exited {sr.returncode}")
                    print(sr.stdout.decode("utf-8", "replace") + sr.stderr.decode("utf-8", "replace"))
                    return 1
        r = subprocess.run([galley] + args, stdin=stdin, capture_output=True, env=env, cwd=work, timeout=120)
        out = r.stdout.decode("utf-8", "replace")
        err = r.stderr.decode("utf-8", "replace")
        problems = []
        want_exit = int(dict(keys).get("exit", "0"))
        if r.returncode != want_exit:
            problems.append(f"exit code {r.returncode}, expected {want_exit}")
        for k, v in keys:
            v2 = subst(v)
            if k == "stdout-has" and v2 not in out: problems.append(f"stdout lacks {v2!r}")
            if k == "stdout-lacks" and v2 in out: problems.append(f"stdout has {v2!r}")
            if k == "stderr-has" and v2 not in err: problems.append(f"stderr lacks {v2!r}")
            if k == "stderr-lacks" and v2 in err: problems.append(f"stderr has {v2!r}")
            if k == "stderr-empty" and v == "yes" and err: problems.append("stderr is not empty")
            if k == "stdout-json" and v == "yes":
                try: json.loads(out)
                except ValueError as e: problems.append(f"stdout is not JSON: {e}")
            if k == "creates" and not os.path.exists(os.path.join(work, v2)): problems.append(f"{v2} was not created")
            if k == "absent" and os.path.exists(os.path.join(work, v2)): problems.append(f"{v2} exists")
            if k in ("file-has", "file-lacks"):
                path, _, text = v2.partition(" :: ")
                try: content = open(os.path.join(work, path), encoding="utf-8", errors="replace").read()
                except OSError as e: content = None; problems.append(f"{path} cannot be read: {e}")
                if content is not None and k == "file-has" and text not in content: problems.append(f"{path} lacks {text!r}")
                if content is not None and k == "file-lacks" and text in content: problems.append(f"{path} has {text!r}")
            if k == "json-file":
                try: json.load(open(os.path.join(work, v2), encoding="utf-8"))
                except (OSError, ValueError) as e: problems.append(f"{v2} is not JSON: {e}")
            if k == "same-files":
                a, _, b = v2.partition(" :: ")
                problems += compare_paths(os.path.join(work, a), os.path.join(work, b))
            if k == "no-temp-files" and v == "yes":
                left = [f for _, _, fs in os.walk(work) for f in fs if ".tmp-" in f]
                if left: problems.append(f"temporary files left: {left}")
        if problems:
            print(f"FAIL {os.path.basename(case_path)}: galley {' '.join(args)}")
            for p in problems: print("  " + p)
            print("--- stdout ---\n" + out[:3000] + "\n--- stderr ---\n" + err[:3000])
            return 1
        print(f"ok {os.path.basename(case_path)}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)

def compare_paths(a, b):
    """Differences between two files, or two folders compared file by file."""
    import filecmp
    if os.path.isfile(a) and os.path.isfile(b):
        return [] if filecmp.cmp(a, b, shallow=False) else [f"{a} and {b} differ"]
    if not (os.path.isdir(a) and os.path.isdir(b)):
        return [f"{a} and {b} are not two files or two folders"]
    files = lambda d: sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs)
    fa, fb = files(a), files(b)
    if fa != fb:
        return [f"{a} and {b} hold different files: {sorted(set(fa) ^ set(fb))}"]
    return [f"{f} differs" for f in fa if not filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False)]

if __name__ == "__main__":
    sys.exit(main())
