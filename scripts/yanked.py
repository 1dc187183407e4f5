#!/usr/bin/env python3
"""Checks every crates.io package locked in Cargo.lock against the crates.io
sparse index (https://index.crates.io): a locked version that its authors have
yanked fails the check.

This is the part of a dependency audit that works where the RustSec advisory
database (a git repository on github.com) cannot be fetched: authors yank
versions with serious bugs and vulnerabilities, and cargo keeps building a
yanked version that a lock file pins, silently. It is not a replacement for
the advisory check (most advisories do not yank anything).

    scripts/yanked.py [Cargo.lock ...]

Exit status: 0 nothing yanked, 1 a locked version is yanked or unknown to the
index, 2 the index could not be reached (the caller decides what that means).
"""
import concurrent.futures
import json
import sys
import tomllib
import urllib.error
import urllib.request

INDEX = "https://index.crates.io"
REGISTRY = "registry+https://github.com/rust-lang/crates.io-index"


def index_path(name: str) -> str:
    """The sparse index path of a crate (the cargo registry layout)."""
    n = name.lower()
    if len(n) <= 2:
        return f"{len(n)}/{n}"
    if len(n) == 3:
        return f"3/{n[0]}/{n}"
    return f"{n[0:2]}/{n[2:4]}/{n}"


def yanked_versions(name: str) -> dict:
    """{version: yanked} for every published version of the crate."""
    req = urllib.request.Request(f"{INDEX}/{index_path(name)}", headers={"User-Agent": "sigaudit-audit (yanked check)"})
    with urllib.request.urlopen(req, timeout=30) as r:
        out = {}
        for line in r.read().decode("utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                out[entry["vers"]] = bool(entry.get("yanked", False))
        return out


def main(locks: list) -> int:
    packages = set()
    for lock in locks:
        with open(lock, "rb") as f:
            for p in tomllib.load(f).get("package", []):
                if p.get("source") == REGISTRY:
                    packages.add((p["name"], p["version"]))
    names = sorted({n for n, _ in packages})
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            index = dict(zip(names, pool.map(yanked_versions, names)))
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        print(f"yanked: the crates.io index cannot be reached: {e}", file=sys.stderr)
        return 2
    bad = []
    for name, version in sorted(packages):
        state = index[name].get(version)
        if state is None:
            bad.append(f"{name} {version}: not in the crates.io index")
        elif state:
            bad.append(f"{name} {version}: YANKED by its authors (update it: cargo update -p {name})")
    for b in bad:
        print(f"yanked: {b}", file=sys.stderr)
    print(f"yanked: {len(packages)} locked crates.io packages checked against {INDEX}: {len(bad)} yanked or unknown", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["Cargo.lock"]))
