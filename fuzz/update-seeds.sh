#!/usr/bin/env bash
# Rebuilds the committed seed corpus fuzz/seeds/<target>/ from fuzz/corpus/<target>/
# (run fuzz/seed.sh and some fuzzing first): minimises each corpus in place with
# `cargo fuzz cmin` (one process, one core), then keeps the smallest files of the
# minimised corpus up to BUDGET bytes per target (default 200000: about 2 MB over
# the ten targets). tests/fuzz_replay.rs replays fuzz/seeds/ under plain `cargo test`.
set -euo pipefail
cd "$(dirname "$0")"
budget="${1:-200000}"
targets="${TARGETS:-detect jws jwks x509 ocsp cms pdf pades verify altinn}"
for t in $targets; do
  echo "== $t: $(find corpus/$t -type f | wc -l) files before cmin"
  cargo +nightly fuzz cmin -O "$t" "corpus/$t" -- -rss_limit_mb=2048 -timeout=10 -max_len=1048576 >"/tmp/cmin-$t.log" 2>&1 || { tail -20 "/tmp/cmin-$t.log"; exit 1; }
  echo "   $(find corpus/$t -type f | wc -l) files after cmin"
  rm -rf "seeds/$t" && mkdir -p "seeds/$t"
  total=0
  while read -r size f; do
    [ $((total + size)) -le "$budget" ] || break
    cp "$f" "seeds/$t/$(sha1sum "$f" | cut -c1-16)"
    total=$((total + size))
  done < <(find "corpus/$t" -type f -printf '%s %p\n' | sort -n)
  echo "   kept $(find seeds/$t -type f | wc -l) files, $total bytes"
done
du -sh seeds
