package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// echoServer is a host-side loopback listener that answers one line
// with "pong:" and the line, and counts its connections.
type echoServer struct {
	ln    net.Listener
	conns atomic.Int32
}

func newEchoServer(t *testing.T) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				line, _ := bufio.NewReader(c).ReadString('\n')
				fmt.Fprintf(c, "pong:%s", line)
			}()
		}
	}()
	return s
}

func (s *echoServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// dialScript connects with bash's /dev/tcp, sends "ping" and prints the
// answer; it exits 1 when the connection fails.
func dialScript(host string, port int) []string {
	return []string{"/usr/bin/bash", "-c", fmt.Sprintf(
		`exec 3<>/dev/tcp/%s/%d || exit 1; echo ping >&3; head -1 <&3`, host, port)}
}

func TestNetworkNoneWithoutHosts(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	srv := newEchoServer(t)
	res := runOK(t, ProcessSpec{Command: dialScript("127.0.0.1", srv.port())})
	if res.ExitCode == 0 || strings.Contains(string(res.Stdout), "pong") {
		t.Fatalf("reached the host listener: exit %d, stdout %q", res.ExitCode, res.Stdout)
	}
	res = runOK(t, ProcessSpec{Command: sh(`cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' '`)})
	if got := strings.TrimSpace(string(res.Stdout)); got != "lo" {
		t.Errorf("interfaces in the sandbox: %q, want only lo", got)
	}
	time.Sleep(100 * time.Millisecond)
	if n := srv.conns.Load(); n != 0 {
		t.Errorf("the host listener saw %d connections", n)
	}
}

func TestNetworkAllowListForwardsOnlyListedHosts(t *testing.T) {
	t.Parallel()
	requireSandbox(t)
	allowed, other := newEchoServer(t), newEchoServer(t)
	spec := ProcessSpec{
		Command: dialScript("127.0.0.1", allowed.port()),
		Hosts:   []string{fmt.Sprintf("127.0.0.1:%d", allowed.port())},
	}
	if os.Geteuid() != 0 {
		if _, err := Process(context.Background(), spec); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable without root", err)
		}
		t.Skip("allow-list forwarders need root; checked that Process says so")
	}
	res := runOK(t, spec)
	if got := string(res.Stdout); got != "pong:ping\n" {
		t.Fatalf("allowed host: stdout %q, stderr %q", got, res.Stderr)
	}

	spec.Command = dialScript("127.0.0.1", other.port())
	res = runOK(t, spec)
	if res.ExitCode == 0 || other.conns.Load() != 0 {
		t.Errorf("reached an unlisted port: exit %d, stdout %q, %d connections", res.ExitCode, res.Stdout, other.conns.Load())
	}

	spec.Hosts = []string{fmt.Sprintf("localhost:%d", allowed.port())}
	spec.Command = dialScript("localhost", allowed.port())
	res = runOK(t, spec)
	if got := string(res.Stdout); got != "pong:ping\n" {
		t.Errorf("allowed name: stdout %q, stderr %q", got, res.Stderr)
	}
	if n := allowed.conns.Load(); n != 2 {
		t.Errorf("allowed listener saw %d connections, want 2", n)
	}
}
