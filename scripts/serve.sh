#!/usr/bin/env bash
# Serves the offline verifier page (www/) and the WebAssembly package (pkg/)
# from the repository root on http://127.0.0.1:8080, and prints the page's URL.
#
#   scripts/serve.sh            build pkg/ first if it is missing, then serve
#   scripts/serve.sh --build    rebuild pkg/ (scripts/build-wasm.sh), then serve
#   scripts/serve.sh --port N   serve on another port (or PORT=N)
#
# Listens on 127.0.0.1 only. Stop it with Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-8080}"
build=0

while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --port) port="${2:?--port needs a number}"; shift ;;
    --port=*) port="${1#--port=}" ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ] || [ ! -f "$root/pkg/index.js" ]; then
  if [ ! -f "$root/scripts/build-wasm.sh" ]; then
    echo "serve.sh: pkg/index.js is missing and scripts/build-wasm.sh does not exist" >&2
    exit 1
  fi
  echo "serve.sh: building pkg/ with scripts/build-wasm.sh" >&2
  bash "$root/scripts/build-wasm.sh"
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "serve.sh: python3 is needed to serve the page" >&2
  exit 1
fi

echo "sigaudit offline verifier: http://127.0.0.1:${port}/www/"
exec python3 - "$root" "$port" <<'PY'
import functools, http.server, sys

root, port = sys.argv[1], int(sys.argv[2])

class Handler(http.server.SimpleHTTPRequestHandler):
    # Explicit types: browsers refuse module scripts and streaming wasm
    # compilation without them, and some systems' mime tables lack them.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".html": "text/html; charset=utf-8",
    }

    def end_headers(self):
        # Always the files on disk: pkg/ is rebuilt in place.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def redirect_root(self):
        # The repository root is not a page: send visitors to www/.
        if self.path.split("?")[0] in ("/", "/index.html"):
            self.send_response(302)
            self.send_header("Location", "/www/")
            self.end_headers()
            return True
        return False

    def do_GET(self):
        if not self.redirect_root():
            super().do_GET()

    def do_HEAD(self):
        if not self.redirect_root():
            super().do_HEAD()

server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root))
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
PY
