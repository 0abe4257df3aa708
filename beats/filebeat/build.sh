#!/usr/bin/env bash
# Builds a real Filebeat from source with the Go toolchain and the Go module proxy.
#
#   beats/filebeat/build.sh          # prints the binary's path; builds only when it is absent
#   FILEBEAT_VERSION=v7.17.29 beats/filebeat/build.sh
#   FILEBEAT_BUILD_DIR=/var/cache/mitra-filebeat beats/filebeat/build.sh   # keep it outside the clone
#
# Output: $FILEBEAT_BUILD_DIR/filebeat-<version>, by default in the git-ignored
# beats/filebeat/.build/ (the binary only, 54 MB). Prints the binary's path on stdout;
# logs on stderr. Exit 3 when Go is missing, 1 on a failed build.
#
# Why a copy of the module: github.com/elastic/beats/v7 carries `replace` directives,
# which only apply in the main module, so `go install pkg@version` refuses it. Building
# inside a writable copy makes beats the main module, so its replaces apply. The copy
# (280 MB) lives in a temporary directory outside the repository and is removed after
# the build: inside it, prettier, eslint and jest would crawl its files.
#
# The source is built unmodified. Filebeat 7.13+ refuses an Elasticsearch without
# GET /_license; the local engine answers it (engine/.../LicenseEndpoint.java).
#
# Caches: Go's defaults (GOPATH/pkg/mod for modules, 1.1 GB; ~/.cache/go-build for
# objects, 0.6 GB). They are per machine, not per clone, so CI's fresh clone rebuilds
# in under a minute instead of downloading and compiling everything (about 3 minutes).
set -euo pipefail

VERSION="${FILEBEAT_VERSION:-v7.17.29}" # 7.17: the last line that ships to both 7.10 and 8.x servers
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${FILEBEAT_BUILD_DIR:-$HERE/.build}"

log() { echo "filebeat build: $*" >&2; }

BIN="$OUT_DIR/filebeat-$VERSION"
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  log "the Go toolchain is not installed (need go >= 1.23 on PATH): install it and rerun $0"
  exit 3
fi

mkdir -p "$OUT_DIR"
# One build at a time: parallel test workers or a developer may call this concurrently.
exec 9>"$OUT_DIR/.lock"
flock 9
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi

started=$SECONDS
log "downloading github.com/elastic/beats/v7@$VERSION"
MOD_DIR="$(go mod download -json "github.com/elastic/beats/v7@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
if [[ -z "$MOD_DIR" || ! -d "$MOD_DIR" ]]; then
  log "go mod download gave no module directory for github.com/elastic/beats/v7@$VERSION"
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mitra-filebeat-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -r "$MOD_DIR" "$WORK/beats"
chmod -R u+w "$WORK/beats"

log "compiling filebeat (nice 19; about 3 minutes on cold caches, under 1 minute on warm ones)"
(
  cd "$WORK/beats/filebeat"
  # -mod=mod lets go add go.sum lines the module zip lacks; CGO off gives a static
  # binary and needs no C toolchain.
  CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod -buildvcs=false" \
    nice -n 19 go build -trimpath -ldflags '-s -w' -o "$BIN.tmp" .
)
mv "$BIN.tmp" "$BIN"
log "built $BIN in $((SECONDS - started))s ($(du -h "$BIN" | cut -f1))"
echo "$BIN"
