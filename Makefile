# elbconform — see README.md. Two commands matter on a fresh machine:
#   make conformance   run the suite against the embedded emulator and write the reports
#   make test          run every test (unit, conformance, self-test, container)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := conformance

REPORT_DIR ?= reports
# TARGET picks a target kind (emulator, container, endpoint, aws) and PROFILE a
# profile of ginkgo.yml; both are optional (see ginkgo.yml for the defaults),
# and default to the environment's CONFORMANCE_TARGET and CONFORMANCE_PROFILE
# so that the variables the README lists work through make too.
TARGET ?= $(CONFORMANCE_TARGET)
PROFILE ?= $(CONFORMANCE_PROFILE)
LABELS ?=
GINKGO := go tool ginkgo
# The suite waits on eventual state far more than it computes, so more
# processes than cores shortens it (7.4 s with -p on 2 cores, 4.0 s with 4).
# --vet=off: `make vet` vets the suite; go test's own vet pass would add about
# 30 s to a first run on a fresh machine (the EC2 SDK is one 700k-line package).
# Against real AWS the suite waits on AWS's clocks, and 8 processes halve a run
# (docs/sources.md 24f; elbconform run chooses the same).
PROCS ?= $(if $(filter aws,$(TARGET) $(PROFILE)),8,4)
GINKGO_FLAGS ?= --procs=$(PROCS) --vet=off
SUITE := ./suites/elb
CATALOGUE := suites/elb/behaviours.yaml

export TESTCONTAINERS_RYUK_DISABLED ?= true
# Every build but the race-detector one (unit) is CGO_ENABLED=0: the static
# binaries and images need it, and one build configuration means the AWS SDK
# (its EC2 client is one 700k-line package) compiles once for all of them and
# the suite, not once per configuration. Tests that run `go` themselves set it
# too, since unit's CGO_ENABLED=1 reaches them.
export CGO_ENABLED ?= 0

.PHONY: conformance report certify test unit vet fuzz emulator sweep selftest bench clean container moto binary binary-endpoint image image-test bench-aws-timings

## conformance: run the suite (embedded emulator by default), write junit.xml,
## report.json, run.log and the conformance reports to $(REPORT_DIR), gate on
## the result. cmd/elbconform-run runs Ginkgo and the reports: an interrupt
## (Ctrl-C, SIGTERM) at any phase lets Ginkgo clean up (the container too) and
## leaves INCOMPLETE reports, never the previous run's. Each step is one
## command, which bash execs, so that make's SIGTERM reaches it.
RUNNER := bin/elbconform-run
# go build leaves its work folder behind when a signal stops it: in bin/.gotmp,
# emptied by the next build, rather than in $TMPDIR.
BUILD_RUNNER = rm -rf bin/.gotmp && mkdir -p bin/.gotmp && \
	GOTMPDIR=$(CURDIR)/bin/.gotmp exec go build -o bin/ ./cmd/elbconform-run ./cmd/conformance-report
RUN_SUITE = CONFORMANCE_TARGET=$(TARGET) CONFORMANCE_PROFILE=$(PROFILE) \
	exec $(RUNNER) -out $(REPORT_DIR) -catalogue $(CATALOGUE) -ginkgo '$(GINKGO)'
conformance:
	@mkdir -p $(REPORT_DIR) && rm -f $(REPORT_DIR)/junit.xml $(REPORT_DIR)/report.json $(REPORT_DIR)/conformance.*
	@$(BUILD_RUNNER)
	@$(RUN_SUITE) -- $(GINKGO_FLAGS) $(if $(LABELS),--label-filter='$(LABELS)') $(SUITE)

## report: turn $(REPORT_DIR)/report.json into conformance.{yaml,html,md}; exit
## non-zero on an unexpected failure or a listed deviation that now passes.
SUITE_EXIT ?= 0
report:
	go run ./cmd/conformance-report -json $(REPORT_DIR)/report.json -catalogue $(CATALOGUE) \
	  -out $(REPORT_DIR) -suite-exit $(SUITE_EXIT)

