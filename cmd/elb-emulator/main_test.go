package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the command statically (CGO_ENABLED=0), as it is shipped.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "elb-emulator")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestBinaryServesAndShutsDown(t *testing.T) {
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-registration-delay", "50ms", "-variant", "latency")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill() })

			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil {
				t.Fatalf("reading banner: %v (stderr: %s)", err, stderr.String())
			}
			const prefix = "elb-emulator listening on "
			if !strings.HasPrefix(line, prefix) {
				t.Fatalf("banner %q", line)
			}
			url := strings.TrimSpace(strings.TrimPrefix(line, prefix))
			resp, err := http.Get(url + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(body) != "ok" {
				t.Fatalf("/healthz: %d %q", resp.StatusCode, body)
			}

			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit after %v: %v (stderr: %s)", sig, err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no exit within 10s of %v", sig)
			}
			// It says at shutdown what the run used: here nothing but /healthz, no API call.
			if !strings.Contains(stderr.String(), `msg="emulator usage" instancesLaunched=0`) || !strings.Contains(stderr.String(), "apiCalls=0") {
				t.Errorf("no usage line at shutdown in stderr:\n%s", stderr.String())
			}
		})
	}
}

func TestListFaultsAndBadFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-list-faults"}, &out, &errOut); code != 0 {
		t.Fatalf("-list-faults exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"register-returns-sent-only", "throttle-first", "Benign variants"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-list-faults output lacks %q", want)
		}
	}
	errOut.Reset()
	if code := run([]string{"-addr", "127.0.0.1:0", "-fault", "no-such-fault"}, io.Discard, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "no-such-fault") {
		t.Errorf("unknown fault: exit %d, stderr %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"-addr", "127.0.0.1:0", "-health-check-scale", "-1"}, io.Discard, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "HealthCheckScale") {
		t.Errorf("negative -health-check-scale: exit %d, stderr %q", code, errOut.String())
	}
	if code := run([]string{"-no-such-flag"}, io.Discard, io.Discard); code != 2 {
		t.Errorf("unknown flag: exit %d", code)
	}
	if got := splitList(" a, ,b ,"); strings.Join(got, "|") != "a|b" {
		t.Errorf("splitList = %q", got)
	}
}
