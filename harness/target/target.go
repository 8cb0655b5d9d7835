// Package target starts (or finds) what a conformance run talks to: the
// embedded emulator, the emulator in a container, any endpoint URL, or real
// AWS. Each kind either yields an endpoint the specs can use or fails with one
// message that names the problem and the fix. The container target is in
// harness/target/container, which registers itself (Register) in the builds
// that import it.
package target

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/elbconform/elbconform/emulator"
	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/config"
)

// Running is a target ready for specs.
type Running struct {
	Endpoint clients.Endpoint
	// Description says in words what the run talks to, for logs and reports.
	Description string
	// Emulated is true for the reference emulator, in-process or in a
	// container: the harness may then use the emulator's extensions.
	Emulated bool
	// Stop releases what Start started (nothing, for endpoints and AWS).
	Stop func(context.Context) error
}

// Start brings up the configured target. Log receives what a person running
// the suite should see before anything is created (the AWS target's account
// and plan, for example).
func Start(ctx context.Context, cfg *config.Config, log io.Writer) (*Running, error) {
	switch cfg.Target {
	case config.TargetEmulator:
		return startEmulator(cfg)
	case config.TargetContainer:
		return startRegistered(ctx, cfg, log)
	case config.TargetEndpoint:
		return endpointTarget(cfg, os.LookupEnv)
	case config.TargetAWS:
		return awsTarget(ctx, cfg, log)
	}
	return nil, fmt.Errorf("unknown target kind %q", cfg.Target)
}

func startEmulator(cfg *config.Config) (*Running, error) {
	srv, err := emulator.Start(emulator.Options{
		Region:             cfg.Region,
		RegistrationDelay:  cfg.Emulator.RegistrationDelay.D(),
		InstanceStartDelay: cfg.Emulator.InstanceStartDelay.D(),
		HealthCheckScale:   cfg.Emulator.HealthCheckScale,
	})
	if err != nil {
		return nil, fmt.Errorf("starting the embedded emulator: %w", err)
	}
	return &Running{
		Endpoint:    clients.Endpoint{ELBURL: srv.URL(), EC2URL: srv.URL(), IAMURL: srv.URL(), Region: cfg.Region, StaticCredentials: true},
		Description: "embedded reference emulator at " + srv.URL(),
		Emulated:    true,
		Stop:        func(context.Context) error { return srv.Close() },
	}, nil
}

// endpointTarget points the run at a URL from the standard AWS variables, or
// the profile's default URL (LocalStack's, moto's). Region and credentials
// come from the standard AWS chain, checked by Preflight.
func endpointTarget(cfg *config.Config, env config.Env) (*Running, error) {
	elbURL, ok := config.EndpointFromEnv(env)
	if !ok {
		elbURL = cfg.Endpoint
	}
	if elbURL == "" {
		return nil, fmt.Errorf("the %q profile needs an endpoint: set AWS_ENDPOINT_URL=http://host:port (or AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING and AWS_ENDPOINT_URL_EC2)", cfg.Name)
	}
	ec2URL := elbURL
	if v, ok := env("AWS_ENDPOINT_URL_EC2"); ok && v != "" {
		ec2URL = v
	} else if v, ok := env("AWS_ENDPOINT_URL"); ok && v != "" {
		ec2URL = v
	}
	// IAM (server certificates) at the same place, never at AWS's global endpoint by default.
	iamURL := elbURL
	if v, ok := env("AWS_ENDPOINT_URL_IAM"); ok && v != "" {
		iamURL = v
	} else if v, ok := env("AWS_ENDPOINT_URL"); ok && v != "" {
		iamURL = v
	}
	return &Running{
		Endpoint:    clients.Endpoint{ELBURL: elbURL, EC2URL: ec2URL, IAMURL: iamURL, Region: cfg.Region},
		Description: fmt.Sprintf("endpoint %s (EC2 at %s), region %s", elbURL, ec2URL, cfg.Region),
		Emulated:    cfg.EmulatorExtensions,
		Stop:        func(context.Context) error { return nil },
	}, nil
}
