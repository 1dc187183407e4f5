#!/usr/bin/env python3
"""Check the locked dependencies against a recorded RustSec snapshot.

scripts/audit.sh runs this when the live RustSec advisory database
(github.com/rustsec/advisory-db) cannot be fetched. It reads Cargo.lock,
fuzz/Cargo.lock and audit/advisories.toml (a dated, hand-checked record of
every RustSec advisory for every locked crate name; see the procedure at the
top of that file) and

  * fails (exit 1) when a locked version is affected by a non-withdrawn
    advisory of kind "vulnerability" or "unsound";
  * prints affected "unmaintained" and "notice" advisories as warnings, and
    drafts that never got an id as a note (exit status unchanged);
  * fails when a locked crates.io package is in neither the advisory list nor
    `checked_without_advisories`: a dependency nobody looked up;
  * prints the snapshot date and how many advisories it compared.

Affected means: in none of the advisory's `patched` and none of its
`unaffected` ranges (RustSec's rule). Ranges are semver requirements in the
forms RustSec uses (`>=`, `>`, `<`, `<=`, `=`, `^`, `~`, a bare version meaning
`^`), comparators in one string ANDed, strings in a list ORed. Pre-release
versions are handled conservatively: a pre-release counts as inside a patched
or unaffected range only if both it and its release (1.2.0 for 1.2.0-rc.1)
are, so `1.2.0-rc.1` is not taken as patched by `>= 1.2.0`, nor as unaffected
by `< 1.2.0`. Build metadata (`+...`) is ignored.

This is a snapshot, not a live feed: advisories published after its date are
not known here. The output says so, with the date and its age.

Exit status: 0 ok (warnings possible), 1 affected or unchecked crate,
2 usage or data error. `--self-test` shows the check can fail: it runs
synthetic lock entries (one affected, one patched, one unchecked, one covered
only by a withdrawn advisory) through the same code with the real data file.

Python 3.11+ (tomllib), standard library only.
"""

from __future__ import annotations

import datetime
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "audit" / "advisories.toml"
FAILING_KINDS = {"vulnerability", "unsound"}
WARNING_KINDS = {"unmaintained", "notice"}
STALE_DAYS = 90

# ---------------------------------------------------------------- versions


def parse_version(text: str) -> tuple[tuple[int, int, int], tuple]:
    """`1.2.3-rc.1+meta` -> ((1, 2, 3), ("rc", 1)); metadata dropped."""
    text = text.strip().split("+", 1)[0]
    core, _, pre = text.partition("-")
    parts = core.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a full semver version: {text!r}")
    ids = tuple(int(i) if i.isdigit() else i for i in pre.split(".")) if pre else ()
    return (int(parts[0]), int(parts[1]), int(parts[2])), ids


def _pre_key(ids: tuple) -> tuple:
    # SemVer 2.0 section 11: no pre-release ranks above any pre-release;
    # numeric identifiers rank below alphanumeric ones and compare as numbers.
    if not ids:
        return (1,)
    return (0, tuple((0, i, "") if isinstance(i, int) else (1, 0, i) for i in ids), len(ids))


def version_key(v) -> tuple:
    core, pre = v
    return core, _pre_key(pre)


def parse_partial(text: str) -> tuple[list[int], tuple]:
    """`0.17` -> ([0, 17], ()); `1.0.0-beta.2` -> ([1, 0, 0], ("beta", 2))."""
    text = text.strip().split("+", 1)[0]
    core, _, pre = text.partition("-")
    parts = core.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"bad version in requirement: {text!r}")
    if pre and len(parts) != 3:
        raise ValueError(f"pre-release on a partial version: {text!r}")
    ids = tuple(int(i) if i.isdigit() else i for i in pre.split(".")) if pre else ()
    return [int(p) for p in parts], ids


def _lower(nums: list[int], pre: tuple):
    return (tuple(nums + [0] * (3 - len(nums))), pre)


def comparator_bounds(comp: str) -> list[tuple[str, tuple]]:
    """One comparator as a list of (op, version) bounds, all of which must hold."""
    m = re.fullmatch(r"\s*(>=|<=|>|<|=|\^|~)?\s*(\S+)\s*", comp)
    if not m:
        raise ValueError(f"bad comparator: {comp!r}")
    op, ver = m.group(1) or "^", m.group(2)
    nums, pre = parse_partial(ver)
    low = _lower(nums, pre)
    n = len(nums)
    if n == 3 and op in (">=", ">", "<", "<=", "="):
        return [(op, low)]
    # A partial version (`0.17`) stands for every version it prefixes.
    hi = _lower(nums[:-1] + [nums[-1] + 1], ())
    if op == ">=":
        return [(">=", low)]
    if op == "<":
        return [("<", low)]
    if op == ">":
        return [(">=", hi)]
    if op == "<=":
        return [("<", hi)]
    if op == "=":
        return [(">=", low), ("<", hi)]
    if op == "~":
        upper = [nums[0] + 1] if n == 1 else [nums[0], nums[1] + 1]
        return [(">=", low), ("<", _lower(upper, ()))]
    # caret: the leftmost non-zero of the given parts may not change
    if nums[0] > 0 or n == 1:
        upper = [nums[0] + 1]
    elif n == 2 or nums[1] > 0:
        upper = [0, nums[1] + 1]
    else:
        upper = [0, 0, nums[2] + 1]
    return [(">=", low), ("<", _lower(upper, ()))]


