package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DefaultTimeout is the default per-request timeout.
const DefaultTimeout = 10 * time.Second

// app is one invocation of masoctl.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	env    func(string) string
	g      globals
	hc     *http.Client
	path   []string // the command being run, for usage hints
}

// action runs a command with its positional arguments.
type action func(ctx context.Context, args []string) error

// command is a masoctl command: a leaf with an action, or a group of
// subcommands (with an optional default one).
type command struct {
	name    string
	args    string // synopsis after the name, e.g. "ID"
	summary string
	// bind registers the command's own flags on fs and returns its action.
	bind func(a *app, fs *flag.FlagSet) action
	subs []*command
	def  string // default subcommand of a group
}

func commands() []*command {
	return []*command{
		{name: "health", summary: "show the node's status", bind: (*app).health},
		{name: "agents", summary: "list, show and act on agents", def: "list", subs: []*command{
			{name: "list", summary: "list the agents: NAME ROLE STATE SPIFFE-ID SERIAL NOT-AFTER", bind: (*app).agentsList},
			{name: "get", args: "NAME", summary: "show one agent", bind: (*app).agentsGet},
			{name: "isolate", args: "NAME [--reason R]", summary: "take an agent off the bus and suspend its tools (operator)", bind: agentAction("isolate")},
			{name: "resume", args: "NAME [--reason R]", summary: "return an isolated or stopped agent to work (security)", bind: agentAction("resume")},
			{name: "revoke", args: "NAME [--reason R]", summary: "revoke an agent's credential cluster-wide and stop it (security)", bind: agentAction("revoke")},
		}},
		{name: "task", summary: "submit tasks and follow them", subs: []*command{
			{name: "submit", args: "--to AGENT [--payload JSON | --file F | -] [--wait]", summary: "submit a task and print its id", bind: (*app).taskSubmit},
			{name: "get", args: "ID", summary: "show a task's state, trail and result", bind: (*app).taskGet},
			{name: "watch", args: "ID", summary: "wait for a task to finish, then show it", bind: (*app).taskWatch},
		}},
		{name: "phase", summary: "show or change the PACE phase", def: "show", subs: []*command{
			{name: "show", summary: "show the phase, who set it and why, and its history", bind: (*app).phaseShow},
			{name: "set", args: "TO --reason R [--agent A]", summary: "move to another phase (P→A and A→C need security, emergency ciso)", bind: (*app).phaseSet},
		}},
		{name: "kill", args: "--reason R", summary: "pull the kill switch: stop every agent and enter emergency (ciso)", bind: (*app).kill},
		{name: "recover", args: "--root-cause X --remediation Y --baselines-updated --approver Z",
			summary: "return from emergency to primary with the post-incident review (ciso)", bind: (*app).recoverPhase},
		{name: "approvals", summary: "list and decide approvals of escalated actions", def: "list", subs: []*command{
			{name: "list", args: "[--state S]", summary: "list approvals: ID STATE AGENT TOOL TASK EXPIRES DECIDED-BY", bind: (*app).approvalsList},
			{name: "approve", args: "ID [--reason R]", summary: "approve a pending action (operator)", bind: approvalsDecide(true)},
			{name: "deny", args: "ID [--reason R]", summary: "deny a pending action; its task does not get it (operator)", bind: approvalsDecide(false)},
		}},
		{name: "token", summary: "manage admin API tokens", subs: []*command{
			{name: "create", args: "--role R [--name N]", summary: "create a token and print only the token, shown once (ciso)", bind: (*app).tokenCreate},
		}},
		{name: "scan", args: "TEXT | - | --file F [--channel C] [--classification L]", summary: "dry-run the guardrails and DLP on a text (no side effects)", bind: (*app).scan},
		{name: "judge", summary: "judge assurance", subs: []*command{
			{name: "eval", args: "FILE [--json]", summary: "run a labelled set through the judge: detection by severity, false positives, latency", bind: (*app).judgeEval},
		}},
		{name: "tools", summary: "sign and check tool manifests (SC-2.2)", subs: []*command{
			{name: "keygen", args: "[--dir D]", summary: "write a tool-signing key pair (keep the private key offline)", bind: (*app).toolsKeygen},
			{name: "sign", args: "MANIFEST --key KEY [--out F]", summary: "sign a manifest (YAML or JSON) into <name>.manifest.json", bind: (*app).toolsSign},
			{name: "verify", args: "FILE... --pub KEYS", summary: "check signed manifests against public keys", bind: (*app).toolsVerify},
		}},
		{name: "audit", summary: "check the decision log", subs: []*command{
			{name: "verify", args: "[--dir DIR]", summary: "verify the decision log through the API, or offline in DIR", bind: (*app).auditVerify},
		}},
		{name: "demo", summary: "generate load with the claims workload", subs: []*command{
			{name: "load", args: "--rate N --duration D", summary: "submit synthetic claims at a steady rate and report outcomes and latency", bind: (*app).demoLoad},
		}},
	}
}

