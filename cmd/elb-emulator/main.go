// Command elb-emulator runs the elbconform reference emulator of the Elastic Load Balancing
// Classic API (plus the EC2 slice its fixtures need) as a standalone HTTP server.
//
//	elb-emulator -addr 127.0.0.1:4580 -registration-delay 2s -fault register-returns-sent-only
//
// It prints "elb-emulator listening on http://ADDR" on stdout once it accepts connections and
// shuts down cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/elbconform/elbconform/emulator"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without process globals, so tests can drive it. The first
// SIGINT or SIGTERM shuts the emulator down, within shutdownLimit; a second
// one ends it at once. The handler stays installed until the process exits:
// as PID 1 of a container the kernel drops a signal the process does not
// handle, and `docker stop` would then wait for its timeout and kill it.
func run(args []string, stdout, stderr io.Writer) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
			return
		}
		cancel()
		sig := <-sigs
		fmt.Fprintf(stderr, "elb-emulator: %v during shutdown: exiting now\n", sig)
		os.Exit(1)
	}()
	return serve(ctx, args, stdout, stderr)
}

// shutdownLimit bounds Close after a signal: it waits for requests in flight
// and data-plane goroutines (a proxied connection may be dialling its backend,
// for up to 10 s), and the emulator must be gone before the stop timeout of
// docker stop (10 s) or testcontainers (5 s, the container target's).
const shutdownLimit = 2 * time.Second

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("elb-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addr         = fs.String("addr", "127.0.0.1:4580", "listen address")
		region       = fs.String("region", "us-east-1", "region; its zones are AWS's (us-east-1a to us-east-1f for us-east-1), or <region>a, b and c for a region the emulator does not know")
		unbacked     = fs.Bool("unbacked-healthy", false, "simulate instances without a backend as healthy (InService after -registration-delay); by default, as on AWS, nothing listens on them and they fail their health checks")
		regDelay     = fs.Duration("registration-delay", 0, "with -unbacked-healthy: time an instance without a backend stays OutOfService before InService (0 = default 2s)")
		startDelay   = fs.Duration("instance-start-delay", 0, "EC2 pending->running (and stopping/shutting-down) time (0 = default 1s)")
		hcScale      = fs.Float64("health-check-scale", 0, "multiplier of health-check intervals and timeouts (0 = 1, AWS's timing; 0.02 checks a 5 s interval every 100 ms)")
		maxInstances = fs.Int("max-instances-per-lb", 0, "registered-instance quota per load balancer (0 = default 1000, <0 = unlimited)")
		maxLBs       = fs.Int("max-load-balancers", 0, "load balancer quota of the region (classic-load-balancers): CreateLoadBalancer answers TooManyLoadBalancers past it (0 = default 20, AWS's default; <0 = unlimited)")
		maxListeners = fs.Int("max-listeners-per-lb", 0, "listener quota per load balancer (classic-listeners) (0 = default 100, AWS's default; <0 = unlimited)")
		maxRunning   = fs.Int("max-running-instances", 0, "the account's On-Demand instance limit: instances pending or running at once; RunInstances launches at most what is left and answers InstanceLimitExceeded when MinCount does not fit (0 = default 20, AWS's documented default; <0 = no limit, at most 100000 per call)")
		readTimeout  = fs.Duration("read-timeout", 0, "time a client may take to send one request, headers and body; a stalled body is answered 400 RequestTimeout (0 = default 30s)")
		faults       = fs.String("fault", "", "comma-separated fault modes to switch on (see -list-faults)")
		variants     = fs.String("variant", "", "comma-separated benign variants to switch on (see -list-faults)")
		listFaults   = fs.Bool("list-faults", false, "print the fault modes and variants and exit")
		verbose      = fs.Bool("v", false, "log every request to stderr")

		allowBackends emulator.Networks
	)
	fs.Var(&allowBackends, "allow-backends", "comma-separated networks (CIDR, or single IP addresses) besides loopback that instances' elb-emulator:backend tags may name and the data plane may connect to, e.g. 172.17.0.0/16 for a Docker network; backends must be IP:port (default: loopback only, 127.0.0.0/8 and ::1)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "elb-emulator: unexpected arguments: %v\n", fs.Args())
		return 2
	}
	if *listFaults {
		printModes(stdout)
		return 0
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	srv, err := emulator.Start(emulator.Options{
		Region:                      *region,
		Addr:                        *addr,
		UnbackedHealthy:             *unbacked,
		RegistrationDelay:           *regDelay,
		InstanceStartDelay:          *startDelay,
		HealthCheckScale:            *hcScale,
		MaxInstancesPerLoadBalancer: *maxInstances,
		MaxLoadBalancers:            *maxLBs,
		MaxListenersPerLoadBalancer: *maxListeners,
		MaxRunningInstances:         *maxRunning,
		AllowedBackendNetworks:      allowBackends,
		RequestReadTimeout:          *readTimeout,
		Faults:                      splitList(*faults),
		Variants:                    splitList(*variants),
		Logger:                      logger,
	})
	if err != nil {
		fmt.Fprintf(stderr, "elb-emulator: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "elb-emulator listening on %s\n", srv.URL())
	<-ctx.Done()
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			fmt.Fprintf(stderr, "elb-emulator: shutdown: %v\n", err)
			return 1
		}
	case <-time.After(shutdownLimit):
		fmt.Fprintf(stderr, "elb-emulator: shutdown not done after %s: exiting anyway\n", shutdownLimit)
		return 1
	}
	logUsage(logger, srv.Usage())
	return 0
}

// logUsage logs, at shutdown, what the run asked for, counted as AWS bills it (also at
// GET /_emulator/usage while it runs): a run at AWS's timings (-instance-start-delay 15s
// -health-check-scale 1, make bench-aws-timings) tells what it would cost on AWS.
func logUsage(log *slog.Logger, u emulator.Usage) {
	log.Info("emulator usage",
		"instancesLaunched", u.InstancesLaunched, "instanceSeconds", int(u.InstanceSeconds),
		"billedInstanceSeconds", int(u.BilledInstanceSeconds),
		"loadBalancersCreated", u.LoadBalancersCreated, "loadBalancerSeconds", int(u.LoadBalancerSeconds),
		"billedLoadBalancerHours", u.BilledLoadBalancerHours, "apiCalls", u.APICalls)
}

func printModes(w io.Writer) {
	fmt.Fprintln(w, "Fault modes (-fault), each breaks one documented promise:")
	for _, m := range emulator.FaultModes() {
		fmt.Fprintf(w, "  %-38s %s\n", m.Name, m.Description)
	}
	fmt.Fprintln(w, "\nBenign variants (-variant), behaviours the documentation leaves open:")
	for _, m := range emulator.Variants() {
		fmt.Fprintf(w, "  %-38s %s\n", m.Name, m.Description)
	}
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
