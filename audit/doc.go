// Package audit is the runtime's decision log: an append-only,
// hash-chained, segmented log of every delivered or rejected bus message,
// tool call, verdict and task step (MASO OB-1.1, OB-1.2, OB-2.1).
//
// # Overview
//
// A Log lives in one directory (the daemon uses <data-dir>/audit). Each
// Append adds one Entry that carries the caller's Event, a dense 1-based
// sequence number, a UTC time stamp, the hash of the previous entry and
// its own hash, so that every entry is linked to the one before it
// (OB-2.1). Verify and Log.Verify walk the chain and report the first
// entry that was changed, removed, inserted or reordered, and any segment
// file that is missing or was truncated (OB-T1.3).
//
// # Usage
//
//	log, err := audit.Open(filepath.Join(dataDir, "audit"), audit.Options{})
//	if err != nil {
//		return err
//	}
//	defer log.Close()
//	_, err = log.Append(audit.Event{
//		Type:     "message.rejected",
//		Verdict:  "block",
//		Controls: []string{"IA-2.3"},
//		Agent:    "spiffe://maso.local/agent/planner",
//	})
//
// Offline, Verify(dir) checks a directory and returns a Report whose JSON
// form is {"ok":true,"entries":N,"head":"<hex>"}, plus "error",
// "segment", "line" and "seq" when the log is damaged. Read iterates the
// verified entries in order.
//
// # On-disk format
//
// Segment files are named 00000001.log, 00000002.log, ... and a new one
// is started when the current one would grow beyond
// Options.SegmentMaxBytes. Each line is one entry:
//
//	{"hash":"<64 hex>","body":{"seq":N,"time":"<RFC 3339>","prev":"<64 hex>","event":{...}}}\n
//
// The hash is the lowercase hex SHA-256 of "maso.audit.v1\n" followed by
// the bytes of the body value exactly as they appear in the file; the
// verifier hashes those raw bytes and never re-encodes them. The first
// entry's prev is 64 '0' characters; every other prev is the hash of the
// entry before it, across segment boundaries too. Every byte outside the
// body must be exactly what the writer puts there, so a change to any
// single byte of a segment is detected and located by segment, line and
// seq. The directory also holds a LOCK file, which carries no data.
//
// # Limits
//
// A hash chain alone cannot show that entries were removed from the end
// of the log, or that the last entry was rewritten together with its
// hash: what is left is still a valid chain. Log.Verify catches this
// while the log is open, because the Log keeps its head in memory; for
// the files at rest, later work anchors the head (Log.Head) outside the
// directory, in etcd checkpoints and SIEM export, and compares against
// it. A chain also does not stop someone who can write the directory from
// rewriting all of it; that, too, is what the external anchor is for.
//
// # Durability
//
// Append writes the whole entry to the segment file with one write
// before it returns, so a process crash loses no appended entry. Files
// are fsynced every Options.SyncInterval (or on every Append if it is
// negative), on rotation and on Close; that interval bounds what a power
// failure can lose. A final line left without its newline by a crash is
// truncated away by Open with a logged warning; any other damage makes
// Open fail with ErrCorrupt rather than continue a broken chain.
package audit
