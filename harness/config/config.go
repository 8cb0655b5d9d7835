// Package config decides which target a conformance run talks to and how
// patient it is with it: it reads the profiles in ginkgo.yml and the standard
// environment (CONFORMANCE_*, AWS_ENDPOINT_URL, AWS_REGION, …).
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Target kinds. A profile picks one; the same specs run against all.
const (
	TargetEmulator  = "emulator"  // the reference emulator, in-process
	TargetContainer = "container" // the reference emulator in a container (testcontainers)
	TargetEndpoint  = "endpoint"  // any URL: LocalStack, moto, a vendor's
	TargetAWS       = "aws"       // real AWS, explicit opt-in only
)

// File is the name of the configuration file at the repository root.
const File = "ginkgo.yml"

// ProfilesFileEnv names a profiles file (ginkgo.yml's format) to read instead
// of the repository's ginkgo.yml: a vendor's own profile and deviations, or
// the defaults the suite binary carries. Deviations paths in it are relative
// to its folder.
const ProfilesFileEnv = "CONFORMANCE_PROFILES_FILE"

// Duration is a time.Duration written as "5s" or "250ms" in YAML.
type Duration time.Duration

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"5s\": %s", b)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Patience is how long a spec waits for eventual state, and how often it looks.
type Patience struct {
	Timeout Duration `json:"timeout"`
	Polling Duration `json:"polling"`
}

// EmulatorTiming scales the reference emulator's clocks, so eventual-state specs
// exercise real transitions in a fraction of AWS's minutes.
type EmulatorTiming struct {
	RegistrationDelay  Duration `json:"registrationDelay"`
	InstanceStartDelay Duration `json:"instanceStartDelay"`
	// HealthCheckScale multiplies the health-check interval and timeout of
	// ConfigureHealthCheck (0.02: a 5 s interval is checked every 100 ms).
	HealthCheckScale float64 `json:"healthCheckScale"`
}

// Lack is a capability (a spec label) the target does not have, with why.
// Specs that need it are reported as skipped with the reason.
type Lack struct {
	Label  string `json:"label"`
	Reason string `json:"reason"`
}

// AWSOptions are what the fixtures need to create instances on real AWS.
type AWSOptions struct {
	ImageID      string `json:"imageId"`
	InstanceType string `json:"instanceType"`
}

// Profile is one named way of running the suite.
type Profile struct {
	Name        string         `json:"-"`
	Description string         `json:"description"`
	Target      string         `json:"target"`
	Endpoint    string         `json:"endpoint"` // endpoint targets: used when AWS_ENDPOINT_URL is unset
	Region      string         `json:"region"`
	Eventually  Patience       `json:"eventually"`
	Emulator    EmulatorTiming `json:"emulator"`
	AWS         AWSOptions     `json:"aws"`
	Lacks       []Lack         `json:"lacks"`
	// Claims lists the extended features of the catalogue (tier: extended)
	// the target claims to support; their behaviours then count towards the
	// verdict like core ones. Unclaimed features are reported unsupported.
	Claims []string `json:"claims"`
	// EmulatorExtensions says an endpoint target is the reference emulator,
	// so the harness may use its extensions (finding listener addresses).
	EmulatorExtensions bool   `json:"emulatorExtensions"`
	Deviations         string `json:"deviations"` // path from the repository root
	// QuotaBudget is how many load balancers a quota spec may create only to reach the
	// load-balancer quota; where more are needed the spec is skipped, saying so. Unset: 3,
	// which a real account with load balancers of its own (and the bill) can bear.
	QuotaBudget int `json:"quotaBudget"`

	line int // where the profile starts in ginkgo.yml, for messages
}

type file struct {
	Profiles map[string]Profile `json:"profiles"`
}

// DefaultQuotaBudget is a profile's QuotaBudget when it sets none.
const DefaultQuotaBudget = 3

// Config is everything a run needs to know before it starts a target.
type Config struct {
	Profile
	// Root is the repository root (where ginkgo.yml is).
	Root string
	// ProfileSource says how the profile was chosen, for messages.
	ProfileSource string
	// AllowAWS is the explicit opt-in to create resources on real AWS.
	AllowAWS bool
	// Product and ProductVersion name what is being certified, for the report,
	// with who makes it (Organization), where it lives (URL) and whom to ask
	// (Contact).
	Product, ProductVersion    string
	Organization, URL, Contact string
}

// Env is the environment a Config is read from; os.LookupEnv in real runs.
type Env func(string) (string, bool)

