# cam — common tasks. `just --list` shows them.

# Start the TUI on your configuration (or pass --config-dir DIR).
run *ARGS:
    go run . {{ARGS}}

# Start the TUI on the embedded demo databases.
demo:
    go run . demo

# The whole test suite, as CI runs it: once plain (a few tests skip under
# -race as too slow), then with the race detector.
test:
    go test -count=1 ./...
    go test -race -count=1 -timeout 45m ./...

# Formatting and static checks, failing on any finding: gofmt, go vet and
# golangci-lint (.golangci.yml; install the version .ci/run pins with
# `go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0`).
lint:
    test -z "$(gofmt -l $(git ls-files '*.go'))" || { gofmt -l $(git ls-files '*.go'); exit 1; }
    go vet ./...
    golangci-lint run ./...

# Speed and memory figures (quote them with this command): the Go
# benchmarks of the detection core, the JSON output and the results pane,
# then the end-to-end table of docs/PERFORMANCE.md (cam against the sqlite3
# and mariadb clients on the issue #17 dataset; needs mariadb-server).
bench:
    go test -run '^$' -bench . -benchmem -benchtime 1x -cpu 1 ./engine/detect
    go test -run '^$' -bench . -benchmem ./report ./tui/results
    internal/benchdata/bench.sh

# default.pgo, the profile cam is built with (profile-guided optimisation,
# which go build applies by itself): cam on the bench's SQLite files and
# on its MariaDB, profiled and merged. Rerun after a change to the hot
# paths, then compare with `just bench`.
pgo:
    #!/usr/bin/env bash
    set -euo pipefail
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    PROFILE_DIR="$dir" RUNS=1 internal/benchdata/bench.sh
    go tool pprof -proto "$dir/sqlite.pprof" "$dir/mariadb.pprof" > default.pgo

# A static binary to copy to a jump host.
build:
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o cam .

# CI exactly as a fresh machine runs it.
ci:
    bash .ci/run
