#!/usr/bin/env bash
# Starts a FerretDB 1.x (MongoDB wire protocol on SQLite) on 127.0.0.1 for the
# MongoDB store tests, and prints the environment to reach it on stdout:
#
#   eval "$(bash .ci/ferretdb.sh)"     # sets MONGODB_URI, FERRETDB_PID, FERRETDB_LOG
#
# Everything else goes to stderr or to the log file. The server keeps running
# after this script exits; stop it with: kill "$FERRETDB_PID".
set -euo pipefail

VERSION="v1.24.2"
BIN="${FERRETDB_BIN:-$HOME/go/bin/ferretdb}"
FIRST_PORT="${FERRETDB_PORT:-27018}"
WAIT_SECONDS=30

say() { echo "ferretdb.sh: $*" >&2; }

works() { [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; }

# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary
# that panics at start: the module archive lacks build/version/version.txt,
# which the release build generates from git. So build from the module source
# with that file written.
build() {
  command -v go >/dev/null || { say "Go is not installed; cannot build FerretDB"; exit 1; }
  local work src
  work="$(mktemp -d /tmp/ferretdb-build.XXXXXX)"
  say "building FerretDB $VERSION into $BIN (log: $work/build.log)"
  if ! (
    cd "$work"
    src="$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -n "$src" ] || { echo "module download gave no source folder"; exit 1; }
    cp -r "$src" "$work/src"
    chmod -R u+w "$work/src"
    echo "$VERSION" > "$work/src/build/version/version.txt"
    mkdir -p "$(dirname "$BIN")"
    cd "$work/src"
    GOFLAGS=-mod=mod go build -o "$BIN" ./cmd/ferretdb
  ) >"$work/build.log" 2>&1; then
    tail -n 30 "$work/build.log" >&2
    say "building FerretDB failed"
    exit 1
  fi
  rm -rf "$work"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

works || build
works || { say "$BIN does not run after building"; exit 1; }

port="$FIRST_PORT"
while port_in_use "$port"; do
  port=$((port + 1))
  [ "$port" -lt $((FIRST_PORT + 50)) ] || { say "no free port in $FIRST_PORT..$port"; exit 1; }
done

dir="$(mktemp -d /tmp/custodian-ferretdb.XXXXXX)"
mkdir -p "$dir/data"
log="$dir/ferretdb.log"

# setsid + nohup: the server must outlive this script and the shell that evals it.
setsid nohup "$BIN" \
  --handler=sqlite \
  --sqlite-url="file:$dir/data/" \
  --listen-addr="127.0.0.1:$port" \
  --state-dir=- \
  --debug-addr=- \
  --telemetry=disable \
  --log-level=warn \
  </dev/null >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 30 "$log" >&2
    say "FerretDB exited during start-up"
    exit 1
  fi
  if port_in_use "$port"; then
    say "FerretDB $VERSION listening on 127.0.0.1:$port (pid $pid, log $log)"
    echo "export MONGODB_URI=mongodb://127.0.0.1:$port/"
    echo "export FERRETDB_PID=$pid"
    echo "export FERRETDB_LOG=$log"
    exit 0
  fi
  sleep 0.1
done

kill "$pid" 2>/dev/null || true
tail -n 30 "$log" >&2
say "FerretDB did not accept connections within ${WAIT_SECONDS}s"
exit 1