// Load finds ginkgo.yml above dir and resolves the profile from the environment:
// CONFORMANCE_PROFILE names one; else CONFORMANCE_TARGET names a target kind
// (its profile of the same name); else AWS_ENDPOINT_URL (or a per-service
// variant) selects "endpoint"; else the embedded emulator.
//
// Every error is one line that says where the mistake is (ginkgo.yml and its
// line, or the variable and its value) and what is wrong with it, so the
// suite can stop with it before any spec.
func Load(dir string, env Env) (*Config, error) {
	root, shown, f, err := profiles(dir, env)
	if err != nil {
		return nil, err
	}

	name, source := TargetEmulator, "default"
	profile, hasProfile := nonEmpty(env, "CONFORMANCE_PROFILE")
	kind, hasKind := nonEmpty(env, "CONFORMANCE_TARGET")
	switch {
	case hasProfile:
		name, source = profile, "CONFORMANCE_PROFILE"
		if _, ok := f.Profiles[name]; !ok {
			return nil, fmt.Errorf("%s: no such profile in %s (profiles: %s)", setting("CONFORMANCE_PROFILE", profile), shown, strings.Join(names(f.Profiles), ", "))
		}
	case hasKind:
		name, source = kind, "CONFORMANCE_TARGET"
		if _, ok := f.Profiles[name]; !ok {
			return nil, fmt.Errorf("%s: no such target (targets: %s; a profile of %s goes in CONFORMANCE_PROFILE: %s)", setting("CONFORMANCE_TARGET", kind), strings.Join(targetKinds, ", "), shown, strings.Join(names(f.Profiles), ", "))
		}
	case len(f.Profiles) == 1 && shown != File:
		// A vendor's own profiles file with one profile: that one.
		for only := range f.Profiles {
			name, source = only, "the only profile in "+shown
		}
	default:
		if _, ok := endpointFromEnv(env); ok {
			name, source = TargetEndpoint, "AWS_ENDPOINT_URL"
		}
	}
	p, ok := f.Profiles[name]
	if !ok {
		return nil, fmt.Errorf("%s has no profile %q, which %s selects (profiles: %s)", shown, name, source, strings.Join(names(f.Profiles), ", "))
	}
	p.Name = name
	c := &Config{Profile: p, Root: root, ProfileSource: source}
	if v, ok := env("AWS_REGION"); ok && v != "" && p.Target != TargetEmulator && p.Target != TargetContainer {
		c.Region = v
	} else if v, ok := env("AWS_DEFAULT_REGION"); ok && v != "" && c.Region == "" {
		c.Region = v
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if err := envDuration(env, "CONFORMANCE_EVENTUALLY_TIMEOUT", &c.Eventually.Timeout); err != nil {
		return nil, err
	}
	if err := envDuration(env, "CONFORMANCE_EVENTUALLY_POLLING", &c.Eventually.Polling); err != nil {
		return nil, err
	}
	if v, ok := nonEmpty(env, "CONFORMANCE_QUOTA_BUDGET"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s: not a number of load balancers (write e.g. 30)", setting("CONFORMANCE_QUOTA_BUDGET", v))
		}
		c.QuotaBudget = n
	}
	if c.QuotaBudget == 0 {
		c.QuotaBudget = DefaultQuotaBudget
	}
	if v, ok := env("CONFORMANCE_AWS_AMI"); ok && v != "" {
		c.AWS.ImageID = v
	}
	if v, ok := env("CONFORMANCE_AWS_INSTANCE_TYPE"); ok && v != "" {
		c.AWS.InstanceType = v
	}
	v, _ := env("CONFORMANCE_ALLOW_AWS")
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes":
		c.AllowAWS = true
	case "", "0", "false", "no":
	default:
		return nil, fmt.Errorf("%s: want 1 to allow creating resources on real AWS, or 0", setting("CONFORMANCE_ALLOW_AWS", v))
	}
	c.Product, _ = env("CONFORMANCE_PRODUCT")
	c.ProductVersion, _ = env("CONFORMANCE_PRODUCT_VERSION")
	c.Organization, _ = env("CONFORMANCE_ORGANIZATION")
	c.URL, _ = env("CONFORMANCE_PRODUCT_URL")
	c.Contact, _ = env("CONFORMANCE_CONTACT")
	return c, nil
}

var targetKinds = []string{TargetEmulator, TargetContainer, TargetEndpoint, TargetAWS}

// nonEmpty is env(k), with an empty value counted as unset (make passes
// CONFORMANCE_TARGET= when TARGET is not given).
func nonEmpty(env Env, k string) (string, bool) {
	v, ok := env(k)
	return v, ok && v != ""
}

