package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

const intro = `masoctl talks to the admin API of a masod node.

Usage: masoctl [global flags] <command> [arguments] [flags]
`

const outro = `
Global flags may come before or after the command. The address is --addr,
else $MASO_ADDR, else ` + DefaultAddr + `. The token is read from
--token-file, else taken from $MASO_TOKEN, else read from ` + DefaultTokenFile + `.

Exit codes: 0 success; 1 failure (an API error, a task that did not
complete, a log that does not verify, a kill switch not yet recorded for
the cluster); 2 usage error.
`

// help runs "masoctl help [command...]".
func (a *app) help(args []string) int {
	if len(args) == 0 {
		a.topHelp(a.stdout)
		return 0
	}
	var path []*command
	cmds := commands()
	for _, name := range args {
		c := find(cmds, name)
		if c == nil {
			return a.fail(usageError("no help for %q (%s)", strings.Join(args, " "), commandList(path, cmds)))
		}
		path, cmds = append(path, c), c.subs
	}
	a.commandHelp(a.stdout, path)
	return 0
}

// topHelp lists every command and the global flags.
func (a *app) topHelp(w io.Writer) {
	fmt.Fprint(w, intro)
	fmt.Fprintln(w, "\nCommands:")
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	for _, c := range commands() {
		listCommand(tw, nil, c)
	}
	fmt.Fprintln(tw, "  help [COMMAND]\tshow help for a command")
	tw.Flush()
	a.globalHelp(w)
	fmt.Fprint(w, outro)
}

// listCommand writes one line per leaf command under c.
func listCommand(w io.Writer, path []*command, c *command) {
	path = append(path, c)
	if c.subs == nil {
		line := strings.TrimSpace(strings.Join(names(path), " ") + " " + c.args)
		fmt.Fprintf(w, "  %s\t%s\n", line, c.summary)
		return
	}
	for _, s := range c.subs {
		listCommand(w, path, s)
	}
}

// commandHelp describes one command: a group's subcommands, or a leaf's
// synopsis and flags.
func (a *app) commandHelp(w io.Writer, path []*command) {
	c := path[len(path)-1]
	if c.subs != nil {
		fmt.Fprintf(w, "masoctl %s: %s\n\nCommands:\n", strings.Join(names(path), " "), c.summary)
		tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
		listCommand(tw, path[:len(path)-1], c)
		tw.Flush()
		if c.def != "" {
			fmt.Fprintf(w, "\nWith no subcommand, %q runs %q.\n", strings.Join(names(path), " "), c.def)
		}
		return
	}
	fmt.Fprintf(w, "Usage: masoctl %s\n\n%s.\n", strings.TrimSpace(strings.Join(names(path), " ")+" "+c.args), capitalize(c.summary))
	fs := newFlagSet("", io.Discard)
	c.bind(a, fs)
	printDefaults(w, "Flags", fs)
	a.globalHelp(w)
}

func (a *app) globalHelp(w io.Writer) {
	fs := newFlagSet("", io.Discard)
	g := globals{timeout: DefaultTimeout}
	g.register(fs)
	printDefaults(w, "Global flags", fs)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
