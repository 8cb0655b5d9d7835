package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Scale benchmarks: 100,000 members, driven through the handler directly (no network) so
// they measure the emulator, not the loopback stack. Run with
//
//	go test -run='^$' -bench=. -benchtime=1x ./emulator
func benchEnvWithMembers(b *testing.B, n int) (*handler, []string) {
	e := newEnv(b, Options{MaxInstancesPerLoadBalancer: -1})
	ids := e.seedInstances(n+1000, "us-east-1a")
	e.createLB("bench", "us-east-1a")
	h := e.srv.h
	for start := 0; start < n; start += 10000 {
		if code := serveRegister(h, ids[start:min(start+10000, n)]); code != 200 {
			b.Fatalf("seeding registration: %d", code)
		}
	}
	return h, ids[n:]
}

func serveRegister(h *handler, ids []string) int {
	var body strings.Builder
	body.WriteString(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", "bench"))
	for i, id := range ids {
		fmt.Fprintf(&body, "&Instances.member.%d.InstanceId=%s", i+1, id)
	}
	return serve(h, body.String())
}

func serve(h *handler, body string) int {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// BenchmarkRegisterOneInto100k: registering one instance costs O(1) plus writing the
// 100k-member answer.
func BenchmarkRegisterOneInto100k(b *testing.B) {
	h, spare := benchEnvWithMembers(b, 100000)
	b.ResetTimer()
	for i := range b.N {
		if code := serveRegister(h, spare[i%len(spare):i%len(spare)+1]); code != 200 {
			b.Fatalf("status %d", code)
		}
	}
}

// BenchmarkRegister100kInBatches registers 100,000 instances, 1,000 per call.
func BenchmarkRegister100kInBatches(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e := newEnv(b, Options{MaxInstancesPerLoadBalancer: -1})
		ids := e.seedInstances(100000, "us-east-1a")
		e.createLB("bench", "us-east-1a")
		b.StartTimer()
		for start := 0; start < len(ids); start += 1000 {
			if code := serveRegister(e.srv.h, ids[start:start+1000]); code != 200 {
				b.Fatalf("status %d", code)
			}
		}
	}
}

func BenchmarkDescribeInstanceHealth100k(b *testing.B) {
	h, _ := benchEnvWithMembers(b, 100000)
	body := elbForm("DescribeInstanceHealth", "LoadBalancerName", "bench")
	b.ResetTimer()
	for range b.N {
		if code := serve(h, body); code != 200 {
			b.Fatalf("status %d", code)
		}
	}
}

func BenchmarkDescribeLoadBalancers100k(b *testing.B) {
	h, _ := benchEnvWithMembers(b, 100000)
	body := elbForm("DescribeLoadBalancers")
	b.ResetTimer()
	for range b.N {
		if code := serve(h, body); code != 200 {
			b.Fatalf("status %d", code)
		}
	}
}
