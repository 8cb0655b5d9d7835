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
// decides who receives requests (internal/dataplane, seen from here through dataplane.go):
//
//   - Backed instances. An instance launched (or tagged) with the EC2 tag
//     "elb-emulator:backend" = "IP:port" (BackendTag) is backed by that address: traffic
//     routed to it and its health checks go there, whatever the listener's InstancePort and
//     the health check target's port. Instances without the tag have nothing listening:
//     they fail their checks (above) and receive no traffic. The address must be an IP
//     literal on loopback or on a network named in Options.AllowedBackendNetworks
//     (-allow-backends); any other is refused with InvalidParameterValue, and every dial is
//     checked again (internal/dataplane, dial.go), so that callers of the API cannot make
//     the emulator connect elsewhere.
//   - Nodes and listeners. A load balancer has a node in each enabled zone, and each node
//     accepts each listener's connections on 127.0.0.1 at a port the OS picks,
//     bound the first time the listeners are asked for (below); from then on the nodes follow
//     CreateLoadBalancerListeners, DeleteLoadBalancerListeners and zone changes at once, and
//     DeleteLoadBalancer and Server.Close (or Close on a NewHandler handler) close them. HTTP
//     listeners proxy each request, TCP listeners each connection, to one backed member that
//     is InService at that moment, round robin: without cross-zone load balancing (the
//     default) among the members in the node's zone, with it among all. With none, HTTP
//     answers 503 and TCP closes the connection. Stickiness policies on HTTP listeners keep a
//     client holding the AWSELB cookie on one member while it is InService. Connection
//     draining lets a deregistered member's in-flight requests finish (up to its timeout;
//     without draining they are cut), and a client connection idle longer than the idle
//     timeout is closed. HTTPS and SSL listeners terminate TLS with the listener's server
//     certificate (uploaded to the emulator's IAM, below), asked for on every handshake so
//     that SetLoadBalancerListenerSSLCertificate applies to new connections at once, and then
//     proxy as HTTP and TCP listeners do.
//   - Health checks. Backed members are probed with the load balancer's health check every
//     Interval x Options.HealthCheckScale, with a timeout of Timeout x HealthCheckScale (at least
//     0.5 s, so that a busy machine does not fail a healthy backend), by
//     one goroutine per load balancer that has backed members. A new member is OutOfService
//     ("registration in progress") until HealthyThreshold passes (RegistrationDelay does not
//     apply to it), InService after, OutOfService/Instance after UnhealthyThreshold failures.
//     HTTP passes on 200 only; HTTPS is HTTP over TLS without certificate verification; TCP
//     passes when a connection opens; SSL when a TLS handshake completes. The lifecycle and
//     zone rules win over check results. See internal/dataplane/healthcheck.go for the details.
//
// # Extensions
//
// Paths under /_emulator/ are the emulator's own, answered in JSON and never as AWS:
//
//	GET /_emulator/listeners?LoadBalancerName=NAME
//
// answers where each listener of NAME accepts connections (binding them the first time): the
// node of each enabled zone, as AWS's DNS name answers one address per zone, and the first
// of them as "address":
//
//	{"loadBalancerName":"NAME","listeners":[{"protocol":"HTTP","loadBalancerPort":80,
//	  "instanceProtocol":"HTTP","instancePort":80,"address":"127.0.0.1:41234","served":true,
//	  "nodes":[{"zone":"us-east-1a","address":"127.0.0.1:41234"},
//	           {"zone":"us-east-1b","address":"127.0.0.1:41240"}]}]}
//
// Every listener is served, HTTPS and SSL ones too; a listener that could not be bound has
// address "", no nodes and served false. An unknown load balancer is 404 and a missing
// LoadBalancerName 400, both as {"error":"..."}.
//
//	GET /_emulator/usage
//
// answers what the account has used so far, what a run would be billed for on AWS:
// instances launched, instance-seconds, load balancers created, load-balancer-seconds and
// API calls per action (usage.go); `make bench-aws-timings` reads it after a run, and the
// emulator binary logs it when it stops.
//
// # Server certificates (IAM)
//
// HTTPS and SSL listeners name a server certificate by ARN. The emulator serves the slice of
// IAM (2010-05-08, awsQuery, on the same endpoint) that manages them: UploadServerCertificate,
// GetServerCertificate, ListServerCertificates, DeleteServerCertificate (iam_dispatch.go,
// iam_<action>.go; state in iam_state.go). IAM is global, so an IAM request signed for any
// region is served. An uploaded certificate must be PEM with a matching PEM private key,
// which the emulator keeps to terminate TLS; its ARN is
// arn:aws:iam::<account>:server-certificate<path><name>. ELB refuses an SSLCertificateId that
// names none with CertificateNotFound, including ACM ARNs (there is no ACM), and IAM refuses
// to delete a certificate a listener uses (DeleteConflict) (elb_certificates.go).
//
// # Self-test modes
//
// Options.Faults switch on deliberate deviations (each breaks one documented promise) and
// Options.Variants switch on benign behaviours the documentation leaves open; the suite's
// self-test uses them to prove its specs catch real bugs and tolerate legal differences.
// They stay outside the reference logic, which never names a mode:
//
//   - Wire-level modes (missing-request-id, wrong-namespace, no-member-wrappers,
//     error-type-receiver, error-status-200, error-ec2-envelope, content-type-plain;
//     shuffle-order, latency, extra-elements, reworded-errors, request-id-format,
//     throttle-first) decorate the ELB wire.Envelope, the wire.Writer's list Style, the
//     request-id generator or the request handler (internal/modes, wire.go), and are
//     installed only when on.
//   - State-level modes act through the deviations interface (deviations.go): one method
//     per place where the reference code asks, each called in one place, with an identity
//     implementation (reference) and the modes' one (deviations_modes.go).
//
// # Layout
//
//   - internal/wire: the protocols, knowing nothing of ELB or EC2 state: form decoding
//     (Params), the answer writer (Writer), errors (Error), the awsQuery and ec2Query
//     envelopes, request ids, the SigV4 credential scope.
//   - internal/modes: the mode names and descriptions, and the wire-level modes.
//   - internal/dataplane: listeners, proxying, health checks and the dial check against the
//     allowed backend networks. It sees the control plane only through its ControlPlane
//     interface (members of a load balancer with their backend address and whether each
//     instance is running, the health check in force, whether a member is InService now),
//     implemented by dataplane.go here; its doc.go states the lock discipline.
//   - handler.go routes a request to its service; elb_dispatch.go, ec2_dispatch.go and
//     iam_dispatch.go hold a table from action name to operation (elbOps, ec2Ops, iamOps),
//     the index of the code: each
//     action lives in the file named after it, with its own validation, and its tests in
//     the _test.go file of the same name: RegisterInstancesWithLoadBalancer in
//     elb_register_instances.go and elb_register_instances_test.go, RunInstances in
//     ec2_run_instances.go. Closely related actions share a file whose name names them all
//     (elb_availability_zones.go: Enable/Disable; elb_attach_detach_subnets.go;
//     elb_add_remove_describe_tags.go; ec2_start_stop_terminate_instances.go;
//     ec2_delete_subnet_and_vpc.go; ec2_create_describe_tags.go).
//   - The two services are separate parts of the store (store.go), each with its own state
//     and operations: EC2 in ec2State (ec2_state.go; VPCs, subnets, security groups, instances, ec2_model.go)
//     and ELB in elbState (elb_state.go; load balancers and the reverse index of which load
//     balancers each instance is registered with, elb_model.go). services.go is the seam:
//     ELB reads EC2 only through ec2Reader (an instance's lifecycle state at a time, since
//     when, its VPC, zone, backend address, whether it exists; a subnet or a zone's default
//     subnet with its VPC; whether a zone exists; a security group's name and VPC, and the
//     default_elb_ group ELB creates in the default VPC), which answers values, never EC2's
//     structs; EC2 tells ELB what it must react to only through elbHooks (an instance
//     begins terminating, an instance gained a BackendTag, DeleteSubnet asking whether a
//     load balancer uses the subnet, DeleteSecurityGroup whether one uses the group),
//     implemented by elbSide. layout_test.go fails if ELB
//     code (elb_*.go, dataplane.go, deviations*.go, extensions.go) names an EC2 type or
//     reaches the EC2 state other than through elb.ec2.
//   - Shared by several actions: elb_helpers.go and ec2_helpers.go (lookups, answer
//     fragments), elb_validate.go (parameter checks), elb_tags_quotas.go (tag and quota
//     checks), ec2_filters.go, elb_health.go (what DescribeInstanceHealth and the data plane
//     report), backends.go (BackendTag values, -allow-backends). Test helpers: helpers_test.go, dataplane_helpers_test.go.
//
// One RWMutex (store.mu) stays shared by both services, so every call is all-or-nothing,
// including those that cross the seam (a termination deregistering the instance, DeleteSubnet
// asking ELB): an operation takes it once, checks everything, then changes what it changes;
// the ec2Reader and elbHooks methods are called with it held and never take it.
//
// # Adding an operation
//
//  1. Write func (h *handler) <action>(rc *wire.Request, x *wire.Writer) *wire.Error in a new
//     file named after the action (elb_<action>.go or ec2_<action>.go, snake case, without
//     the service's own words: elb_register_instances.go), with the validation only it
//     uses: validate rc.Params first (elb_validate.go helpers), then take h.st.mu once,
//     check everything, change state, write the Result body into x. On error return the
//     *wire.Error and change nothing. A helper that a second action needs moves to
//     elb_helpers.go or ec2_helpers.go. An ELB operation reads EC2 only through h.st.elb.ec2
//     (ec2Reader); if it needs more of EC2, add a method there that answers a value. An EC2
//     operation that ELB must react to calls h.st.ec2.elb (elbHooks).
//  2. Add it to elbOps (elb_dispatch.go) or ec2Ops (ec2_dispatch.go) under its action name,
//     with its file name as comment, and remove it from elbModelOnlyActions if it was there.
//  3. Cite the documented behaviour in docs/sources.md and test it in the _test.go file of
//     the same name, through the SDK as the suite does.
//  4. If it changes what the data plane serves (membership, listeners, zones, attributes,
//     health check, a load balancer's existence), tell it with the store's write lock held:
//     h.onRegister, h.deregister, h.listenersChanged, h.zonesChanged, h.attributesChanged,
//     h.dp.OnChange or h.dp.Remove (dataplane.go).
//
// # Adding a fault or variant
//
//  1. Name and describe it in internal/modes (modes.go: a constant and an entry of Faults or
//     Variants); cmd/elb-emulator -list-faults and the self-test pick it up from there.
//  2. Wire-level (how answers look, not what is decided): a decorator in internal/modes
//     (wire.go), installed in ELBEnvelope, WrapAPI or WrapELBDispatch when the mode is on.
//  3. State-level: if no method of deviations (deviations.go) covers the place it changes,
//     add one, with its identity in reference, and call it in one place in the reference
//     code; then override it in modeDeviations (deviations_modes.go) under the mode's name.
//  4. Add its check to modes_test.go; the self-test must kill a fault and hold a variant.
package emulator
