package actors

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// headerVersion is the first byte of every encoded header.
const headerVersion = 1

// Limits on header fields, so a hostile header cannot make the decoder allocate much.
const (
	maxHeaderBytes = 64 << 10
	maxFieldBytes  = 8 << 10
	maxChain       = 16
)

// ErrMalformedHeader reports a header that is not in the canonical encoding.
var ErrMalformedHeader = errors.New("actors: malformed envelope header")

// Provenance says where a claim came from (PG-2.5).
type Provenance struct {
	Source   string // "tool", "rag", "agent-generated", "human", ...
	Verified bool
}

// Header is the signed metadata of an envelope (DESIGN.md §3).
//
// Its encoding is canonical: fields in a fixed order, integers big-endian and
// fixed width, byte strings with a 4-byte length prefix. Encode always produces
// the same bytes for the same header, and Decode accepts exactly those bytes and
// nothing else (trailing bytes, unknown versions and invalid UTF-8 are refused).
type Header struct {
	ID             [16]byte // UUIDv7
	From, To       string   // principal names: agent names, or "orchestrator", "ingress", ...
	Kind           Kind
	TaskID         string
	ParentID       [16]byte // message this one answers or follows from; zero if none
	ReplyTo        [16]byte // set on a reply to a Request: the request's ID
	Originator     string   // first delegator of a delegated task (IA-2.4)
	Chain          []string // every delegator on the way, originator first
	TaskSpecHash   [32]byte // SHA-256 of the task spec the message serves (PG-3.2)
	Classification Classification
	Provenance     Provenance
	Confidence     float64 // NaN when not given (PG-2.7)
	IssuedAt       int64   // Unix nanoseconds
	ExpiresAt      int64   // Unix nanoseconds
	Seq            uint64  // per-sender sequence number
	PayloadType    string
	SignerFP       [32]byte // SHA-256 of the signer's certificate
	TraceParent    string   // W3C trace context
	TraceState     string
}

// AppendEncode appends the canonical encoding of h to dst.
func (h *Header) AppendEncode(dst []byte) []byte {
	dst = append(dst, headerVersion)
	dst = append(dst, h.ID[:]...)
	dst = appendString(dst, h.From)
	dst = appendString(dst, h.To)
	dst = append(dst, byte(h.Kind))
	dst = appendString(dst, h.TaskID)
	dst = append(dst, h.ParentID[:]...)
	dst = append(dst, h.ReplyTo[:]...)
	dst = appendString(dst, h.Originator)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(h.Chain)))
	for _, c := range h.Chain {
		dst = appendString(dst, c)
	}
	dst = append(dst, h.TaskSpecHash[:]...)
	dst = append(dst, byte(h.Classification))
	dst = appendString(dst, h.Provenance.Source)
	dst = append(dst, boolByte(h.Provenance.Verified))
	dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(canonicalFloat(h.Confidence)))
	dst = binary.BigEndian.AppendUint64(dst, uint64(h.IssuedAt))
	dst = binary.BigEndian.AppendUint64(dst, uint64(h.ExpiresAt))
	dst = binary.BigEndian.AppendUint64(dst, h.Seq)
	dst = appendString(dst, h.PayloadType)
	dst = append(dst, h.SignerFP[:]...)
	dst = appendString(dst, h.TraceParent)
	dst = appendString(dst, h.TraceState)
	return dst
}

// Encode returns the canonical encoding of h.
func (h *Header) Encode() []byte { return h.AppendEncode(make([]byte, 0, 256)) }

// canonicalFloat maps every NaN to one bit pattern, so "no confidence" has one encoding.
func canonicalFloat(f float64) float64 {
	if math.IsNaN(f) {
		return math.NaN()
	}
	return f
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func appendString(dst []byte, s string) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(s)))
	return append(dst, s...)
}

