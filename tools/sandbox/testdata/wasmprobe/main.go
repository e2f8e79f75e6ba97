// Command wasmprobe is built for GOOS=wasip1 by the sandbox tests. Its
// first argument picks what it does:
//
//	hello ARGS...   print the arguments, the environment and stdin
//	steps STEP...   try each STEP (read:PATH, write:PATH:TEXT,
//	                symlink:TARGET:PATH, rawopen:NAME) and print one line
//	                "STEP ok OUTPUT" or "STEP fail" for each
//	loop            spin forever
//	grow            allocate 1 MiB after 1 MiB forever
//	flood           write to stdout forever
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unsafe"
)

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: wasmprobe MODE [ARGS]"))
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "hello":
		in, _ := io.ReadAll(os.Stdin)
		fmt.Printf("hello %s env=%s stdin=%s\n", strings.Join(args, ","), strings.Join(os.Environ(), ","), in)
	case "steps":
		for _, s := range args {
			if out, err := step(strings.Split(s, ":")); err != nil {
				fmt.Printf("%s fail\n", s)
			} else {
				fmt.Printf("%s ok %s\n", s, out)
			}
		}
	case "loop":
		for {
		}
	case "grow":
		var keep [][]byte
		for {
			keep = append(keep, bytes.Repeat([]byte{1}, 1<<20))
		}
	case "flood":
		line := bytes.Repeat([]byte("x"), 4096)
		for {
			os.Stdout.Write(line)
		}
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

func step(s []string) (string, error) {
	switch {
	case s[0] == "read" && len(s) == 2:
		b, err := os.ReadFile(s[1])
		return string(b), err
	case s[0] == "write" && len(s) == 3:
		return "", os.WriteFile(s[1], []byte(s[2]), 0o644)
	case s[0] == "symlink" && len(s) == 3:
		return "", os.Symlink(s[1], s[2])
	case s[0] == "rawopen" && len(s) == 2:
		return "", rawOpen(s[1])
	}
	return "", fmt.Errorf("bad step %q", s)
}

// rawOpen calls path_open on the first preopen (fd 3) with name as given:
// Go's os package would clean a ".." away before the host saw it.
func rawOpen(name string) error {
	var fd uint32
	p := []byte(name)
	const rightFdRead = 1 << 1
	if errno := pathOpen(3, 0, unsafe.Pointer(&p[0]), uint32(len(p)), 0, rightFdRead, 0, 0, unsafe.Pointer(&fd)); errno != 0 {
		return fmt.Errorf("path_open %q: errno %d", name, errno)
	}
	return nil
}

//go:wasmimport wasi_snapshot_preview1 path_open
func pathOpen(dirfd int32, dirflags uint32, path unsafe.Pointer, pathLen uint32, oflags uint32, rightsBase uint64, rightsInheriting uint64, fdflags uint32, fd unsafe.Pointer) uint32

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