// envDuration overrides *d with the duration in variable k, if set.
func envDuration(env Env, k string, d *Duration) error {
	v, ok := nonEmpty(env, k)
	if !ok {
		return nil
	}
	parsed, err := time.ParseDuration(strings.TrimSpace(v))
	switch {
	case err != nil:
		return fmt.Errorf("%s: not a duration (write e.g. 30s, 2m or 250ms)", setting(k, v))
	case parsed <= 0:
		return fmt.Errorf("%s: must be longer than 0", setting(k, v))
	}
	*d = Duration(parsed)
	return nil
}

// setting writes a variable as the user would have set it: K=v, quoted
// only when the value would be hard to see (empty, spaces, quotes).
func setting(k, v string) string {
	if v == "" || strings.ContainsAny(v, " \"'\\") || strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return fmt.Sprintf("%s=%q", k, v)
	}
	return k + "=" + v
}

// Named returns the profile called name from the profiles Load would read
// (CONFORMANCE_PROFILES_FILE, else the ginkgo.yml above dir), and the folder
// its deviations paths are relative to.
func Named(dir string, env Env, name string) (*Profile, string, error) {
	root, shown, f, err := profiles(dir, env)
	if err != nil {
		return nil, "", err
	}
	p, ok := f.Profiles[name]
	if !ok {
		return nil, "", fmt.Errorf("%s: no profile %q (profiles: %s)", shown, name, strings.Join(names(f.Profiles), ", "))
	}
	p.Name = name
	return &p, root, nil
}

// profiles reads the profiles file: CONFORMANCE_PROFILES_FILE when set,
// else the ginkgo.yml above dir. It returns the folder paths in it are
// relative to.
func profiles(dir string, env Env) (root, shown string, f *file, err error) {
	if v, ok := nonEmpty(env, ProfilesFileEnv); ok {
		path, err := filepath.Abs(v)
		if err != nil {
			return "", "", nil, err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return "", "", nil, fmt.Errorf("%s: %w", setting(ProfilesFileEnv, v), err)
		}
		f, err := parseFile(raw)
		var perr *Error
		if errors.As(err, &perr) {
			perr.File = v
		}
		return filepath.Dir(path), v, f, err
	}
	if root, err = findRoot(dir); err != nil {
		return "", "", nil, err
	}
	raw, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		return "", "", nil, err
	}
	f, err = parseFile(raw)
	return root, File, f, err
}

// LacksLabel reports whether the target lacks a capability label, and why.
func (p *Profile) LacksLabel(label string) (string, bool) {
	for _, l := range p.Lacks {
		if l.Label == label {
			return l.Reason, true
		}
	}
	return "", false
}

// LackedLabels lists the capability labels the target lacks.
func (p *Profile) LackedLabels() []string {
	out := make([]string, len(p.Lacks))
	for i, l := range p.Lacks {
		out[i] = l.Label
	}
	return out
}

// DeviationsPath is the profile's deviations file, absolute, or "".
func (c *Config) DeviationsPath() string {
	if c.Deviations == "" {
		return ""
	}
	return filepath.Join(c.Root, c.Deviations)
}

func (p *Profile) validate() error {
	switch p.Target {
	case TargetEmulator, TargetContainer, TargetEndpoint, TargetAWS:
	case "":
		return fmt.Errorf("no target: want one of %s", strings.Join(targetKinds, ", "))
	default:
		return fmt.Errorf("target %q: want one of %s", p.Target, strings.Join(targetKinds, ", "))
	}
	if p.Eventually.Timeout <= 0 || p.Eventually.Polling <= 0 {
		return errors.New("eventually.timeout and eventually.polling must be set and positive")
	}
	for _, l := range p.Lacks {
		if l.Label == "" || l.Reason == "" {
			return errors.New("every entry of lacks needs a label and a reason")
		}
	}
	return nil
}

// EndpointFromEnv returns the endpoint URL the standard AWS variables set for
// ELB (AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING, else AWS_ENDPOINT_URL).
func EndpointFromEnv(env Env) (string, bool) { return endpointFromEnv(env) }

func endpointFromEnv(env Env) (string, bool) {
	for _, k := range []string{"AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", "AWS_ENDPOINT_URL"} {
		if v, ok := env(k); ok && v != "" {
			return v, true
		}
	}
	return "", false
}

func findRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, File)); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no %s found in %s or above: run the suite from the elbconform repository", File, dir)
		}
		d = parent
	}
}

func names(m map[string]Profile) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// List parses a profiles file (ginkgo.yml's format) strictly and returns its
// profiles sorted by name: `elbconform profiles` lists the built-in ones.
func List(raw []byte) ([]Profile, error) {
	f, err := parseFile(raw)
	if err != nil {
		return nil, err
	}
	out := make([]Profile, 0, len(f.Profiles))
	for _, name := range names(f.Profiles) {
		p := f.Profiles[name]
		p.Name = name
		out = append(out, p)
	}
	return out, nil
}
