package emulator

import (
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"regexp"
	"time"
)

// Options configures an emulator instance. The zero value is usable: every field has a default.
type Options struct {
	Region    string // default "us-east-1"; zones <region>a, <region>b, <region>c
	AccountID string // default "123456789012"
	Addr      string // listen address for Start; default "127.0.0.1:0"

	// UnbackedHealthy simulates every instance without a backend (BackendTag) as healthy:
	// InService RegistrationDelay after registration, whatever its health check. This is
	// not what AWS does (an instance with nothing listening fails its checks and goes
	// OutOfService/Instance, which is the default here); it is kept for users who register
	// instances that serve nothing and want them InService. The suite never relies on it.
	UnbackedHealthy bool
	// RegistrationDelay is how long an instance simulated healthy (UnbackedHealthy)
	// reports OutOfService/ELB "Instance registration is still in progress." before it is
	// InService (default 2s). Every other instance's health check decides instead.
	RegistrationDelay time.Duration
	// InstanceStartDelay is the EC2 transition time pending->running (default 1s);
	// stopping->stopped and shutting-down->terminated take the same time.
	InstanceStartDelay time.Duration
	// HealthCheckScale multiplies the interval and timeout of a load balancer's
	// health check (ConfigureHealthCheck, or the default one), for every
	// registered instance, so tests see real checks in a fraction of AWS's seconds:
	// 0.02 checks a 5 s interval every 100 ms. 0 means 1 (AWS's timing).
	HealthCheckScale float64
	// MaxInstancesPerLoadBalancer is the registered-instance quota (default 1000);
	// a negative value means unlimited (benchmarks).
	MaxInstancesPerLoadBalancer int
	// MaxLoadBalancers is the classic-load-balancers quota: how many load balancers the
	// region may hold; past it CreateLoadBalancer answers TooManyLoadBalancers (default 20,
	// AWS's default). MaxListenersPerLoadBalancer is the classic-listeners quota (default
	// 100, AWS's). A negative value means unlimited. DescribeAccountLimits reports all three.
	MaxLoadBalancers            int
	MaxListenersPerLoadBalancer int
	// MaxRunningInstances is the account's On-Demand instance limit: how many instances may
	// be pending or running at once (default 20, the On-Demand instance limit AWS documents
	// for a new account; docs/sources.md 15). RunInstances launches at most what is left
	// of it (MaxCount is cut down, as on AWS) and answers InstanceLimitExceeded when
	// MinCount does not fit. A negative value means no account limit; one call then still
	// launches at most 100,000 instances.
	MaxRunningInstances int

	// AllowedBackendNetworks are the networks, besides loopback (127.0.0.0/8 and ::1, always
	// allowed), that the data plane may connect to: an instance's BackendTag must name an
	// IP address in one of them, and every connection to a backend is checked again when
	// it is dialled. Without it, whoever can call the API cannot make the emulator connect
	// anywhere but its own host (no cloud metadata address, no internal service). A
	// container that reaches its backends over a Docker network needs that network here,
	// e.g. 172.17.0.0/16 (-allow-backends).
	AllowedBackendNetworks []netip.Prefix

	// RequestReadTimeout is how long a client may take to send one API request, headers
	// and body (default 30s; the headers alone get at most 10s). A request whose body
	// stalls is cut off with 400 RequestTimeout and has no effect. Only Start applies it
	// (a NewHandler handler runs in the caller's http.Server).
	RequestReadTimeout time.Duration

	Faults   []string // names from FaultModes(); each breaks one documented promise
	Variants []string // names from Variants(); benign behaviours the docs leave open

	Logger *slog.Logger // nil = discard
}

// Defaults of the zero Options.
const (
	defaultRegion            = "us-east-1"
	defaultAccountID         = "123456789012"
	defaultAddr              = "127.0.0.1:0"
	defaultRegistrationDelay = 2 * time.Second
	defaultInstanceDelay     = 1 * time.Second
	defaultMaxInstancesPerLB = 1000
	defaultMaxRunning        = 20
	defaultReadTimeout       = 30 * time.Second
)

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// withDefaults returns a copy of o with defaults filled in, or an error when a field is
// invalid. Validating here (rather than failing later on a request) lets NewHandler report
// configuration mistakes, such as a misspelt fault name, to the caller immediately.
func (o Options) withDefaults() (Options, error) {
	if o.Region == "" {
		o.Region = defaultRegion
	}
	if !regionPattern.MatchString(o.Region) {
		return o, fmt.Errorf("emulator: invalid region %q", o.Region)
	}
	if o.AccountID == "" {
		o.AccountID = defaultAccountID
	}
	if !accountPattern.MatchString(o.AccountID) {
		return o, fmt.Errorf("emulator: invalid account id %q (want 12 digits)", o.AccountID)
	}
	if o.Addr == "" {
		o.Addr = defaultAddr
	}
	if o.RegistrationDelay == 0 {
		o.RegistrationDelay = defaultRegistrationDelay
	}
	if o.RegistrationDelay < 0 {
		return o, fmt.Errorf("emulator: negative RegistrationDelay %v", o.RegistrationDelay)
	}
	if o.InstanceStartDelay == 0 {
		o.InstanceStartDelay = defaultInstanceDelay
	}
	if o.InstanceStartDelay < 0 {
		return o, fmt.Errorf("emulator: negative InstanceStartDelay %v", o.InstanceStartDelay)
	}
	if !validScale(o.HealthCheckScale) {
		return o, fmt.Errorf("emulator: invalid HealthCheckScale %v (want a positive number, or 0 for 1)", o.HealthCheckScale)
	}
	if o.HealthCheckScale == 0 {
		o.HealthCheckScale = 1
	}
	if o.MaxInstancesPerLoadBalancer == 0 {
		o.MaxInstancesPerLoadBalancer = defaultMaxInstancesPerLB
	}
	if o.MaxLoadBalancers == 0 {
		o.MaxLoadBalancers = maxLoadBalancers
	}
	if o.MaxListenersPerLoadBalancer == 0 {
		o.MaxListenersPerLoadBalancer = maxListenersPerLB
	}
	if o.MaxRunningInstances == 0 {
		o.MaxRunningInstances = defaultMaxRunning
	}
	if o.RequestReadTimeout == 0 {
		o.RequestReadTimeout = defaultReadTimeout
	}
	if o.RequestReadTimeout < 0 {
		return o, fmt.Errorf("emulator: negative RequestReadTimeout %v", o.RequestReadTimeout)
	}
	nets, err := backendNetworks(o.AllowedBackendNetworks)
	if err != nil {
		return o, err
	}
	o.AllowedBackendNetworks = nets // loopback first, then the extra networks, masked
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o, nil
}

// zones returns the availability zones of the region, in order.
func (o Options) zones() []string {
	return zoneNames(o.Region) // regions.go: AWS's zones per region, else a, b, c
}