def _holds(v, op: str, bound) -> bool:
    a, b = version_key(v), version_key(bound)
    return {
        ">=": a >= b,
        ">": a > b,
        "<": a < b,
        "<=": a <= b,
        "=": a == b,
    }[op]


def _in_req_exact(v, req: str) -> bool:
    return all(
        _holds(v, op, bound)
        for comp in req.split(",")
        if comp.strip()
        for op, bound in comparator_bounds(comp)
    )


def in_req(version: str, req: str) -> bool:
    """Whether `version` satisfies requirement string `req` (conservative on pre-releases)."""
    v = parse_version(version)
    if v[1]:
        return _in_req_exact(v, req) and _in_req_exact((v[0], ()), req)
    return _in_req_exact(v, req)


def affected(version: str, adv: dict) -> bool:
    safe = list(adv.get("patched", [])) + list(adv.get("unaffected", []))
    return not any(in_req(version, r) for r in safe)


# ---------------------------------------------------------------- inputs


def locked_packages(paths: list[Path]) -> dict[str, set[str]]:
    """crates.io packages in the lock files: name -> versions."""
    out: dict[str, set[str]] = {}
    for path in paths:
        lock = tomllib.loads(path.read_text())
        for pkg in lock.get("package", []):
            if "crates.io-index" not in pkg.get("source", ""):
                continue  # the workspace's own crates
            out.setdefault(pkg["name"], set()).add(pkg["version"])
    return out


def load_data(path: Path) -> dict:
    data = tomllib.loads(path.read_text())
    for key in ("checked", "source", "advisory", "checked_without_advisories"):
        if key not in data:
            raise ValueError(f"{path}: missing `{key}`")
    for adv in data["advisory"]:
        for key in ("crate", "id", "kind", "patched", "unaffected", "withdrawn"):
            if key not in adv:
                raise ValueError(f"{path}: advisory {adv.get('id', '?')} lacks `{key}`")
        if adv["kind"] not in FAILING_KINDS | WARNING_KINDS:
            raise ValueError(f"{path}: {adv['id']}: unknown kind {adv['kind']!r}")
        for req in adv["patched"] + adv["unaffected"]:
            for comp in req.split(","):
                comparator_bounds(comp)  # raises on a range this script cannot read
    return data


# ---------------------------------------------------------------- the check


def check(locked: dict[str, set[str]], data: dict, out=sys.stdout) -> tuple[list[str], list[str]]:
    """Returns (failures, warnings); prints each as it is found."""
    failures: list[str] = []
    warnings: list[str] = []
    by_crate: dict[str, list[dict]] = {}
    for adv in data["advisory"]:
        by_crate.setdefault(adv["crate"], []).append(adv)
    known = set(by_crate) | set(data["checked_without_advisories"])

    for name in sorted(locked):
        if name not in known:
            failures.append(
                f"{name} {', '.join(sorted(locked[name]))}: not in {DATA.relative_to(ROOT)}: "
                "a dependency nobody has looked up in RustSec; check it and record it"
            )
            continue
        for adv in by_crate.get(name, []):
            if adv["withdrawn"]:
                continue
            for version in sorted(locked[name]):
                if not affected(version, adv):
                    continue
                patched = ", ".join(adv["patched"]) or "no patched release"
                msg = f"{name} {version}: {adv['id']} ({adv['kind']}); patched: {patched}"
                (failures if adv["kind"] in FAILING_KINDS else warnings).append(msg)
    for msg in failures:
        print(f"AFFECTED/UNCHECKED: {msg}", file=out)
    for msg in warnings:
        print(f"warning: {msg}", file=out)
    drafts = sorted({d["file"] for d in data.get("draft", []) if d["crate"] in locked})
    if drafts:
        print(f"note: {len(drafts)} unpublished drafts (no RUSTSEC id) recorded, not gating: {', '.join(drafts)}", file=out)
    return failures, warnings


def summary(locked: dict[str, set[str]], data: dict) -> str:
    n_adv = sum(1 for a in data["advisory"] if a["crate"] in locked)
    n_crates = len({a["crate"] for a in data["advisory"] if a["crate"] in locked})
    return f"{n_adv} advisories for {n_crates} crates"


def age_days(checked: str) -> int:
    return (datetime.date.today() - datetime.date.fromisoformat(checked)).days


# ---------------------------------------------------------------- self-test


