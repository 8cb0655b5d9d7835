package elb

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
)

// What a load balancer's listeners, attributes and policies do to the
// traffic its registered instances receive: a listener serves from the moment
// it is created and stops when deleted; connection draining lets a
// deregistered instance finish its in-flight requests and, disabled, does
// not; without cross-zone load balancing each zone's node keeps to its zone's
// instances; a connection idle longer than the idle timeout is closed; a
// sticky client keeps reaching one instance while it is in service.
var _ = Describe("Traffic under listeners, attributes and policies", func() {
	const sample = 20 // requests per look

	var zoneA, zoneB string
	BeforeEach(func(ctx SpecContext) {
		zones := f.Zones(ctx, 2)
		zoneA, zoneB = zones[0], zones[1]
	})

	// inService takes n running instances in zone, registers them with lb
	// and waits until each is InService: the starting point of every spec here.
	inService := func(ctx SpecContext, lb, zone string, n int) []string {
		GinkgoHelper()
		ids := f.RunningInstances(ctx, zone, n)
		f.Registered(ctx, lb, ids...)
		f.AwaitInService(ctx, lb, ids...)
		return ids
	}

	// inFlightFor is how long a slow request stays in flight: long enough that
	// a deregistration takes effect meanwhile on a target whose state is
	// eventually consistent (half its patience, at most two minutes).
	inFlightFor := func() time.Duration { return min(f.Timeout()/2, 2*time.Minute) }
	slowURL := func(ctx context.Context, lb string) string {
		GinkgoHelper()
		nodes := f.Nodes(ctx, lb, fixtures.HTTPListener.LoadBalancerPort)
		Expect(nodes).NotTo(BeEmpty(), "%s has a node accepting on port 80", lb)
		return nodes[0] + fixtures.SlowPath + strconv.Itoa(int(inFlightFor()/time.Second))
	}

	It("serves on a listener created after the load balancer and stops serving on one deleted",
		Behaviour("DATA-LISTENER-CREATE-SERVES"), Behaviour("DATA-LISTENER-DELETE-STOPS"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zoneA)
			id := inService(ctx, lb, zoneA, 1)[0]
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(HaveKey(id))

			_, err := f.ELB.DeleteLoadBalancerListeners(ctx, &elb.DeleteLoadBalancerListenersInput{LoadBalancerName: aws.String(lb), LoadBalancerPorts: []int32{80}})
			Expect(err).NotTo(HaveOccurred())
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).ShouldNot(HaveKey(id), "the listener on port 80 is deleted")

			// The same port again, as TCP: a listener of another protocol serves too.
			_, err = f.ELB.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String(lb), Listeners: []elbtypes.Listener{
				{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstanceProtocol: aws.String("TCP"), InstancePort: aws.Int32(80)},
			}})
			Expect(err).NotTo(HaveOccurred())
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(HaveKey(id), "a TCP listener on port 80 is created")
		})

	It("with connection draining, completes a deregistered instance's in-flight request, reports it InService meanwhile and sends it no new request",
		WaitsOnAWSClocks, Behaviour("DATA-DRAINING-COMPLETES"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zoneA)
			f.SetConnectionDraining(ctx, lb, 3600)
			f.SetIdleTimeout(ctx, lb, 3600) // the slow request sends nothing for minutes
			id := inService(ctx, lb, zoneA, 1)[0]
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(HaveKey(id))

			pending := fixtures.InFlight(ctx, slowURL(ctx, lb))
			time.Sleep(time.Second) // it reaches the instance
			f.Deregistered(ctx, lb, id)

			Expect(f.State(ctx, lb, id)).To(Equal("InService"),
				"while an in-flight request is served, a de-registering instance is reported InService (deregistration in progress)")
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).ShouldNot(HaveKey(id), "no new request goes to a deregistered instance")
			Eventually(pending).WithContext(ctx).WithTimeout(inFlightFor()+f.Timeout()).Should(Receive(Equal(id)),
				"the request in flight when %s was deregistered completes", id)
			Eventually(f.State).WithContext(ctx).WithArguments(lb, id).ShouldNot(Equal("InService"), "deregistration completes once nothing is in flight")
		})

	It("without connection draining, does not complete a deregistered instance's in-flight request",
		Behaviour("DATA-NO-DRAINING-CUTS"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zoneA)
			f.SetConnectionDraining(ctx, lb, 0)
			f.SetIdleTimeout(ctx, lb, 3600)
			id := inService(ctx, lb, zoneA, 1)[0]
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(HaveKey(id))

			pending := fixtures.InFlight(ctx, slowURL(ctx, lb))
			time.Sleep(time.Second)
			f.Deregistered(ctx, lb, id)

			var answer string
			Eventually(pending).WithContext(ctx).WithTimeout(inFlightFor() + f.Timeout()).Should(Receive(&answer))
			Expect(answer).NotTo(Equal(id), "the request in flight when %s was deregistered is not completed (an error or a 5xx, not the instance's answer)", id)
		})

	It("without cross-zone load balancing routes each zone's node only to that zone's instances, and with it across zones",
		WaitsOnAWSClocks, Behaviour("DATA-CROSS-ZONE-OFF"), Behaviour("DATA-CROSS-ZONE-ON"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zoneA, zoneB)
			f.SetCrossZone(ctx, lb, false)
			inA := inService(ctx, lb, zoneA, 1)[0]
			inB := inService(ctx, lb, zoneB, 1)[0]
			bothZones := func(m map[string]int) bool { return m[inA] > 0 && m[inB] > 0 }

			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(SatisfyAll(HaveKey(inA), HaveKey(inB)),
				"each zone's node serves its zone's instance")
			Consistently(func() []map[string]int { return f.TrafficPerNode(ctx, lb, sample/2) }).WithContext(ctx).WithTimeout(settle()).
				ShouldNot(ContainElement(Satisfy(bothZones)), "without cross-zone load balancing no node serves both %s (%s) and %s (%s)", inA, zoneA, inB, zoneB)

			f.SetCrossZone(ctx, lb, true)
			Eventually(func() []map[string]int { return f.TrafficPerNode(ctx, lb, sample) }).WithContext(ctx).
				Should(ContainElement(Satisfy(bothZones)), "with cross-zone load balancing a node routes to both zones")
		})

	It("closes a client connection that stays idle longer than the idle timeout, and keeps one that is used",
		Behaviour("DATA-IDLE-TIMEOUT"), func(ctx SpecContext) {
			const idle = 2 // seconds
			lb := f.CreateLoadBalancer(ctx, zoneA)
			f.SetIdleTimeout(ctx, lb, idle)
			id := inService(ctx, lb, zoneA, 1)[0]
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(HaveKey(id))
			node := f.Nodes(ctx, lb, fixtures.HTTPListener.LoadBalancerPort)[0]

			// A connection used more often than the timeout stays open.
			client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			reused := 0
			for i := range 4 {
				trace := &httptrace.ClientTrace{GotConn: func(c httptrace.GotConnInfo) {
					if c.Reused {
						reused++
					}
				}}
				req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, node+"/", nil)
				Expect(err).NotTo(HaveOccurred())
				res, err := client.Do(req)
				Expect(err).NotTo(HaveOccurred(), "request %d", i+1)
				_, _ = io.Copy(io.Discard, res.Body) // a body read to its end lets the connection be reused
				res.Body.Close()
				time.Sleep(idle * time.Second / 2)
			}
			Expect(reused).To(Equal(3), "requests every %d s keep one connection to the load balancer open", idle/2)

			// A connection on which nothing is sent is closed after about the timeout.
			conn, err := net.DialTimeout("tcp", strings.TrimPrefix(node, "http://"), 5*time.Second)
			Expect(err).NotTo(HaveOccurred())
			defer conn.Close()
			opened := time.Now()
			Expect(conn.SetReadDeadline(opened.Add(idle*time.Second + 15*time.Second))).To(Succeed())
			_, err = conn.Read(make([]byte, 1))
			Expect(err).To(HaveOccurred(), "the load balancer sends nothing on an idle connection")
			Expect(isTimeout(err)).To(BeFalse(), "the load balancer closed the idle connection within %d s of the %d s idle timeout", 15, idle)
			Expect(time.Since(opened)).To(BeNumerically(">=", idle*time.Second/2), "the connection stays open for the idle timeout")
		})

	It("with a load-balancer cookie policy keeps a client holding the cookie on one instance, and moves it when that instance is deregistered",
		Behaviour("DATA-STICKY-LB-COOKIE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zoneA)
			ids := inService(ctx, lb, zoneA, 2)
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(SatisfyAll(HaveKey(ids[0]), HaveKey(ids[1])))
			f.StickWithLBCookie(ctx, lb, fixtures.HTTPListener.LoadBalancerPort, 0)
			node := f.Nodes(ctx, lb, fixtures.HTTPListener.LoadBalancerPort)[0]

			client, stuck := stickySession(ctx, node+"/", node+"/", sample)
			other := otherOf(ids, stuck)
			f.Deregistered(ctx, lb, stuck)
			Eventually(fixtures.AskAll).WithContext(ctx).WithArguments(client, node+"/", sample).Should(Equal(map[string]int{other: sample}),
				"once %s is deregistered the sticky client reaches %s, and stays there", stuck, other)
		})

	It("with an application cookie policy keeps a client holding the application's cookie on the instance that issued it, and moves it when that instance is deregistered",
		Behaviour("DATA-STICKY-APP-COOKIE"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancer(ctx, zoneA)
			ids := inService(ctx, lb, zoneA, 2)
			Eventually(f.Traffic).WithContext(ctx).WithArguments(lb, sample).Should(SatisfyAll(HaveKey(ids[0]), HaveKey(ids[1])))
			f.StickWithAppCookie(ctx, lb, fixtures.HTTPListener.LoadBalancerPort, fixtures.SessionCookie)
			node := f.Nodes(ctx, lb, fixtures.HTTPListener.LoadBalancerPort)[0]

			client, stuck := stickySession(ctx, node+fixtures.SessionPath, node+"/", sample)
			other := otherOf(ids, stuck)
			f.Deregistered(ctx, lb, stuck)
			Eventually(fixtures.AskAll).WithContext(ctx).WithArguments(client, node+"/", sample).ShouldNot(HaveKey(stuck),
				"once %s is deregistered the client holding its cookies reaches %s", stuck, other)
		})
})

// stickySession starts a browser-like client's session - its first request to
// start, which the load balancer (or the application) answers with a cookie -
// and waits until every one of n further requests to next reaches the
// instance that served the first: a stickiness policy applies eventually. It
// answers the client and that instance.
func stickySession(ctx context.Context, start, next string, n int) (*http.Client, string) {
	GinkgoHelper()
	var client *http.Client
	var stuck string
	Eventually(func(g Gomega) {
		client = fixtures.CookieClient()
		stuck = fixtures.Ask(ctx, client, start)
		g.Expect(stuck).To(HavePrefix("i-"), "the first request is served")
		g.Expect(fixtures.AskAll(ctx, client, next, n)).To(Equal(map[string]int{stuck: n}), "every request with the cookie reaches %s", stuck)
	}).WithContext(ctx).Should(Succeed())
	return client, stuck
}

func otherOf(ids []string, id string) string {
	if ids[0] == id {
		return ids[1]
	}
	return ids[0]
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