## certify: run the whole suite and pack reports, log and catalogue with a
## SHA-256 manifest into $(REPORT_DIR)/certification.tar.gz.
## The bundle is written whatever the verdict (a failing run is a result too);
## the exit status is the gate's.
certify:
	@mkdir -p $(REPORT_DIR) && rm -f $(REPORT_DIR)/junit.xml $(REPORT_DIR)/report.json $(REPORT_DIR)/conformance.* $(REPORT_DIR)/certification.tar.gz
	@$(BUILD_RUNNER)
	@$(RUN_SUITE) -bundle $(REPORT_DIR)/certification.tar.gz -- $(GINKGO_FLAGS) $(if $(LABELS),--label-filter='$(LABELS)') $(SUITE)

## test: everything CI runs: unit tests, a short fuzz, and the suite against
## the embedded emulator; the suite binary from an empty folder against a
## separately started emulator binary (the endpoint path users take); the
## suite image against the emulator image and the container target when
## Docker answers; moto; the self-test.
test: vet unit fuzz
	$(MAKE) --no-print-directory conformance REPORT_DIR=reports/runs/emulator
	$(MAKE) --no-print-directory binary-endpoint REPORT_DIR=reports/runs/endpoint
	$(MAKE) --no-print-directory image-test REPORT_DIR=reports/runs
	$(MAKE) --no-print-directory container REPORT_DIR=reports/runs
	$(MAKE) --no-print-directory moto REPORT_DIR=reports/runs
	$(MAKE) --no-print-directory selftest REPORT_DIR=reports/runs/selftest

## binary: the suite as one binary, bin/elbconform (go install, static):
## catalogue and profiles embedded, it runs from any folder.
binary:
	GOBIN=$(CURDIR)/bin CGO_ENABLED=0 go install -buildvcs=auto ./cmd/elbconform

## binary-endpoint: the path a vendor takes: bin/elbconform, run from an empty
## folder outside the checkout, against a separately started emulator binary.
binary-endpoint: binary
	@mkdir -p $(REPORT_DIR)
	EMULATOR_FLAGS="-instance-start-delay 100ms -health-check-scale 0.02" \
	  CONFORMANCE_EVENTUALLY_POLLING=100ms CONFORMANCE_QUOTA_BUDGET=30 \
	  scripts/with-emulator.sh scripts/in-empty-folder.sh $(CURDIR)/bin/elbconform run --report-dir $(abspath $(REPORT_DIR))

## container: the suite on the container target when a Docker Engine answers,
## then the interrupt tests (cmd/elbconform-run: make conformance TARGET=container
## interrupted at each phase, and killed outright; about 70 s); otherwise a
## visible skip (the target itself fails with one clear message).
SIGNAL_TESTS := ^(TestInterruptAtEachPhase|TestKilledRunLeavesOnlyItsContainer|TestKilledRunnerTakesItsRunAlong)$$
# The container target is compiled into the suite only with the build tag
# container (suites/elb/target_container.go): it alone needs the Docker client,
# which the default run should neither download nor compile. Choosing it
# (TARGET=container, or CONFORMANCE_TARGET=container) adds the tag.
ifeq ($(TARGET),container)
override GINKGO_FLAGS += --tags=container
endif
container:
	@check=$$(go run ./harness/target/dockercheck); \
	case "$$check" in \
	  skip:*) echo "make container: SKIPPED the container target and its interrupt tests -$${check#skip:}";; \
	  *) echo "make container: $$check"; \
	     exec $(MAKE) --no-print-directory conformance TARGET=container REPORT_DIR=$(REPORT_DIR)/container;; \
	esac
	@check=$$(go run ./harness/target/dockercheck); \
	case "$$check" in \
	  skip:*) ;; \
	  *) exec go test -count=1 -v -run '$(SIGNAL_TESTS)' ./cmd/elbconform-run;; \
	esac

## image: build two FROM-scratch images with the docker CLI, from static
## binaries and without a registry (deploy/images/): elbconform:dev, the suite
## (entrypoint elbconform, default report folder /reports), and
## elb-emulator:dev, the reference emulator on 0.0.0.0:4580.
image:
	deploy/images/build.sh

## image-test: build the images, run the emulator image on a Docker network of
## its own and the suite image against it with $(REPORT_DIR)/image mounted at
## /reports; pass on exit status 0, the reports written and CONFORMANT. A
## visible skip when no Docker Engine answers (scripts/image-test.sh).
image-test:
	scripts/image-test.sh $(REPORT_DIR)/image

