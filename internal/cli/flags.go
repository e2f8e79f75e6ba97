package cli

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// globals are the flags every command accepts, before or after its name.
type globals struct {
	addr      string
	tokenFile string
	json      bool
	timeout   time.Duration
}

// register adds the global flags to fs, bound to g; their defaults are
// g's current values, so a later FlagSet keeps what an earlier one set.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.addr, "addr", g.addr, "admin API `URL` or host:port (default $MASO_ADDR, else "+DefaultAddr+")")
	fs.StringVar(&g.tokenFile, "token-file", g.tokenFile, "`file` holding the bearer token (default: $MASO_TOKEN holds the token, else "+DefaultTokenFile+")")
	fs.BoolVar(&g.json, "json", g.json, "print the JSON response")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "timeout of each API request")
}

// newFlagSet returns a flag set that reports errors on stderr and leaves
// help to the caller.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses args allowing flags after positional
// arguments, and returns the positional ones. "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// wantArgs checks the number of positional arguments.
func wantArgs(args []string, names ...string) error {
	switch {
	case len(args) < len(names):
		return usageError("missing %s", names[len(args)])
	case len(args) > len(names):
		return usageError("unexpected argument %q", args[len(names)])
	}
	return nil
}

// printDefaults lists fs's flags under a heading.
func printDefaults(w io.Writer, heading string, fs *flag.FlagSet) {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s:\n", heading)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
