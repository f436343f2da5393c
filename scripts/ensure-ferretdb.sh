#!/usr/bin/env bash
# Builds FerretDB 1.x (a MongoDB-wire server backed by SQLite) into .tools/bin/ferretdb so the
# mongo store's contract suite can run without a MongoDB server. Idempotent: prints nothing and
# exits 0 when the pinned version is already built.
#
# Why 1.x: v1.24.0 is the last release line with the built-in SQLite handler; 2.x requires a
# PostgreSQL server with the DocumentDB extension. Its SQLite handler needs no build tag.
set -euo pipefail

FERRETDB_VERSION="v1.24.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"
STAMP="$BIN_DIR/.ferretdb-version"
# Stamp records version + recipe revision: a change to the recipe forces a rebuild.
RECIPE="$FERRETDB_VERSION+r2"

if [[ -x "$BIN_DIR/ferretdb" && -f "$STAMP" && "$(cat "$STAMP")" == "$RECIPE" ]]; then
  exit 0
fi

GO_BIN="${GO:-}"
if [[ -z "$GO_BIN" ]]; then
  if command -v go >/dev/null 2>&1; then GO_BIN="$(command -v go)";
  elif [[ -x /usr/local/go/bin/go ]]; then GO_BIN=/usr/local/go/bin/go;
  else
    echo "ensure-ferretdb: Go toolchain not found (install Go >= 1.22 or set GO=/path/to/go)" >&2
    exit 1
  fi
fi

mkdir -p "$BIN_DIR"
echo "ensure-ferretdb: building FerretDB $FERRETDB_VERSION into $BIN_DIR (one-time, a few minutes)" >&2
# Not `go install module@version`: that also reads the module's version list to check for
# deprecation, which some module mirrors refuse. Downloading the exact version and building
# inside its own module directory uses FerretDB's own go.mod/go.sum, so the result is the same.
MOD_DIR="$("$GO_BIN" mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "$MOD_DIR" || ! -d "$MOD_DIR" ]]; then
  echo "ensure-ferretdb: could not download github.com/FerretDB/FerretDB@$FERRETDB_VERSION" >&2
  exit 1
fi
# FerretDB panics at start unless build/version/version.txt exists (its release process
# generates it), so build from a writable copy of the module with that file added.
BUILD_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
trap 'chmod -R u+w "$BUILD_DIR" 2>/dev/null; rm -rf "$BUILD_DIR"' EXIT
cp -R "$MOD_DIR/." "$BUILD_DIR/"
chmod -R u+w "$BUILD_DIR"
echo "$FERRETDB_VERSION" > "$BUILD_DIR/build/version/version.txt"
echo "portcullis-test-tools" > "$BUILD_DIR/build/version/package.txt"
# CGO off: the SQLite backend is modernc.org/sqlite (pure Go), so no C toolchain is needed.
# ferretdb_no_postgresql drops the PostgreSQL handler we never use (smaller, faster build).
# -p 1 keeps the build from starving a small shared machine.
TMP_OUT="$BIN_DIR/ferretdb.tmp.$$"
(cd "$BUILD_DIR" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" GOTOOLCHAIN=local \
  "$GO_BIN" build -p 1 -trimpath -tags ferretdb_no_postgresql -o "$TMP_OUT" ./cmd/ferretdb) >&2
mv -f "$TMP_OUT" "$BIN_DIR/ferretdb"
echo "$RECIPE" > "$STAMP"
echo "ensure-ferretdb: built $BIN_DIR/ferretdb" >&2
