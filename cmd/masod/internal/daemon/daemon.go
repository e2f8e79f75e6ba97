package daemon

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/maso-runtime/maso/admin"
	"github.com/maso-runtime/maso/config"
	"github.com/maso-runtime/maso/node"
	"github.com/maso-runtime/maso/supervisor"
	"github.com/maso-runtime/maso/workload/claims"
)

// StopTimeout bounds stopping the node after the admin server is down.
const StopTimeout = 10 * time.Second

// IO is where masod writes: logs go to Stderr; Stdout receives the
// version and the output of stdout telemetry exporters.
type IO struct {
	Stdout io.Writer
	Stderr io.Writer
}

// Run runs masod with the given arguments (without the program name)
// until ctx ends, and returns the process exit code.
func Run(ctx context.Context, args []string, stdio IO, version string) int {
	o, err := parseFlags(args, stdio.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	case o.version:
		fmt.Fprintln(stdio.Stdout, versionString(version))
		return 0
	}
	cfg, err := loadConfig(o.config)
	if err != nil {
		fmt.Fprintf(stdio.Stderr, "masod: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stdio.Stderr, &slog.HandlerOptions{Level: o.level}))
	if err := serve(ctx, o, cfg, stdio.Stdout, log); err != nil {
		log.Error("masod failed", "err", err)
		return 1
	}
	return 0
}

// loadConfig loads the file, or the bundled claims workload if path is "".
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return claims.DefaultConfig()
	}
	return config.Load(path)
}

// serve starts the node, serves the admin API until ctx ends, then stops
// the server and the node in that order.
func serve(ctx context.Context, o options, cfg *config.Config, telemetry io.Writer, log *slog.Logger) (err error) {
	w := claims.New()
	opts := node.Options{Config: cfg, DataDir: o.dataDir, Behaviours: w.Behaviours(), Tools: w.Tools(),
		Logger: log, Telemetry: telemetry, Compensations: map[string]supervisor.Compensation{}}
	for name, fn := range w.Compensations() {
		opts.Compensations[name] = fn
	}
	if opts.Etcd, err = etcdOptions(o.etcd, cfg.Etcd); err != nil {
		return err
	}
	if opts.Issuer, err = newIssuer(ctx, o.issuer, cfg, log, os.Getenv); err != nil {
		return err
	}
	if o.remoteListen != "" {
		opts.Remote = &node.RemoteOptions{Listen: o.remoteListen}
	}
	n, err := node.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), StopTimeout)
		defer cancel()
		err = errors.Join(err, n.Stop(sctx))
		log.Info("node stopped")
	}()
	log.Info("admin token", "file", filepath.Join(n.DataDir(), node.TokenFile), "role", admin.CISO.String())
	h := admin.NewHandler(admin.Config{Runtime: n, Auth: admin.RuntimeAuth(n), Logger: log.With("component", "admin")})
	err = admin.Serve(ctx, o.adminAddr, h, func(a net.Addr) {
		log.Info("admin API listening", "addr", a.String(), "url", "http://"+a.String())
	})
	if err == nil {
		log.Info("admin API stopped")
	}
	return err
}

// versionString names the version, the VCS revision when known and the
// Go version.
func versionString(version string) string {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " " + s.Value[:12]
			}
		}
	}
	return fmt.Sprintf("masod %s%s (%s)", version, rev, runtime.Version())
}
