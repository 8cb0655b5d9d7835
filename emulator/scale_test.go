package emulator

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Scale benchmarks: the cost of a call must grow with the request (and, where the API says
// the answer lists them, with the members of that one load balancer), never with the rest of
// the world. Driven through the handler directly (no network), so they measure the emulator,
// not the loopback stack:
//
//	go test -run='^$' -bench='Scale|Isolation|Memory' -benchtime=200x ./emulator

var scaleSizes = []int{10, 1000, 100000}

// benchEnvWithMembers starts an emulator whose load balancer "bench" has n members, and
// returns its handler and spare running instances (same zone, not registered).
func benchEnvWithMembers(b *testing.B, n, spare int) (*env, []string) {
	e := newEnv(b, Options{MaxInstancesPerLoadBalancer: -1})
	ids := e.seedInstances(n+spare, "us-east-1a")
	e.createLB("bench", "us-east-1a")
	for start := 0; start < n; start += 10000 {
		if code := serveRegister(e.srv.h, "bench", ids[start:min(start+10000, n)]); code != 200 {
			b.Fatalf("seeding registration: %d", code)
		}
	}
	return e, ids[n:]
}

func registerBody(lb string, ids []string) string {
	var body strings.Builder
	body.WriteString(elbForm("RegisterInstancesWithLoadBalancer", "LoadBalancerName", lb))
	for i, id := range ids {
		fmt.Fprintf(&body, "&Instances.member.%d.InstanceId=%s", i+1, id)
	}
	return body.String()
}

func serveRegister(h *handler, lb string, ids []string) int {
	return serve(h, registerBody(lb, ids))
}

// serve sends one request to the handler and discards the answer (a recorder would copy it,
// and at 100,000 members that copy would be a large part of what is measured).
func serve(h *handler, body string) int {
	req, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	w := &discardWriter{h: http.Header{}, status: http.StatusOK}
	h.ServeHTTP(w, req)
	return w.status
}

// forget deregisters ids from lb directly in the store (O(len(ids)), no answer written), so a
// benchmark loop keeps the load balancer at its size.
func forget(h *handler, lb string, ids []string) {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	for _, id := range ids {
		h.deregister(h.st.elb.lbs[lb], id, time.Now())
	}
}

// BenchmarkRegisterScale registers k new instances into a load balancer of n members, as a
// whole request: the state change is O(k), the answer lists all n+k members (the API says it
// answers the updated membership), so ns/op grows with n through the answer alone; compare
// BenchmarkRegisterCoreScale, which leaves the answer out. Each iteration then forgets the k
// instances (O(k), directly in the store) so n stays put.
func BenchmarkRegisterScale(b *testing.B) {
	for _, n := range scaleSizes {
		for _, k := range []int{1, 100} {
			b.Run(fmt.Sprintf("n=%d/k=%d", n, k), func(b *testing.B) {
				e, spare := benchEnvWithMembers(b, n, 4*k)
				h := e.srv.h
				bodies := make([]string, 4)
				for i := range bodies {
					bodies[i] = registerBody("bench", spare[i*k:(i+1)*k])
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					if code := serve(h, bodies[i%4]); code != 200 {
						b.Fatalf("status %d", code)
					}
					forget(h, "bench", spare[(i%4)*k:(i%4+1)*k])
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n+k), "ns/answered-member")
			})
		}
	}
}

// BenchmarkRegisterCoreScale is the state change of a registration without the request and
// the answer: validation and membership update of k instances into n members. Flat in n.
func BenchmarkRegisterCoreScale(b *testing.B) {
	for _, n := range scaleSizes {
		for _, k := range []int{1, 100} {
			b.Run(fmt.Sprintf("n=%d/k=%d", n, k), func(b *testing.B) {
				e, spare := benchEnvWithMembers(b, n, k)
				h := e.srv.h
				st := h.st
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					now := time.Now()
					st.mu.Lock()
					lb := st.elb.lbs["bench"]
					for _, id := range spare {
						if p, _ := h.registrationProblem(lb, id, now); p != "" {
							b.Fatal(p)
						}
						h.register(lb, id, now)
					}
					for _, id := range spare {
						h.deregister(lb, id, now)
					}
					st.mu.Unlock()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(k), "ns/instance")
			})
		}
	}
}

// BenchmarkDescribeScale answers DescribeInstanceHealth and DescribeLoadBalancers (naming the
// load balancer) for a load balancer of n members: O(n), the answer lists them all.
func BenchmarkDescribeScale(b *testing.B) {
	for _, n := range scaleSizes {
		e, _ := benchEnvWithMembers(b, n, 0)
		h := e.srv.h
		for _, op := range []struct{ name, body string }{
			{"DescribeInstanceHealth", elbForm("DescribeInstanceHealth", "LoadBalancerName", "bench")},
			{"DescribeLoadBalancers", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "bench")},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", op.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if code := serve(h, op.body); code != 200 {
						b.Fatalf("status %d", code)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/member")
			})
		}
	}
}

// BenchmarkDescribeIsolation answers a 10-member load balancer while `others` other load
// balancers of 5,000 members each exist (19 is the emulator's quota of 20 load balancers
// less this one: 95,000 other members): the time must not depend on them.
func BenchmarkDescribeIsolation(b *testing.B) {
	const perOther = 5000
	for _, others := range []int{0, 19} {
		e, spare := benchEnvWithMembers(b, 10, perOther*others)
		h := e.srv.h
		for i := range others {
			name := fmt.Sprintf("other-%d", i)
			if code := serve(h, elbForm("CreateLoadBalancer", "LoadBalancerName", name,
				"Listeners.member.1.Protocol", "HTTP", "Listeners.member.1.LoadBalancerPort", "80",
				"Listeners.member.1.InstancePort", "8080", "AvailabilityZones.member.1", "us-east-1a")); code != 200 {
				b.Fatalf("CreateLoadBalancer: %d", code)
			}
			if code := serveRegister(h, name, spare[perOther*i:perOther*(i+1)]); code != 200 {
				b.Fatalf("register: %d", code)
			}
		}
		for _, op := range []struct{ name, body string }{
			{"DescribeInstanceHealth", elbForm("DescribeInstanceHealth", "LoadBalancerName", "bench")},
			{"DescribeLoadBalancers", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "bench")},
			{"Register", registerBody("bench", []string{e.srv.h.st.elb.lbs["bench"].members.ids()[0]})},
		} {
			b.Run(fmt.Sprintf("%s/other-lbs=%d", op.name, others), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					if code := serve(h, op.body); code != 200 {
						b.Fatalf("status %d", code)
					}
				}
			})
		}
	}
}

// BenchmarkMemoryPerMember registers 100,000 instances (1,000 per call, as a client would)
// and reports the live heap they add, per member, after a GC; the instances themselves
// exist before the measurement starts.
func BenchmarkMemoryPerMember(b *testing.B) {
	const n = 100000
	for range b.N {
		b.StopTimer()
		e := newEnv(b, Options{MaxInstancesPerLoadBalancer: -1})
		ids := e.seedInstances(n, "us-east-1a")
		e.createLB("bench", "us-east-1a")
		bodies := make([]string, 0, n/1000)
		for start := 0; start < n; start += 1000 {
			bodies = append(bodies, registerBody("bench", ids[start:start+1000]))
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		for _, body := range bodies {
			if code := serve(e.srv.h, body); code != 200 {
				b.Fatalf("status %d", code)
			}
		}
		b.StopTimer()
		bodies = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/n, "heap-B/member")
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "members/s")
		runtime.KeepAlive(e)
		b.StartTimer()
	}
}
