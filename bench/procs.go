package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// The processes a run starts: palmaid and the floors, on free loopback ports.

// proc is a child process on a loopback port.
type proc struct {
	cmd  *exec.Cmd
	base string
}

func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start runs the command with env on a free port (addrEnv names the variable that gets it, or
// the flag when it starts with '-') and waits for /readyz; it returns how long that took.
func start(name string, logTo io.Writer, env []string, addrArg string, args ...string) (*proc, time.Duration, error) {
	addr, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	if strings.HasPrefix(addrArg, "-") {
		args = append(args, addrArg, addr)
	} else {
		env = append(env, addrArg+"="+addr)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logTo, logTo
	t := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &proc{cmd: cmd, base: "http://" + addr}
	exited := make(chan struct{})
	go func() { _, _ = cmd.Process.Wait(); close(exited) }()
	for {
		select {
		case <-exited:
			return nil, 0, fmt.Errorf("%s exited before answering /readyz", name)
		default:
		}
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p, time.Since(t), nil
			}
		}
		if time.Since(t) > 60*time.Second {
			p.stop()
			return nil, 0, fmt.Errorf("%s: no /readyz within 60 s", name)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
