#!/usr/bin/env bash
# The batch benchmark (issue 6): an archive of N transaction tokens (default
# 1,000,000; 1% forged or tampered with), verified by `sigaudit batch` with 1
# and 2 workers and by the Python peer (PyJWT + cryptography), in two archive
# shapes: shared OCSP responses (one per signing key per day) and one OCSP
# response per token. Checks that exactly the forged items fail and that 1 and
# 2 workers write the same bytes, and prints the figures.
#
#   scripts/batch-bench.sh                 # 1,000,000 tokens
#   N=20000 scripts/batch-bench.sh         # a quick run
#   SHAPES=shared PEER=0 scripts/batch-bench.sh
#
# Method: rates are items / wall-clock seconds of the whole command (reading,
# parsing, verifying, writing rows), peak memory is /usr/bin/time's maximum
# resident set. Because this machine is shared, the CPU seconds (user + sys)
# are reported too, and ring's raw RSA-2048 rate is measured right before the
# runs with the same token and key (examples/ring_rate.rs); the per-core
# efficiency is sigaudit's items per CPU-second over ring's raw verifications
# per CPU-second on one thread (wall-clock per second where /proc is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000000}
OUT=${OUT:-target/batch-bench}
SHAPES=${SHAPES:-"shared per-token"}
PEER=${PEER:-1}
JOBS_LIST=${JOBS_LIST:-"1 2"}
ARCH=$OUT/archive
if [ "$N" != 1000000 ]; then ARCH=$OUT/archive-$N; fi
mkdir -p "$OUT"

python3 -c 'import jwt, sys; sys.exit(0 if jwt.__version__ == "2.10.1" else 1)' 2>/dev/null \
  || python3 -m pip install -q "PyJWT==2.10.1"
python3 -c 'import cryptography, asn1crypto' 2>/dev/null \
  || python3 -m pip install -q -r test-vectors/generate/requirements.txt

cargo build --release --quiet --bin sigaudit --example ring_rate
BIN=target/release/sigaudit
RING=target/release/examples/ring_rate

if ! python3 -c "import json,sys; m=json.load(open('$ARCH/meta.json')); sys.exit(0 if m['count']==$N and m['per_token'] else 1)" 2>/dev/null; then
  echo "== generating $N tokens into $ARCH (RSA signing dominates: minutes)" >&2
  python3 scripts/gen_batch_archive.py --out "$ARCH" --count "$N" --per-token --jobs "$(nproc)"
fi

timed() { # timed LABEL CMD...: runs CMD under /usr/bin/time, records wall, cpu, rss
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/$label.time" "$@"
}

echo "== ring raw rates (5 s each, this machine, now)" >&2
$RING "$ARCH" 5 1 | tee "$OUT/ring-1.json" >&2
$RING "$ARCH" 5 2 | tee "$OUT/ring-2.json" >&2

COMMON=(--jwks "$ARCH/jwks.json" --trust "$ARCH/oces_root.pem" --at signing --progress-every 30)
for shape in $SHAPES; do
  for j in $JOBS_LIST; do
    echo "== sigaudit batch, $shape OCSP, --jobs $j" >&2
    set +e
    timed "sigaudit-$shape-j$j" $BIN batch "$ARCH/manifest-$shape.jsonl" "${COMMON[@]}" --jobs "$j" --out "$OUT/rows-$shape-j$j.jsonl" 2> "$OUT/sigaudit-$shape-j$j.log"
    code=$?
    set -e
    tail -n 6 "$OUT/sigaudit-$shape-j$j.log" >&2
    echo "exit code $code (1 expected: the forged items fail)" >&2
  done
  if [ -f "$OUT/rows-$shape-j1.jsonl" ] && [ -f "$OUT/rows-$shape-j2.jsonl" ]; then
    cmp -s "$OUT/rows-$shape-j1.jsonl" "$OUT/rows-$shape-j2.jsonl" && echo "rows identical with 1 and 2 jobs ($shape)" >&2 \
      || { echo "ROWS DIFFER between --jobs 1 and --jobs 2 ($shape)" >&2; exit 1; }
  fi
  if [ "$PEER" = 1 ]; then
    echo "== Python peer (PyJWT + cryptography), $shape OCSP" >&2
    timed "peer-$shape" python3 scripts/peer_verify.py "$ARCH/manifest-$shape.jsonl" --jwks "$ARCH/jwks.json" --trust "$ARCH/oces_root.pem" --out "$OUT/peer-$shape.jsonl" 2> "$OUT/peer-$shape.log"
    tail -n 1 "$OUT/peer-$shape.log" >&2
  fi