// Run runs masoctl with args (without the program name) and returns the
// exit code: 0 on success, 1 when the command failed, 2 on a usage error.
// env looks up environment variables (os.Getenv in the binary).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, env: env, g: globals{timeout: DefaultTimeout}}
	defer a.closeIdle()
	fs := newFlagSet("masoctl", stderr)
	a.g.register(fs)
	if err := fs.Parse(args); err != nil {
		return a.flagFailed(err, nil)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		a.topHelp(stderr)
		return 2
	}
	if rest[0] == "help" {
		return a.help(rest[1:])
	}
	return a.dispatch(ctx, nil, commands(), rest)
}

// dispatch finds the command named by args[0] among cmds (under the
// group path) and runs it.
func (a *app) dispatch(ctx context.Context, path []*command, cmds []*command, args []string) int {
	c := find(cmds, args[0])
	if c == nil {
		return a.fail(usageError("unknown command %q (%s)", strings.Join(append(names(path), args[0]), " "), commandList(path, cmds)))
	}
	path, args = append(path, c), args[1:]
	a.path = names(path)
	if c.subs == nil {
		return a.runLeaf(ctx, path, args)
	}
	switch {
	case len(args) > 0 && find(c.subs, args[0]) != nil:
		return a.dispatch(ctx, path, c.subs, args)
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help"):
		a.commandHelp(a.stdout, path)
		return 0
	case c.def != "" && (len(args) == 0 || strings.HasPrefix(args[0], "-")):
		return a.runLeaf(ctx, append(path, find(c.subs, c.def)), args)
	case len(args) == 0:
		return a.fail(usageError("%s needs a subcommand (%s)", strings.Join(names(path), " "), commandList(path, c.subs)))
	}
	return a.fail(usageError("unknown command %q (%s)", strings.Join(append(names(path), args[0]), " "), commandList(path, c.subs)))
}

// runLeaf parses the leaf command's flags and runs it.
func (a *app) runLeaf(ctx context.Context, path []*command, args []string) int {
	leaf := path[len(path)-1]
	a.path = names(path)
	fs := newFlagSet("masoctl "+strings.Join(names(path), " "), a.stderr)
	run := leaf.bind(a, fs)
	a.g.register(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return a.flagFailed(err, path)
	}
	if a.g.timeout <= 0 {
		return a.fail(usageError("--timeout must be greater than 0, got %v", a.g.timeout))
	}
	return a.fail(run(ctx, pos))
}

// flagFailed handles a flag parsing error: -h prints help (exit 0); any
// other error, already reported by the flag package, exits 2.
func (a *app) flagFailed(err error, path []*command) int {
	if errors.Is(err, flag.ErrHelp) {
		if path == nil {
			a.topHelp(a.stdout)
		} else {
			a.commandHelp(a.stdout, path)
		}
		return 0
	}
	fmt.Fprintln(a.stderr, a.usageHint())
	return 2
}

// fail reports err and returns its exit code.
func (a *app) fail(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrFailed):
		return 1
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(a.stderr, "masoctl: %s\n%s\n", strings.TrimPrefix(err.Error(), ErrUsage.Error()+": "), a.usageHint())
		return 2
	}
	fmt.Fprintf(a.stderr, "masoctl: %s\n", strings.TrimPrefix(err.Error(), "masoctl: "))
	return 1
}

// usageHint points at the help of the command being run.
func (a *app) usageHint() string {
	return "Run '" + strings.Join(append([]string{"masoctl", "help"}, a.path...), " ") + "' for usage."
}

func (a *app) closeIdle() {
	if a.hc != nil {
		a.hc.CloseIdleConnections()
	}
}

func find(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

func names(path []*command) []string {
	out := make([]string, len(path))
	for i, c := range path {
		out[i] = c.name
	}
	return out
}

// commandList names the commands for an error message.
func commandList(path []*command, cmds []*command) string {
	prefix := strings.Join(append(names(path), ""), " ")
	list := make([]string, len(cmds))
	for i, c := range cmds {
		list[i] = prefix + c.name
	}
	if path == nil {
		list = append(list, "help")
	}
	return "commands: " + strings.Join(list, ", ")
}
