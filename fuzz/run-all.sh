#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), one after the other, and
# logs each target's final stats line (one process, one core: no -jobs/-workers).
# Crashes land in fuzz/artifacts/<target>/.
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
# Dictionaries (fuzz/dict/): PDF syntax and names for pdf/pades, token and key
# JSON members for detect/jws/jwks/verify, Altinn members for altinn.
dict_for() {
  case "$1" in
    pdf|pades) echo "-dict=dict/pdf.dict" ;;
    detect|jws|jwks|verify) echo "-dict=dict/evidence.dict" ;;
    altinn) echo "-dict=dict/altinn.dict" ;;
  esac
}
for t in detect jws jwks x509 ocsp cms pdf pades verify altinn; do
  echo "== $t ($secs s)"
  # shellcheck disable=SC2046
  cargo +nightly fuzz run -O "$t" -- $(dict_for "$t") -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=1048576 2>&1 | grep -E "^#[0-9]+.*DONE|Done|crash|SUMMARY|ERROR|panicked|timeout|oom" | tail -5
done
