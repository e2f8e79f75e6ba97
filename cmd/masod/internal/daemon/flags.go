package daemon

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
)

// Defaults of the flags.
const (
	DefaultDataDir   = "./maso-data"
	DefaultAdminAddr = "127.0.0.1:7480"
)

// options are the parsed flags.
type options struct {
	config       string
	dataDir      string
	adminAddr    string
	remoteListen string
	etcd         etcdFlags
	issuer       issuerFlags
	level        slog.Level
	version      bool
}

const usageHead = `Usage: masod [flags]

masod runs a MASO node and serves its admin API. Without --config it runs
the bundled insurance-claims workload. The bootstrap admin token (role
ciso) is in <data-dir>/admin.token; "masoctl token create" makes more.

Flags:
`

// parseFlags parses args; errors are already reported on stderr.
// flag.ErrHelp means -h was given.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{level: slog.LevelInfo}
	fs := flag.NewFlagSet("masod", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.config, "config", "", "system configuration `file` (default: the bundled claims workload)")
	fs.StringVar(&o.dataDir, "data-dir", DefaultDataDir, "data `directory`: admin token, CA, decision log")
	fs.StringVar(&o.adminAddr, "admin-addr", DefaultAdminAddr, "admin API listen address `host:port`")
	fs.StringVar(&o.remoteListen, "remote-listen", "", "listen for other nodes (mutual TLS) on `host:port`")
	fs.Func("etcd-endpoints", "comma-separated etcd `urls` (default: an embedded etcd in <data-dir>/etcd)", func(s string) error {
		for _, e := range strings.Split(s, ",") {
			if e = strings.TrimSpace(e); e != "" {
				o.etcd.endpoints = append(o.etcd.endpoints, e)
			}
		}
		return nil
	})
	fs.StringVar(&o.etcd.ca, "etcd-ca", "", "CA certificate `file` (PEM) that signed the etcd servers' certificates")
	fs.StringVar(&o.etcd.cert, "etcd-cert", "", "client certificate `file` (PEM) for etcd")
	fs.StringVar(&o.etcd.key, "etcd-key", "", "client key `file` (PEM) for etcd")
	fs.StringVar(&o.issuer.kind, "issuer", "", "certificate issuer: builtin or vault (default: the config's identity.issuer)")
	fs.StringVar(&o.issuer.mount, "vault-pki-mount", "pki", "Vault PKI secrets engine `mount`")
	fs.StringVar(&o.issuer.role, "vault-role", "", "Vault PKI `role` agents' CSRs are signed under")
	fs.Func("log-level", "log `level`: debug, info, warn or error (default info)", func(s string) error {
		l, err := parseLevel(s)
		o.level = l
		return err
	})
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, usageError(fs, "unexpected argument %q", fs.Arg(0))
	}
	if err := checkAddr(fs, "admin-addr", o.adminAddr); err != nil {
		return o, err
	}
	if o.remoteListen != "" {
		if err := checkAddr(fs, "remote-listen", o.remoteListen); err != nil {
			return o, err
		}
	}
	if err := o.etcd.check(); err != nil {
		return o, usageError(fs, "%v", err)
	}
	if err := o.issuer.check(); err != nil {
		return o, usageError(fs, "%v", err)
	}
	return o, nil
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return slog.LevelInfo, errors.New("want debug, info, warn or error")
}

func checkAddr(fs *flag.FlagSet, name, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageError(fs, "invalid value %q for flag -%s: want host:port", addr, name)
	}
	return nil
}

// usageError reports a flag problem the way the flag package does: the
// message, then the usage.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	fmt.Fprintln(fs.Output(), err)
	fs.Usage()
	return err
}