// DecodeHeader parses a canonical header. It never panics on hostile input.
func DecodeHeader(b []byte) (Header, error) {
	var h Header
	if len(b) > maxHeaderBytes {
		return h, fmt.Errorf("%w: %d bytes exceeds the %d-byte limit", ErrMalformedHeader, len(b), maxHeaderBytes)
	}
	d := decoder{b: b}
	if v := d.byte(); v != headerVersion && d.err == nil {
		return h, fmt.Errorf("%w: version %d, want %d", ErrMalformedHeader, v, headerVersion)
	}
	d.fixed(h.ID[:])
	h.From = d.string("from")
	h.To = d.string("to")
	h.Kind = Kind(d.byte())
	h.TaskID = d.string("task_id")
	d.fixed(h.ParentID[:])
	d.fixed(h.ReplyTo[:])
	h.Originator = d.string("originator")
	h.Chain = d.chain()
	d.fixed(h.TaskSpecHash[:])
	h.Classification = Classification(d.byte())
	h.Provenance.Source = d.string("provenance")
	h.Provenance.Verified = d.bool()
	h.Confidence = d.confidence()
	h.IssuedAt = int64(d.uint64())
	h.ExpiresAt = int64(d.uint64())
	h.Seq = d.uint64()
	h.PayloadType = d.string("payload_type")
	d.fixed(h.SignerFP[:])
	h.TraceParent = d.string("traceparent")
	h.TraceState = d.string("tracestate")
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", ErrMalformedHeader, len(d.b))
	}
	if d.err == nil {
		d.err = h.checkEnums()
	}
	return h, d.err
}

func (h *Header) checkEnums() error {
	if !h.Kind.Valid() {
		return fmt.Errorf("%w: unknown kind %d", ErrMalformedHeader, h.Kind)
	}
	if !h.Classification.Valid() {
		return fmt.Errorf("%w: unknown classification %d", ErrMalformedHeader, h.Classification)
	}
	if f := h.Confidence; !math.IsNaN(f) && (f < 0 || f > 1) {
		return fmt.Errorf("%w: confidence %v outside [0,1]", ErrMalformedHeader, f)
	}
	return nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || len(d.b) < n {
		d.err = fmt.Errorf("%w: truncated", ErrMalformedHeader)
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) byte() byte {
	if p := d.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) bool() bool {
	switch v := d.byte(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		if d.err == nil {
			d.err = fmt.Errorf("%w: boolean byte %d", ErrMalformedHeader, v)
		}
		return false
	}
}

// confidence reads a float64 and refuses non-canonical NaN payloads and negative zero.
func (d *decoder) confidence() float64 {
	bits := d.uint64()
	f := math.Float64frombits(bits)
	if d.err == nil && ((math.IsNaN(f) && bits != math.Float64bits(math.NaN())) || (f == 0 && math.Signbit(f))) {
		d.err = fmt.Errorf("%w: non-canonical confidence encoding", ErrMalformedHeader)
	}
	return f
}

func (d *decoder) fixed(dst []byte) { copy(dst, d.take(len(dst))) }

func (d *decoder) uint32() uint32 {
	if p := d.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) uint64() uint64 {
	if p := d.take(8); p != nil {
		return binary.BigEndian.Uint64(p)
	}
	return 0
}

func (d *decoder) string(field string) string {
	n := d.uint32()
	if d.err == nil && n > maxFieldBytes {
		d.err = fmt.Errorf("%w: field %s is %d bytes (limit %d)", ErrMalformedHeader, field, n, maxFieldBytes)
	}
	p := d.take(int(n))
	if d.err == nil && !utf8.Valid(p) {
		d.err = fmt.Errorf("%w: field %s is not valid UTF-8", ErrMalformedHeader, field)
	}
	return string(p)
}

func (d *decoder) chain() []string {
	n := d.uint32()
	if d.err == nil && n > maxChain {
		d.err = fmt.Errorf("%w: delegation chain of %d (limit %d)", ErrMalformedHeader, n, maxChain)
	}
	if d.err != nil || n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.string("chain")
	}
	return out
}
