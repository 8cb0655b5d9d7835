// Command elbconform-sweep removes what conformance runs left behind: Classic
// load balancers, EC2 instances, subnets and VPCs tagged
// elbconform:owner=elbconform, and nothing else (see package harness/sweep).
//
//	elbconform-sweep [-run-id ID] [-dry-run] [-region REGION]
//
// Endpoint, region and credentials come from the standard AWS chain
// (AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE, …). Without an endpoint URL it
// talks to real AWS, and then only with CONFORMANCE_ALLOW_AWS=1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/sweep"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}

// errAWSNotAllowed is the refusal to touch real AWS without the opt-in.
var errAWSNotAllowed = errors.New("refusing to sweep real AWS: no AWS_ENDPOINT_URL is set, and this deletes load balancers, instances, subnets and VPCs tagged " +
	sweep.OwnerTag + "=" + sweep.OwnerValue + " in your account. Set CONFORMANCE_ALLOW_AWS=1 to opt in (add -dry-run to see the list first), or set AWS_ENDPOINT_URL to sweep an emulator")

func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("elbconform-sweep", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		runID   = fs.String("run-id", "", "sweep only this run's resources (tag "+sweep.RunIDTag+")")
		dryRun  = fs.Bool("dry-run", false, "print what would be deleted, delete nothing")
		region  = fs.String("region", "", "region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)")
		timeout = fs.Duration("timeout", 15*time.Minute, "give up after this long")
	)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: elbconform-sweep [-run-id ID] [-dry-run] [-region REGION]\n\n"+
			"Deletes Classic load balancers, EC2 instances, subnets and VPCs tagged %s=%s, and nothing else.\n"+
			"Endpoint, region and credentials come from the standard AWS chain (AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE).\n"+
			"Real AWS (no AWS_ENDPOINT_URL) needs CONFORMANCE_ALLOW_AWS=1.\n\n", sweep.OwnerTag, sweep.OwnerValue)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "elbconform-sweep: unexpected arguments: %v\n", fs.Args())
		return 2
	}

	where, real := endpoints(env)
	if real && !allowAWS(env) {
		fmt.Fprintf(stderr, "elbconform-sweep: %v\n", errAWSNotAllowed)
		return 1
	}

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	c, err := clients.New(ctx, clients.Endpoint{Region: *region})
	if err != nil {
		fmt.Fprintf(stderr, "elbconform-sweep: %v\n", err)
		return 1
	}
	if c.Config.Region == "" {
		fmt.Fprintln(stderr, "elbconform-sweep: no region: pass -region, or set AWS_REGION")
		return 1
	}
	mode := ""
	if *dryRun {
		mode = " (dry run: nothing is deleted)"
	}
	scope := "every run"
	if *runID != "" {
		scope = "run " + *runID
	}
	fmt.Fprintf(stdout, "elbconform-sweep: sweeping %s, region %s, %s%s\n", where, c.Config.Region, scope, mode)

	_, err = sweep.Sweep(ctx, sweep.API{ELB: c.ELB, EC2: c.EC2}, sweep.Options{RunID: *runID, DryRun: *dryRun, Out: stdout})
	if err != nil {
		fmt.Fprintf(stderr, "elbconform-sweep: some resources were not swept (run again, or delete them by hand):\n%v\n", err)
		return 1
	}
	return 0
}

// endpoints says where the SDK will send requests, and whether any of them
// goes to real AWS (no endpoint URL for ELB or for EC2).
func endpoints(env func(string) (string, bool)) (string, bool) {
	get := func(k string) string { v, _ := env(k); return v }
	if strings.EqualFold(get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return "AWS", true
	}
	elbURL := first(get("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING"), get("AWS_ENDPOINT_URL"))
	ec2URL := first(get("AWS_ENDPOINT_URL_EC2"), get("AWS_ENDPOINT_URL"))
	switch {
	case elbURL == "" && ec2URL == "":
		return "AWS", true
	case elbURL == "":
		return "AWS (ELB) and " + ec2URL + " (EC2)", true
	case ec2URL == "":
		return elbURL + " (ELB) and AWS (EC2)", true
	case elbURL == ec2URL:
		return elbURL, false
	}
	return elbURL + " (ELB) and " + ec2URL + " (EC2)", false
}

func allowAWS(env func(string) (string, bool)) bool {
	v, _ := env("CONFORMANCE_ALLOW_AWS")
	return v == "1" || strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