done

python3 - "$OUT" "$ARCH" "$N" "$SHAPES" "$PEER" "$JOBS_LIST" <<'EOF'
import json, sys, os
out, arch, n, shapes, peer, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(), sys.argv[5] == "1", sys.argv[6].split()
forged = {}
for line in open(os.path.join(arch, "forged.txt")):
    i, kind = line.split()
    forged[i] = kind
ring1 = json.load(open(os.path.join(out, "ring-1.json")))
ring2 = json.load(open(os.path.join(out, "ring-2.json")))
# Per CPU second when ring_rate could measure it (Linux): on a shared machine the
# wall-clock rate counts time the loop waited for a core, sigaudit's items per
# CPU second do not, so the two are set against each other per CPU second.
rsa1 = ring1.get("rsa2048_verify_per_cpu_second") or ring1["rsa2048_verify_per_second"]
def timing(label):
    wall, user, sys_, rss = open(os.path.join(out, label + ".time")).read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024
def check(rows_path, key="verdict"):
    fails, passes, other = set(), 0, 0
    for line in open(rows_path):
        r = json.loads(line)
        if r[key] == "fail":
            fails.add(r["id"])
        elif r[key] in ("pass", "warn"):
            passes += 1
        else:
            other += 1
    return fails == set(forged), len(fails), passes, other
print()
print(f"archive: {n} transaction tokens, {len(forged)} forged/tampered ({', '.join(sorted(set(forged.values())))}), 3 RSA-2048 signing keys, 2 issuing CAs")
print(f"ring raw (examples/ring_rate.rs): RSA-2048 verify {ring1['rsa2048_verify_per_second']:,.0f}/s (wall) and {rsa1:,.0f} per CPU second on 1 thread, "
      f"{ring2['rsa2048_verify_per_second']:,.0f}/s on 2; ECDSA P-256 verify {ring1['p256_verify_per_second']:,.0f}/s on 1 thread")
print()
print(f"{'run':34} {'items/s (wall)':>15} {'items/CPU-s':>12} {'% ring RSA/core':>16} {'peak MB':>8}  exactly the forged fail?")
for shape in shapes:
    for j in jobs:
        label = f"sigaudit-{shape}-j{j}"
        if not os.path.exists(os.path.join(out, label + ".time")):
            continue
        wall, cpu, rss = timing(label)
        ok, nf, np_, other = check(os.path.join(out, f"rows-{shape}-j{j}.jsonl"))
        print(f"sigaudit batch {shape:10} --jobs {j}  {n / wall:>15,.0f} {n / cpu:>12,.0f} {100 * (n / cpu) / rsa1:>15.0f}% {rss:>8.0f}  "
              f"{'yes' if ok else 'NO'} ({nf} fail, {np_} pass, {other} other)")
    if peer and os.path.exists(os.path.join(out, f"peer-{shape}.time")):
        wall, cpu, rss = timing(f"peer-{shape}")
        ok, nf, np_, other = check(os.path.join(out, f"peer-{shape}.jsonl"))
        print(f"{'python peer ' + shape:34} {n / wall:>15,.0f} {n / cpu:>12,.0f} {'':>16} {rss:>8.0f}  "
              f"{'yes' if ok else 'NO'} ({nf} fail, {np_} pass, {other} other)")
EOF
