package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// domain separates audit entry hashes from every other SHA-256 use.
const domain = "maso.audit.v1\n"

const (
	hashLen    = 2 * sha256.Size
	linePrefix = `{"hash":"`
	bodyPrefix = `","body":`
	bodyStart  = len(linePrefix) + hashLen + len(bodyPrefix)
	// minLine is the shortest line that can hold a body: "{}" plus the
	// closing brace of the line.
	minLine = bodyStart + len("{}") + len("}")
)

var (
	// genesis is the prev hash of the first entry.
	genesis = strings.Repeat("0", hashLen)
	// domainBytes is domain as a byte slice, so hashing does not
	// allocate.
	domainBytes = []byte(domain)
)

// body is the hashed part of a line.
type body struct {
	Seq   uint64    `json:"seq"`
	Time  time.Time `json:"time"`
	Prev  string    `json:"prev"`
	Event Event     `json:"event"`
}

// encoder builds lines. It reuses its buffer and hash, so it must be used
// by one goroutine at a time (the Log's mutex).
type encoder struct {
	h   hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

func newEncoder() *encoder { return &encoder{h: sha256.New()} }

// encode returns the line for an entry, with its trailing newline, and
// the entry's hash. event is the JSON encoding of the Event. The line is
// valid until the next call.
func (e *encoder) encode(seq uint64, t time.Time, prev string, event []byte) ([]byte, string) {
	b := append(e.buf[:0], linePrefix...)
	b = append(b, genesis...) // placeholder, overwritten below
	b = append(b, bodyPrefix...)
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"time":"`...)
	b = t.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","prev":"`...)
	b = append(b, prev...)
	b = append(b, `","event":`...)
	b = append(b, event...)
	b = append(b, '}')
	bodyEnd := len(b)
	b = append(b, "}\n"...)
	e.buf = b

	e.h.Reset()
	e.h.Write(domainBytes)
	e.h.Write(b[bodyStart:bodyEnd])
	hx := b[len(linePrefix) : len(linePrefix)+hashLen]
	hex.Encode(hx, e.h.Sum(e.sum[:0]))
	return b, string(hx)
}

// checkTime rejects times that RFC 3339 (and so the JSON decoder) cannot
// represent.
func checkTime(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("%w: clock time %v outside years 0-9999", ErrInvalidEvent, t)
	}
	return nil
}

// frame splits a line (without its newline) into the hash and the raw
// body bytes. It is strict: any byte outside the body that differs from
// what encode writes is an error.
func frame(line []byte) (hx, raw []byte, err error) {
	if len(line) < minLine {
		return nil, nil, errors.New("line too short")
	}
	if string(line[:len(linePrefix)]) != linePrefix {
		return nil, nil, errors.New(`line does not start with {"hash":"`)
	}
	hx = line[len(linePrefix) : len(linePrefix)+hashLen]
	if !isLowerHex(hx) {
		return nil, nil, errors.New("hash is not 64 lowercase hex digits")
	}
	if string(line[len(linePrefix)+hashLen:bodyStart]) != bodyPrefix {
		return nil, nil, errors.New(`hash not followed by ","body":`)
	}
	if line[len(line)-1] != '}' {
		return nil, nil, errors.New("line does not end with }")
	}
	return hx, line[bodyStart : len(line)-1], nil
}

func isLowerHex(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// hashMatches reports whether hx is the hex hash of raw.
func hashMatches(hx, raw []byte) bool {
	h := sha256.New()
	h.Write(domainBytes)
	h.Write(raw)
	var sum [sha256.Size]byte
	var want [hashLen]byte
	hex.Encode(want[:], h.Sum(sum[:0]))
	return string(want[:]) == string(hx)
}

// decodeBody parses the body of a line whose hash already matched.
func decodeBody(raw []byte) (body, error) {
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		return body{}, err
	}
	return b, nil
}

// claimedSeq returns the seq a damaged body claims, or fallback when the
// body does not parse.
func claimedSeq(raw []byte, fallback uint64) uint64 {
	var b struct {
		Seq *uint64 `json:"seq"`
	}
	if json.Unmarshal(raw, &b) != nil || b.Seq == nil {
		return fallback
	}
	return *b.Seq
}