## moto: the suite against moto's server (a third-party emulator), started on a
## free loopback port and stopped afterwards; its known deviations are
## suites/elb/deviations/moto.yaml. A visible skip where moto is not installed.
moto:
	scripts/with-moto.sh $(MAKE) --no-print-directory conformance REPORT_DIR=$(REPORT_DIR)/moto

## bench: emulator benchmarks (hot paths in process, over loopback via the SDK and raw HTTP;
## scale at 10/1,000/100,000 members; memory per member) and cmd/loadgen against an
## in-process emulator. Writes $(BENCH_DIR)/bench.txt and loadgen.txt.
BENCH_DIR ?= $(REPORT_DIR)/bench
BENCH_TIME ?= 1s
bench:
	@mkdir -p $(BENCH_DIR)
	go test -run='^$$' -bench='^Benchmark(Handler|Loopback)$$' -benchtime=$(BENCH_TIME) ./emulator | tee $(BENCH_DIR)/bench.txt
	go test -run='^$$' -bench='^Benchmark(RegisterScale|RegisterCoreScale|DescribeScale|DescribeIsolation)$$' -benchtime=50x ./emulator | tee -a $(BENCH_DIR)/bench.txt
	go test -run='^$$' -bench='^BenchmarkMemoryPerMember$$' -benchtime=1x ./emulator | tee -a $(BENCH_DIR)/bench.txt
	go run ./cmd/loadgen -start-emulator -op register,describe-health,describe-lbs -clients 8 -duration 3s | tee $(BENCH_DIR)/loadgen.txt
	go run ./cmd/loadgen -start-emulator -raw -op register,describe-health -clients 8 -duration 3s | tee -a $(BENCH_DIR)/loadgen.txt

## bench-aws-timings: the whole suite against the emulator binary at AWS's timings
## (instances 15 s pending to running, health checks unscaled, the aws profile's
## patience): writes $(REPORT_DIR)/bench-aws-timings.md with the wall time, specs,
## instances launched, instance- and load-balancer-seconds, API calls and retries, and
## what the run would cost on AWS. It takes tens of minutes, so make test leaves it out.
## BENCH_PROCS=N Ginkgo processes (default 8, as a run against real AWS); LABELS=... a subset.
BENCH_PROCS ?= 8
bench-aws-timings: binary
	BENCH_PROCS=$(BENCH_PROCS) LABELS='$(LABELS)' scripts/bench-aws-timings.sh $(REPORT_DIR)

## selftest: run the suite against the emulator once per fault mode (each must
## make a spec fail) and benign variant (every spec must pass); writes
## $(REPORT_DIR)/selftest.{md,yaml} and selftest-runs/. SELFTEST_FLAGS e.g. -only a,b
SELFTEST_FLAGS ?= -parallel 6 -procs 4
selftest:
	go run ./cmd/selftest -out $(REPORT_DIR) $(SELFTEST_FLAGS)

## sweep: delete leftovers tagged elbconform:owner=elbconform, nothing else
## (real AWS needs CONFORMANCE_ALLOW_AWS=1). RUN_ID=<id> for one run, DRY_RUN=1 to list only.
RUN_ID ?=
DRY_RUN ?=
REGION ?=
sweep:
	go run ./cmd/elbconform-sweep $(if $(RUN_ID),-run-id $(RUN_ID)) $(if $(DRY_RUN),-dry-run) $(if $(REGION),-region $(REGION))

vet:
	go vet ./...
	go vet -tags container ./...

unit:
	CGO_ENABLED=1 go test -race -short -count=1 $$(go list ./... | grep -v /suites/)
	go test -count=1 -run '^(TestCatalogueCoverage|TestModelCoverage|TestReadmeOperationTable)$$' $(SUITE)

## fuzz: a short run of each fuzz target on request decoding (seeded with real requests).
fuzz:
	go test -run='^$$' -fuzz='^FuzzDecodeForm$$' -fuzztime=5s ./emulator
	go test -run='^$$' -fuzz='^FuzzDecodeRequest$$' -fuzztime=5s ./emulator

## emulator: run the reference emulator alone on 127.0.0.1:4580.
emulator:
	go run ./cmd/elb-emulator

clean:
	rm -f $(REPORT_DIR)/*.xml $(REPORT_DIR)/*.json $(REPORT_DIR)/conformance.* $(REPORT_DIR)/run.log $(REPORT_DIR)/*.tar.gz
