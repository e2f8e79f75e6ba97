package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const segmentExt = ".log"

// segmentName returns the file name of segment n, e.g. "00000001.log".
func segmentName(n uint64) string { return fmt.Sprintf("%08d%s", n, segmentExt) }

// segmentPath returns the path of segment n in dir.
func segmentPath(dir string, n uint64) string { return filepath.Join(dir, segmentName(n)) }

// parseSegmentName returns the number of a segment file name. Only the
// canonical form written by segmentName is accepted.
func parseSegmentName(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, segmentExt)
	if !ok || len(digits) < 8 {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n == 0 || segmentName(n) != name {
		return 0, false
	}
	return n, true
}

// listSegments returns the segment numbers in dir in ascending order.
// Other files are ignored.
func listSegments(dir string) ([]uint64, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("audit: list segments: %w", err)
	}
	var nums []uint64
	for _, de := range des {
		if n, ok := parseSegmentName(de.Name()); ok && de.Type().IsRegular() {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	return nums, nil
}

// missingSegment returns an error naming the first segment number absent
// from nums, which must start at 1 and be contiguous; nil if none is.
func missingSegment(nums []uint64) error {
	for i, n := range nums {
		if want := uint64(i) + 1; n != want {
			return &corruptError{segment: segmentName(want), msg: "missing"}
		}
	}
	return nil
}

// createSegment creates segment n for appending and makes its directory
// entry durable.
func createSegment(dir string, n uint64) (*os.File, error) {
	f, err := os.OpenFile(segmentPath(dir, n), os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: create segment: %w", err)
	}
	if err := syncDir(dir); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openSegment opens an existing segment for appending.
func openSegment(dir string, n uint64) (*os.File, int64, error) {
	f, err := os.OpenFile(segmentPath(dir, n), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: open segment: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("audit: stat segment: %w", err)
	}
	return f, fi.Size(), nil
}

// syncDir fsyncs a directory so that created files survive power loss.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("audit: sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("audit: sync dir: %w", err)
	}
	return nil
}

// readLine reads one line into buf[:0], growing it as needed. The line
// keeps its newline; a final line without one is returned with io.EOF.
func readLine(r *bufio.Reader, buf []byte) ([]byte, error) {
	buf = buf[:0]
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return buf, err
		}
	}
}

// errNoLastLine reports a segment with no complete line.
var errNoLastLine = errors.New("no complete entry")

// lastLine returns the final complete line of a segment (without its
// newline), reading backwards from size. The segment must end with a
// newline.
func lastLine(f io.ReaderAt, size int64) ([]byte, error) {
	for n := int64(4096); ; n *= 2 {
		start := max(size-n, 0)
		buf := make([]byte, size-start)
		if _, err := f.ReadAt(buf, start); err != nil {
			return nil, fmt.Errorf("audit: read segment tail: %w", err)
		}
		if len(buf) == 0 || buf[len(buf)-1] != '\n' {
			return nil, errNoLastLine
		}
		buf = buf[:len(buf)-1]
		if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
			return buf[i+1:], nil
		}
		if start == 0 {
			return buf, nil
		}
	}
}

// tornTail returns the length of the segment up to and including its last
// newline. Bytes after it are a torn write.
func tornTail(f io.ReaderAt, size int64) (int64, error) {
	const chunk = 4096
	buf := make([]byte, chunk)
	for end := size; end > 0; {
		start := max(end-chunk, 0)
		b := buf[:end-start]
		if _, err := f.ReadAt(b, start); err != nil {
			return 0, fmt.Errorf("audit: read segment tail: %w", err)
		}
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			return start + int64(i) + 1, nil
		}
		end = start
	}
	return 0, nil
}
