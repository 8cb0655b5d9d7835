// Package dataplane is the emulator's data plane: the listeners that carry real traffic to
// instances backed by real addresses, the health checks that really probe them, and the
// check of every dial against the allowed backend networks. It knows nothing of the ELB or EC2
// API; what it needs of the control plane (package emulator) is the narrow ControlPlane
// interface.
//
// Locking: the control plane's lock is always taken before the data plane's (Plane.mu), never
// the other way round. The data plane reads the control plane only inside ControlPlane.View,
// which holds the control plane's read lock while its function runs; the control plane calls
// OnRegister, OnChange and Remove with its write lock held (they take only Plane.mu, briefly),
// Bind with its lock held, Status with no data-plane lock held (it takes Plane.mu), and Close
// with no lock held (it waits for the data plane's goroutines, which may wait for the
// control plane's lock). Probes run with no lock held.
package dataplane

import (
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
	Running bool   // the instance's lifecycle state is running
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
	// View runs fn with the control plane's read lock held; Members, HealthCheck and
	// Routable are called only inside fn.
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
