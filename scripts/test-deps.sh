#!/usr/bin/env bash
# Installs what `make test` needs on a fresh Debian machine. Idempotent: each
# step checks first and does nothing when the tool is already there.
set -euo pipefail

if ! command -v go >/dev/null; then
	echo "test-deps: Go 1.26 is required (https://go.dev/dl/); not found on PATH" >&2
	exit 1
fi

# apt_install PKG CHECK: installs Debian package PKG unless CHECK (a path) exists.
apt_install() {
	local pkg=$1 check=$2
	[ -e "$check" ] && return 0
	if ! command -v apt-get >/dev/null; then
		echo "test-deps: $pkg is needed ($check missing) and apt-get is not available; install it by hand" >&2
		exit 1
	fi
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	echo "test-deps: installing $pkg"
	if [ -z "${APT_UPDATED:-}" ]; then
		$sudo apt-get update -qq
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$pkg" >/dev/null
}

# etcd: the registry tests run a real 3-member cluster of Debian's etcd.
apt_install etcd-server /usr/bin/etcd
# bubblewrap: process tools run in a fresh bwrap sandbox per call.
apt_install bubblewrap /usr/bin/bwrap

go mod download
echo "test-deps: ok"
