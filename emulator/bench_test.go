package emulator

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/elbconform/elbconform/internal/loadgen"
)

// Hot-path benchmarks: one small call (a load balancer of 10 members, one instance per
// Register call) served
//
//   - in process: the handler alone, no network (BenchmarkHandler);
//   - over loopback HTTP through the real aws-sdk-go-v2 client, client and server sharing the
//     machine's cores (BenchmarkLoopback/mode=sdk);
//   - over loopback HTTP with hand-built forms, signed per request (mode=raw-signed) or
//     signed once and replayed (mode=raw-presigned, the server's ceiling).
//
// The loopback ones report latency percentiles of the calls (p50-µs, p99-µs) beside ns/op,
// which is wall time per call across all clients (1e9/ns/op = calls/s).
//
//	go test -run='^$' -bench='Handler|Loopback' -benchtime=2s ./emulator

var hotOps = []string{loadgen.OpRegister, loadgen.OpDescribeHealth, loadgen.OpDescribeLBs}

// hotFixture starts an emulator and a loadgen fixture on it: a load balancer with 10 running,
// registered instances.
func hotFixture(b *testing.B) (*env, *loadgen.Fixture) {
	e := newEnv(b, Options{MaxInstancesPerLoadBalancer: -1, InstanceStartDelay: time.Millisecond})
	fix, err := loadgen.Setup(context.Background(), loadgen.Target{Endpoint: e.srv.URL()}, loadgen.SetupOptions{Instances: 10})
	if err != nil {
		b.Fatal(err)
	}
	return e, fix
}

func hotBody(fix *loadgen.Fixture, op string, i int) string {
	switch op {
	case loadgen.OpRegister:
		return registerBody(fix.LB, []string{fix.Instances[i%len(fix.Instances)]})
	case loadgen.OpDescribeHealth:
		return elbForm("DescribeInstanceHealth", "LoadBalancerName", fix.LB)
	default:
		return elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", fix.LB)
	}
}

// discardWriter is a minimal http.ResponseWriter, so the handler benchmark measures the
// handler rather than httptest's recorder.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}
func (w *discardWriter) WriteHeader(s int) { w.status = s }

// BenchmarkHandler serves requests straight into the handler from parallel goroutines.
func BenchmarkHandler(b *testing.B) {
	e, fix := hotFixture(b)
	h := e.srv.h
	for _, op := range hotOps {
		b.Run("op="+op, func(b *testing.B) {
			bodies := make([]string, len(fix.Instances))
			for i := range bodies {
				bodies[i] = hotBody(fix, op, i)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: http.Header{}}
				i := 0
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(bodies[i%len(bodies)]))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
					clear(w.h)
					h.ServeHTTP(w, req)
					if w.status != 200 {
						b.Fatalf("status %d", w.status)
					}
					i++
				}
			})
		})
	}
}

// BenchmarkLoopback drives the emulator over loopback HTTP with `clients` concurrent
// clients, each with its own client and connection, as cmd/loadgen does.
func BenchmarkLoopback(b *testing.B) {
	_, fix := hotFixture(b)
	for _, mode := range []loadgen.CallMode{loadgen.SDK, loadgen.RawSigned, loadgen.RawPresigned} {
		for _, op := range hotOps {
			for _, clients := range []int{2, 8} {
				b.Run(fmt.Sprintf("mode=%s/op=%s/clients=%d", mode, op, clients), func(b *testing.B) {
					benchLoopback(b, fix, op, mode, clients)
				})
			}
		}
	}
}

func benchLoopback(b *testing.B, fix *loadgen.Fixture, op string, mode loadgen.CallMode, clients int) {
	callers := make([]loadgen.Caller, clients)
	for i := range callers {
		c, err := fix.NewCaller(op, mode, i)
		if err != nil {
			b.Fatal(err)
		}
		if err := c(context.Background()); err != nil { // dial and warm up outside the timer
			b.Fatal(err)
		}
		callers[i] = c
	}
	lat := make([][]time.Duration, clients)
	var next sync.Mutex
	n := 0
	take := func() bool {
		next.Lock()
		defer next.Unlock()
		if n >= b.N {
			return false
		}
		n++
		return true
	}
	var wg sync.WaitGroup
	b.ResetTimer()
	for i, call := range callers {
		wg.Go(func() {
			ctx := context.Background()
			for take() {
				t0 := time.Now()
				if err := call(ctx); err != nil {
					b.Errorf("%s: %v", op, err)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	p := loadgen.ComputePercentiles(all)
	b.ReportMetric(float64(p.P50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p.P99.Microseconds()), "p99-µs")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
