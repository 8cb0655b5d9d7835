// Package emulator is the reference emulator of elbconform: an in-memory implementation of
// the Elastic Load Balancing Classic API (2012-06-01, awsQuery) plus the slice of EC2
// (2016-11-15, ec2Query) the suite's fixtures need to create instances, VPCs and subnets.
//
// It is the "known good" target the suite is developed against, and models what AWS does,
// including what fails on AWS. Its behaviour follows the sources quoted in docs/sources.md;
// where they leave a choice open the code says which choice was made and why.
// Time-dependent state (instance lifecycle, registration health) is derived lazily from
// timestamps rather than driven by timers, so reads never mutate state. The only background
// goroutines belong to the data plane below, and only exist while it is used.
//
// # Health
//
// The health check decides for every registered instance, as on AWS (docs/sources.md 8a, 10):
// a new load balancer gets TCP:<instance port>, Interval 30, Timeout 5, UnhealthyThreshold 2,
// HealthyThreshold 10; ConfigureHealthCheck replaces it. An instance backed by a real
// address (below) is really probed. An instance without a backend is a machine with nothing
// listening: every check fails, so it reports OutOfService/ELB "registration is still in
// progress" until UnhealthyThreshold checks (one per Interval) have failed and
// OutOfService/Instance from then on. Options.UnbackedHealthy (-unbacked-healthy) keeps the
// older simulation, InService RegistrationDelay after registration; it is not AWS's behaviour
// and the suite never relies on it.
//
// # Data plane
//
// Load balancers also carry real traffic, so that the suite can check that registration
// decides who receives requests (dataplane.go, dataplane_listen.go, healthcheck.go):
//
//   - Backed instances. An instance launched (or tagged) with the EC2 tag
//     "elb-emulator:backend" = "IP:port" (BackendTag) is backed by that address: traffic
//     routed to it and its health checks go there, whatever the listener's InstancePort and
//     the health check target's port. Instances without the tag have nothing listening:
//     they fail their checks (above) and receive no traffic. The address must be an IP
//     literal on loopback or on a network named in Options.AllowedBackendNetworks
//     (-allow-backends); any other is refused with InvalidParameterValue, and every dial is
//     checked again (backends.go), so that callers of the API cannot make the emulator
//     connect elsewhere.
//   - Listeners. Each HTTP or TCP listener of a load balancer accepts on 127.0.0.1 at a port
//     the OS picks, bound the first time the listeners are asked for (below) and closed by
//     DeleteLoadBalancer and Server.Close (or Close on a NewHandler handler). HTTP listeners
//     proxy each request, TCP listeners each connection, to one backed member that is
//     InService at that moment, round robin; with none, HTTP answers 503 and TCP closes the
//     connection. HTTPS and SSL listeners are accepted by the API but not served: the
//     emulator has no certificates.
//   - Health checks. Backed members are probed with the load balancer's health check every
//     Interval x Options.HealthCheckScale, with a timeout of Timeout x HealthCheckScale, by
//     one goroutine per load balancer that has backed members. A new member is OutOfService
//     ("registration in progress") until HealthyThreshold passes (RegistrationDelay does not
//     apply to it), InService after, OutOfService/Instance after UnhealthyThreshold failures.
//     HTTP passes on 200 only; HTTPS is HTTP over TLS without certificate verification; TCP
//     passes when a connection opens; SSL when a TLS handshake completes. The lifecycle and
//     zone rules win over check results. See healthcheck.go for the details.
//
// # Extensions
//
// Paths under /_emulator/ are the emulator's own, answered in JSON and never as AWS:
//
//	GET /_emulator/listeners?LoadBalancerName=NAME
//
// answers where each listener of NAME accepts connections (binding them the first time):
//
//	{"loadBalancerName":"NAME","listeners":[{"protocol":"HTTP","loadBalancerPort":80,
//	  "instanceProtocol":"HTTP","instancePort":80,"address":"127.0.0.1:41234","served":true}]}
//
// An unserved (HTTPS or SSL) listener has address "" and served false. An unknown load
// balancer is 404 and a missing LoadBalancerName 400, both as {"error":"..."}.
//
// Options.Faults switch on deliberate deviations (each breaks one documented promise) and
// Options.Variants switch on benign behaviours the documentation leaves open; the suite's
// self-test uses them to prove its specs catch real bugs and tolerate legal differences.
package emulator