def self_test(data: dict) -> int:
    problems = []

    def expect(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    # The comparator on the forms RustSec uses.
    cases = [
        ("0.3.46", ">= 0.3.47", False), ("0.3.47", ">= 0.3.47", True),
        ("0.3.5", "< 0.3.6", True), ("0.3.6", "< 0.3.6", False),
        ("0.4.10", "= 0.4.10", True), ("0.4.11", "= 0.4.10", False),
        ("0.2.3", "=0.2.3", True),
        ("0.20.9", "^0.20.2", True), ("0.21.0", "^0.20.2", False), ("0.20.1", "^0.20.2", False),
        ("1.9.0", "^1.2", True), ("2.0.0", "^1.2", False), ("0.0.4", "^0.0.3", False),
        ("0.17.14", ">= 0.17", True), ("0.16.20", ">= 0.17", False),
        ("0.7.5", ">= 0.7.4, < 0.8.0", True), ("0.8.0", ">= 0.7.4, < 0.8.0", False),
        ("0.2.1", "<= 0.2.1", True), ("0.2.2", "<= 0.2.1", False),
        ("1.3.0", "~1.2", False), ("1.2.9", "~1.2", True),
        ("1.2.0-rc.1", ">= 1.2.0", False), ("1.2.0-rc.1", "< 1.2.0", False),
        ("1.2.1-rc.1", ">= 1.2.0", True),
        ("0.11.1+wasi-snapshot-preview1", ">= 0.11.0", True),
    ]
    for version, req, want in cases:
        expect(in_req(version, req) == want, f"in_req({version!r}, {req!r}) != {want}")
    expect(not in_req("1.0.0-alpha.2", ">= 1.0.0-alpha.10"), "numeric pre-release ordering")

    def run(locked):
        class Sink:
            def write(self, _):
                pass

        return check(locked, data, out=Sink())

    # Affected (RUSTSEC-2026-0009 on time) must fail; patched must not.
    fails, _ = run({"time": {"0.3.46"}})
    expect(any("RUSTSEC-2026-0009" in f for f in fails), "time 0.3.46 not flagged by RUSTSEC-2026-0009")
    fails, _ = run({"time": {"0.3.47"}})
    expect(fails == [], f"time 0.3.47 (patched) flagged: {fails}")
    # An OR of patched ranges: zerocopy 0.7.30 is affected, 0.6.6 is patched.
    fails, _ = run({"zerocopy": {"0.7.30"}})
    expect(any("RUSTSEC-2023-0074" in f for f in fails), "zerocopy 0.7.30 not flagged")
    fails, _ = run({"zerocopy": {"0.6.6"}})
    expect(fails == [], f"zerocopy 0.6.6 (patched) flagged: {fails}")
    # Unsound counts as failing.
    fails, _ = run({"anstream": {"0.6.7"}})
    expect(any("RUSTSEC-2024-0404" in f for f in fails), "anstream 0.6.7 (unsound) not flagged")
    # A crate nobody checked must fail, by name.
    fails, _ = run({"surely-unchecked-crate": {"1.0.0"}})
    expect(any(f.startswith("surely-unchecked-crate") for f in fails), "unchecked crate not flagged")
    # Withdrawn advisories never apply; unmaintained only warns.
    fails, warns = run({"ring": {"0.17.14"}})
    expect(fails == [] and not any("RUSTSEC-2025-0007" in w for w in warns), "withdrawn ring advisory applied")
    fails, warns = run({"ring": {"0.16.20"}})
    expect(
        any("RUSTSEC-2025-0010" in w for w in warns) and not any("RUSTSEC-2025-0010" in f for f in fails),
        "ring 0.16.20: RUSTSEC-2025-0010 (unmaintained) not a warning",
    )
    fails, _ = run({"ring": {"0.17.11"}})
    expect(any("RUSTSEC-2025-0009" in f for f in fails), "ring 0.17.11 not flagged")

    for p in problems:
        print(f"self-test FAILED: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"self-test ok: {len(cases) + 1} comparator cases, 9 synthetic lock checks")
    return 0


def main(argv: list[str]) -> int:
    try:
        data = load_data(DATA)
    except (OSError, ValueError, tomllib.TOMLDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if argv[1:] == ["--self-test"]:
        return self_test(data)
    if argv[1:]:
        print("usage: advisories_offline.py [--self-test]", file=sys.stderr)
        return 2
    locked = locked_packages([ROOT / p for p in data.get("lockfiles", ["Cargo.lock"])])
    failures, warnings = check(locked, data)
    age = age_days(data["checked"])
    print(
        f"RustSec snapshot of {data['checked']} ({age} days old; source: {data['source']}): "
        f"{summary(locked, data)}, {len(locked)} locked crates compared, "
        f"{len(failures)} failing, {len(warnings)} warnings"
    )
    if age > STALE_DAYS:
        print(
            f"warning: the snapshot is more than {STALE_DAYS} days old; refresh audit/advisories.toml "
            "(procedure at its top) or run `cargo deny check advisories` where github.com is reachable"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
