#!/usr/bin/env bash
# Installs what `make test` needs on a fresh Debian machine. Idempotent: each
# step checks first and does nothing when the tool is already there.
set -euo pipefail

need_go() {
	if ! command -v go >/dev/null; then
		echo "test-deps: Go 1.26 is required (https://go.dev/dl/); not found on PATH" >&2
		exit 1
	fi
}

need_go
go mod download
echo "test-deps: ok"
