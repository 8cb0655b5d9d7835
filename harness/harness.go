// Package harness ties a conformance run together: the first Ginkgo process
// starts the target and hands a Run to every process, each of which joins it
// as a Session with its own SDK clients and raw wire client.
package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/elbconform/elbconform/harness/clients"
	"github.com/elbconform/elbconform/harness/config"
	"github.com/elbconform/elbconform/harness/target"
	"github.com/elbconform/elbconform/harness/wire"
	"github.com/elbconform/elbconform/reports"
)

// Run is what every Ginkgo process of one run shares.
type Run struct {
	ID          string           `json:"id"` // run-unique prefix of every resource name, and its run-ID tag
	Profile     string           `json:"profile"`
	Target      string           `json:"target"`
	Description string           `json:"description"`
	Emulated    bool             `json:"emulated"`
	Endpoint    clients.Endpoint `json:"endpoint"`
}

// Session is one process's view of the run.
type Session struct {
	Config  *config.Config
	Run     Run
	Clients *clients.Clients
	Wire    *wire.Client
}

// LoadConfig reads ginkgo.yml and the environment, from the working directory.
func LoadConfig() (*config.Config, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return config.Load(wd, os.LookupEnv)
}

// Start is the first process's job: start the target and check that it
// answers. The returned stop function releases the target.
func Start(ctx context.Context, cfg *config.Config, log io.Writer) (*Run, func(context.Context) error, error) {
	t, err := target.Start(ctx, cfg, log)
	if err != nil {
		return nil, nil, fmt.Errorf("target %q (profile %q, chosen by %s): %w", cfg.Target, cfg.Name, cfg.ProfileSource, err)
	}
	run := &Run{ID: newRunID(), Profile: cfg.Name, Target: cfg.Target, Description: t.Description, Emulated: t.Emulated, Endpoint: t.Endpoint}
	s, err := Join(ctx, cfg, run)
	if err == nil {
		err = target.Preflight(ctx, s.Clients, run.Endpoint)
	}
	if err != nil {
		_ = t.Stop(ctx)
		return nil, nil, fmt.Errorf("target %q (profile %q): %w", cfg.Target, cfg.Name, err)
	}
	return run, t.Stop, nil
}

// Join builds a process's session for a run started by the first process.
func Join(ctx context.Context, cfg *config.Config, run *Run) (*Session, error) {
	c, err := clients.New(ctx, run.Endpoint)
	if err != nil {
		return nil, err
	}
	elbURL := run.Endpoint.ELBURL
	if elbURL == "" {
		// Real AWS: the SDK's own endpoint resolution gives the regional URL.
		ep, err := elasticloadbalancing.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, elasticloadbalancing.EndpointParameters{Region: &run.Endpoint.Region})
		if err != nil {
			return nil, fmt.Errorf("resolving the ELB endpoint for %s: %w", run.Endpoint.Region, err)
		}
		elbURL = ep.URI.String()
	}
	return &Session{
		Config:  cfg,
		Run:     *run,
		Clients: c,
		Wire: &wire.Client{
			URL: elbURL, Service: "elasticloadbalancing", Region: run.Endpoint.Region,
			Credentials: c.Config.Credentials, HTTP: c.Config.HTTPClient,
			OnRetry: c.Retries.Count,
		},
	}, nil
}

// Info describes the run for the report: the report's own Target type, so
// the suite and the report builder cannot disagree on it.
func (s *Session) Info() reports.Target {
	return reports.Target{
		Target: s.Run.Target, Profile: s.Run.Profile, Endpoint: s.Wire.URL, Region: s.Run.Endpoint.Region,
		Description: s.Run.Description, RunID: s.Run.ID,
		Product: s.Config.Product, ProductVersion: s.Config.ProductVersion,
		Organization: s.Config.Organization, URL: s.Config.URL, Contact: s.Config.Contact,
		Claims: s.Config.Claims, Lacks: s.Config.LackedLabels(),
	}
}

// Marshal and UnmarshalRun carry a Run between Ginkgo processes.
func (r *Run) Marshal() []byte {
	b, _ := json.Marshal(r)
	return b
}

func UnmarshalRun(b []byte) (*Run, error) {
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decoding the run shared by process 1: %w", err)
	}
	return &r, nil
}

// newRunID is short (resource names are limited to 32 characters) and random
// enough that concurrent runs against one account never collide.
func newRunID() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
