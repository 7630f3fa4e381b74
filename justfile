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
    go test -race -count=1 -timeout 30m ./...

# Formatting and static checks.
lint:
    gofmt -l $(git ls-files '*.go')
    go vet ./...

# Speed and memory figures (quote them with this command).
bench:
    go test -run '^$' -bench . -benchmem ./...

# A static binary to copy to a jump host.
build:
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o cam .

# CI exactly as a fresh machine runs it.
ci:
    bash .ci/run
