// Package dataplane is the emulator's data plane: the load balancers' nodes (one per enabled
// zone) whose listeners carry real traffic to instances backed by real addresses, the health
// checks that really probe them, and the check of every dial against the allowed backend
// networks. What the load balancer's attributes and policies do to traffic lives here too:
// cross-zone routing (route.go), connection draining (drain.go), the idle timeout (idle.go)
// and sticky sessions (sticky.go). It knows nothing of the ELB or EC2 API; what it needs of
// the control plane (package emulator) is the narrow ControlPlane interface.
//
// Locking: the control plane's lock is always taken before the data plane's (Plane.mu), never
// the other way round. The data plane reads the control plane only inside ControlPlane.View,
// which holds the control plane's read lock while its function runs; the control plane calls
// OnRegister, OnChange, Deregistered, Sync and Remove with its write lock held (they take
// only Plane.mu, briefly), Bind with its lock held, Status and InFlight with no data-plane lock
// held (they take Plane.mu), and Close with no lock held (it waits for the data plane's
// goroutines, which may wait for the control plane's lock). Probes and proxying run with no
// lock held.
package dataplane

import (
	"crypto/tls"
	"log/slog"
	"net/netip"
	"time"
)

// LB identifies one load balancer: a comparable value of the control plane's (its pointer),
// so that a load balancer re-created under the same name is a new one.
type LB any

// Member identifies one registration of an instance with a load balancer (comparable), so
// that a re-registration starts its health checks over.
type Member any

// MemberState is one member of a load balancer as the control plane sees it now.
type MemberState struct {
	Key     Member
	ID      string // the instance id
	Addr    string // the backend address (IP:port), "" when nothing backs the instance
	Zone    string // the instance's Availability Zone
	Running bool   // the instance's lifecycle state is running
}

// Settings are the load balancer's attributes that shape its traffic.
type Settings struct {
	// CrossZone: each zone's node routes to InService members of every enabled zone;
	// without it only to those of its own zone.
	CrossZone bool
	// Draining: a deregistered or unhealthy member's in-flight requests and open connections
	// are completed (deregistration: at most DrainingTimeout); without it they are cut at once.
	Draining        bool
	DrainingTimeout time.Duration
	// IdleTimeout closes a client connection on which nothing was sent or received for
	// that long (0: 60 s).
	IdleTimeout time.Duration
}

// StickyKind is the kind of stickiness policy in force on a listener.
type StickyKind int

const (
	NotSticky StickyKind = iota
	LBCookie             // duration-based: the load balancer's own cookie (CreateLBCookieStickinessPolicy)
	AppCookie            // application-controlled: follows the application's cookie (CreateAppCookieStickinessPolicy)
)

// Stickiness is the stickiness policy in force on one listener.
type Stickiness struct {
	Kind       StickyKind
	CookieName string        // AppCookie: the application's cookie
	Expiration time.Duration // LBCookie: the cookie's lifetime; 0 for the browser session
}

// Listener is one listener of a load balancer (the API's Listener).
type Listener struct {
	Protocol, InstanceProtocol     string
	LoadBalancerPort, InstancePort int
}

// HealthCheck is a load balancer's health check in force (the API's HealthCheck).
type HealthCheck struct {
	Target                               string
	Interval, Timeout                    int // seconds
	UnhealthyThreshold, HealthyThreshold int
}

// ControlPlane is what the data plane reads of the control plane.
type ControlPlane interface {
	// View runs fn with the control plane's read lock held; Members, HealthCheck,
	// Routable and Certificate are called only inside fn.
	View(fn func())
	// Members answers lb's members whose instance exists, in membership order; none once lb
	// is deleted.
	Members(lb LB, now time.Time) []MemberState
	// HealthCheck answers lb's health check in force.
	HealthCheck(lb LB) HealthCheck
	// Routable reports whether traffic may go to m now: whether it is InService as
	// DescribeInstanceHealth would answer (which may ask Status). Called with no data-plane
	// lock held.
	Routable(lb LB, m MemberState, now time.Time) bool
	// Settings answers lb's attributes in force.
	Settings(lb LB) Settings
	// Stickiness answers the stickiness policy in force on lb's listener on loadBalancerPort.
	Stickiness(lb LB, loadBalancerPort int) Stickiness
	// Certificate answers the server certificate (with its chain and private key) that lb's
	// HTTPS or SSL listener on loadBalancerPort presents now; false when it has none, and
	// the handshake fails. Asked on every TLS handshake (inside View), so that a replaced
	// certificate applies to new connections at once.
	Certificate(lb LB, loadBalancerPort int) (*tls.Certificate, bool)
}

// Config is how the data plane runs.
type Config struct {
	// Allowed are the networks backends may be on (loopback and -allow-backends); every dial
	// is checked against them.
	Allowed []netip.Prefix
	// HealthCheckScale multiplies health-check Interval and Timeout (Scaled).
	HealthCheckScale float64
	Log              *slog.Logger // nil: discard
}
