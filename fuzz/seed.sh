#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from test-vectors/ (run from the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p $c/{detect,jws,jwks,x509,ocsp,cms,pdf,pades,verify,altinn}
find test-vectors -type f -size -600k -path '*input*' | while read -r f; do
  h=$(sha1sum "$f" | cut -c1-16)
  cp "$f" "$c/detect/$h"; cp "$f" "$c/verify/$h"
  case "$f" in
    *.jwt|*.json) cp "$f" "$c/jws/$h"; cp "$f" "$c/jwks/$h";;
    *.pdf) cp "$f" "$c/pdf/$h"; cp "$f" "$c/pades/$h";;
    *.ocsp) cp "$f" "$c/ocsp/$h";;
  esac
done
find test-vectors -name '*.ocsp' -o -name 'response.ocsp' | while read -r f; do cp "$f" "$c/ocsp/$(sha1sum "$f" | cut -c1-16)"; done
for f in test-vectors/generate/pki/*.cert.pem; do openssl x509 -in "$f" -outform DER -out "$c/x509/$(basename "$f" .pem).der"; done
cp src/cms/testdata/*.p7s $c/cms/
# altinn: every JSON file of the Altinn scenarios on its own (part0.json), and each
# scenario's whole export folder as one bundle: "<file name>\n<content>" parts
# joined by 0xFF 0x00 0xFF (the format of sigaudit::fuzzing::named_blobs).
for d in test-vectors/scenarios/altinn/*/input; do
  for f in "$d"/*.json; do cp "$f" "$c/altinn/$(sha1sum "$f" | cut -c1-16)"; done
  b=$(mktemp)
  first=1
  for f in "$d"/*; do
    [ $first = 1 ] || printf '\377\000\377' >>"$b"
    first=0
    printf '%s\n' "$(basename "$f")" >>"$b"
    cat "$f" >>"$b"
  done
  mv "$b" "$c/altinn/bundle-$(basename "$(dirname "$d")")"
done
echo "seeded: $(find $c -type f | wc -l) files"
