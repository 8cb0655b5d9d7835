// Command loadgen drives an ELB Classic endpoint with N concurrent clients and prints
// throughput, latency percentiles and errors by code. It works against any endpoint (the
// reference emulator, moto, LocalStack, ...), so implementations can be compared:
//
//	loadgen -endpoint http://127.0.0.1:4580 -op register -clients 16 -duration 10s
//	loadgen -start-emulator -op describe-health -clients 8 -raw
//
// It creates its own load balancer and instances through the endpoint's ELB and EC2 APIs
// (tagged elbconform:owner=elbconform and elbconform:run-id=loadgen-…, so `make sweep`
// finds leftovers) and removes them when done. Register calls register one instance each,
// cycling through the load balancer's instances (already members), so the answer stays the
// same size however long the run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/internal/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		endpoint  = fs.String("endpoint", os.Getenv("AWS_ENDPOINT_URL"), "endpoint URL (default $AWS_ENDPOINT_URL)")
		region    = fs.String("region", "", "region (default $AWS_REGION, else us-east-1)")
		ops       = fs.String("op", loadgen.OpRegister, "operation(s), comma-separated: "+strings.Join(loadgen.Ops, ", "))
		clients   = fs.Int("clients", 2*runtime.GOMAXPROCS(0), "concurrent clients, each with its own SDK client and connection")
		duration  = fs.Duration("duration", 5*time.Second, "measured time per operation")
		warmup    = fs.Duration("warmup", 500*time.Millisecond, "unmeasured time before each measurement")
		raw       = fs.Bool("raw", false, "send hand-built forms over net/http, SigV4-signed per request, instead of the SDK")
		presign   = fs.Bool("presigned", false, "with -raw: sign once and replay the headers (the client does almost nothing)")
		instances = fs.Int("instances", 10, "instances on the load balancer (the size of every answer)")
		zone      = fs.String("zone", "", "availability zone (default <region>a)")
		imageID   = fs.String("image-id", "", "AMI for RunInstances (default ami-12345678, which emulators accept)")
		realCreds = fs.Bool("aws-credentials", false, "sign with the standard AWS credential chain instead of dummy static credentials")
		startEmu  = fs.Bool("start-emulator", false, "start an in-process reference emulator (unlimited instances per load balancer) and drive it")
	)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "loadgen: unexpected arguments %v\n", fs.Args())
		return 2
	}
	if *presign && !*raw {
		fmt.Fprintln(stderr, "loadgen: -presigned needs -raw")
		return 2
	}
	if *region == "" {
		*region = os.Getenv("AWS_REGION")
	}
	mode := loadgen.SDK
	switch {
	case *raw && *presign:
		mode = loadgen.RawPresigned
	case *raw:
		mode = loadgen.RawSigned
	}

	if *startEmu {
		srv, err := emulator.Start(emulator.Options{
			Region:                      *region,
			MaxInstancesPerLoadBalancer: -1,
			MaxRunningInstances:         -1, // load, not an account: no On-Demand limit
			InstanceStartDelay:          10 * time.Millisecond,
			RegistrationDelay:           100 * time.Millisecond,
		})
		if err != nil {
			fmt.Fprintf(stderr, "loadgen: starting the emulator: %v\n", err)
			return 1
		}
		defer srv.Close()
		*endpoint = srv.URL()
	}
	if *endpoint == "" {
		fmt.Fprintln(stderr, "loadgen: no endpoint: pass -endpoint URL, set AWS_ENDPOINT_URL, or use -start-emulator")
		return 2
	}

	target := loadgen.Target{Endpoint: *endpoint, Region: *region}
	if *realCreds {
		cfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "loadgen: AWS configuration: %v\n", err)
			return 1
		}
		target.Credentials = cfg.Credentials
	}
	fix, err := loadgen.Setup(ctx, target, loadgen.SetupOptions{Instances: *instances, Zone: *zone, ImageID: *imageID})
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: setting up: %v\n", err)
		return 1
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := fix.Cleanup(cctx); err != nil {
			fmt.Fprintf(stderr, "loadgen: cleanup (run `make sweep RUN_ID=%s`): %v\n", fix.RunID, err)
		}
	}()

	fmt.Fprintf(stdout, "# loadgen endpoint=%s load-balancer=%s members=%d GOMAXPROCS=%d NumCPU=%d %s/%s\n",
		*endpoint, fix.LB, len(fix.Instances), runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	if *startEmu {
		fmt.Fprintln(stdout, "# in-process emulator: client and server share this process and its CPUs")
	}
	status := 0
	for _, op := range strings.Split(*ops, ",") {
		res, err := fix.Run(ctx, loadgen.RunOptions{Op: strings.TrimSpace(op), Mode: mode, Clients: *clients, Duration: *duration, Warmup: *warmup})
		if err != nil {
			fmt.Fprintf(stderr, "loadgen: %s: %v\n", op, err)
			return 1
		}
		res.Format(stdout)
		if res.OK == 0 {
			status = 1
		}
	}
	return status
}
