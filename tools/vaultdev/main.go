// Command vault is a Vault server and CLI built from the Vault Go module, used by
// the maso tests as a local dev server (vault server -dev) on loopback.
//
// It is its own module so that Vault's large dependency tree stays out of the
// main go.mod. Build it with scripts/build-vault.sh (make vault), which writes
// bin/vault.
package main

import (
	"os"

	"github.com/hashicorp/vault/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:]))
}
