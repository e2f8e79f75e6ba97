#!/usr/bin/env bash
# Builds bin/vault, the Vault dev server the identity/vault tests run on
# loopback, from the separate Go module in tools/vaultdev (pinned to Vault
# v1.21.0; see that go.mod). Does nothing when bin/vault is newer than
# tools/vaultdev/go.mod, go.sum and main.go, so repeated `make test` runs do not
# rebuild. The first build takes several minutes (about 5-6 on 2 cores) plus
# module downloads.
#
# Usage: scripts/build-vault.sh        (VAULT_BIN overrides the output path)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/tools/vaultdev"
out="${VAULT_BIN:-$root/bin/vault}"

if ! command -v go >/dev/null; then
	echo "build-vault: Go is required and was not found on PATH" >&2
	exit 1
fi
for f in go.mod go.sum main.go; do
	if [ ! -f "$src/$f" ]; then
		echo "build-vault: $src/$f is missing" >&2
		exit 1
	fi
done

stale=""
if [ ! -x "$out" ]; then
	stale="$out does not exist"
else
	for f in go.mod go.sum main.go; do
		if [ "$src/$f" -nt "$out" ]; then
			stale="tools/vaultdev/$f changed"
			break
		fi
	done
fi
if [ -z "$stale" ]; then
	echo "build-vault: $out is up to date"
	exit 0
fi

echo "build-vault: building $out ($stale); this takes several minutes the first time"
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
start=$(date +%s)
if ! (cd "$src" && go build -trimpath -o "$tmp" .); then
	echo "build-vault: go build failed in tools/vaultdev (see the errors above)" >&2
	exit 1
fi
mv -f "$tmp" "$out"
trap - EXIT
echo "build-vault: built $("$out" version) in $(($(date +%s) - start))s -> $out"
