#!/usr/bin/env bash
# Rewrites the check table in README.md from the registry (`sigaudit checks --markdown`).
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(cargo run --quiet -- checks --markdown)
python3 - "$table" <<'PY'
import sys
table = sys.argv[1]
text = open("README.md").read()
start = text.index("<!-- checks:begin -->") + len("<!-- checks:begin -->")
end = text.index("<!-- checks:end -->")
open("README.md", "w").write(text[:start] + "\n" + table.strip() + "\n" + text[end:])
PY
