package registry

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newZapLogger returns a zap logger (what the etcd client and server
// take) that forwards to l under component. etcd's info level is chatty
// and maps to slog debug; warn and above keep their level.
func newZapLogger(l *slog.Logger, component string) *zap.Logger {
	h := l.Handler().WithAttrs([]slog.Attr{slog.String("component", component)})
	return zap.New(&slogCore{h: h})
}

// slogCore is a zapcore.Core writing to a slog.Handler.
type slogCore struct {
	h slog.Handler
}

func (c *slogCore) Enabled(l zapcore.Level) bool {
	return c.h.Enabled(context.Background(), slogLevel(l))
}

func (c *slogCore) With(fields []zapcore.Field) zapcore.Core {
	return &slogCore{h: c.h.WithAttrs(zapAttrs(fields))}
}

func (c *slogCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *slogCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	level := slogLevel(e.Level)
	if level > slog.LevelDebug && shutdownNoise(fields) {
		level = slog.LevelDebug // etcd reports its own listeners closing at a clean stop as errors
	}
	rec := slog.NewRecord(e.Time, level, e.Message, 0)
	if e.LoggerName != "" {
		rec.AddAttrs(slog.String("logger", e.LoggerName))
	}
	rec.AddAttrs(zapAttrs(fields)...)
	return c.h.Handle(context.Background(), rec)
}

func (c *slogCore) Sync() error { return nil }

func slogLevel(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.InfoLevel:
		return slog.LevelDebug
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	default:
		return slog.LevelError
	}
}

// zapAttrs converts zap fields to slog attributes, sorted by key.
func zapAttrs(fields []zapcore.Field) []slog.Attr {
	if len(fields) == 0 {
		return nil
	}
	enc := zapcore.NewMapObjectEncoder()
	for _, f := range fields {
		f.AddTo(enc)
	}
	keys := make([]string, 0, len(enc.Fields))
	for k := range enc.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		attrs = append(attrs, slog.Any(k, enc.Fields[k]))
	}
	return attrs
}

// shutdownNoise reports an etcd log entry whose error is only its listeners
// closing, which etcd logs as an error on every clean stop.
func shutdownNoise(fields []zapcore.Field) bool {
	for _, f := range fields {
		if f.Key != "error" {
			continue
		}
		if err, ok := f.Interface.(error); ok {
			msg := err.Error()
			return strings.Contains(msg, "use of closed network connection") || strings.HasSuffix(msg, "server closed") ||
				strings.HasSuffix(msg, "Server closed")
		}
	}
	return false
}
