package emulator

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestRunInstances(t *testing.T) {
	e := newEnv(t, Options{})
	out := must[*ec2.RunInstancesOutput](t)(e.ec2.RunInstances(e.ctx, webRunInput()))
	if len(out.Instances) != 2 || aws.ToString(out.ReservationId) == "" || aws.ToString(out.OwnerId) != "123456789012" {
		t.Fatalf("RunInstances answered %d instances, reservation %q", len(out.Instances), aws.ToString(out.ReservationId))
	}
	first := out.Instances[0]
	if first.State.Name != ec2types.InstanceStateNamePending || aws.ToInt32(first.State.Code) != 0 {
		t.Errorf("new instance state %v", first.State.Name)
	}
	subnets := must[*ec2.DescribeSubnetsOutput](t)(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{
		SubnetIds: []string{aws.ToString(first.SubnetId)}}))
	pfx := netip.MustParsePrefix(aws.ToString(subnets.Subnets[0].CidrBlock))
	if !pfx.Contains(netip.MustParseAddr(aws.ToString(first.PrivateIpAddress))) || aws.ToString(subnets.Subnets[0].AvailabilityZone) != "us-east-1b" {
		t.Errorf("private IP %s not in subnet %s (%s)", aws.ToString(first.PrivateIpAddress), pfx, aws.ToString(subnets.Subnets[0].AvailabilityZone))
	}
	if aws.ToString(first.Placement.AvailabilityZone) != "us-east-1b" || len(first.Tags) != 2 || aws.ToString(first.VpcId) == "" {
		t.Errorf("instance placement %s tags %v vpc %s", aws.ToString(first.Placement.AvailabilityZone), first.Tags, aws.ToString(first.VpcId))
	}
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	got := must[[]ec2types.Instance](t)(e.describeInstances(&ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(first.InstanceId)}}))
	if len(got) != 1 || got[0].State.Name != ec2types.InstanceStateNameRunning || aws.ToInt32(got[0].State.Code) != 16 {
		t.Fatalf("after the start delay: %+v", got)
	}
}

// runInstances calls RunInstances with MinCount min and MaxCount max.
func (e *env) runInstances(minCount, maxCount int32) (*ec2.RunInstancesOutput, error) {
	return e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(minCount), MaxCount: aws.Int32(maxCount),
	})
}

// instanceCount is how many instances DescribeInstances knows, in any state.
func (e *env) instanceCount() int {
	e.t.Helper()
	out := must[*ec2.DescribeInstancesOutput](e.t)(e.ec2.DescribeInstances(e.ctx, &ec2.DescribeInstancesInput{}))
	n := 0
	for _, r := range out.Reservations {
		n += len(r.Instances)
	}
	return n
}

// Over the limit: AWS's InstanceLimitExceeded (400) naming the instances requested (running
// plus MinCount) and the limit, and nothing is allocated.
func TestRunInstancesOverTheLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 5})
	e.launch(3, "")
	_, err := e.runInstances(3, 3)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
	if msg := err.Error(); !strings.Contains(msg, "You have requested more instances (6) than your current instance limit of 5 allows") {
		t.Errorf("message %q is not AWS's", msg)
	}
	if n := e.instanceCount(); n != 3 {
		t.Errorf("a refused RunInstances left %d instances, want the 3 launched before", n)
	}
}

// MaxCount above what the limit leaves, MinCount within it: what fits is launched, as AWS
// launches "the largest possible number of instances above the specified minimum count".
func TestRunInstancesLaunchesWhatFits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 5})
	e.launch(3, "")
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(1, 100000))
	if len(out.Instances) != 2 {
		t.Fatalf("MinCount 1, MaxCount 100000 with 2 left of the limit launched %d instances, want 2", len(out.Instances))
	}
	for i, in := range out.Instances {
		if aws.ToInt32(in.AmiLaunchIndex) != int32(i) {
			t.Errorf("instance %d has launch index %d", i, aws.ToInt32(in.AmiLaunchIndex))
		}
	}
	_, err := e.runInstances(1, 1)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// Stopped and terminated instances give their place back; pending ones count.
func TestRunInstancesLimitCountsRunningOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 3})
	ids := e.launchRunning(3, "")
	must[*ec2.StopInstancesOutput](t)(e.ec2.StopInstances(e.ctx, &ec2.StopInstancesInput{InstanceIds: ids[:1]}))
	must[*ec2.TerminateInstancesOutput](t)(e.ec2.TerminateInstances(e.ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[1:2]}))
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(1, 10))
	if len(out.Instances) != 2 {
		t.Errorf("with 1 of 3 still running, RunInstances launched %d, want 2", len(out.Instances))
	}
	_, err := e.runInstances(1, 1) // the 2 new ones are pending, and count
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// The default is AWS's documented On-Demand instance limit, 20: MaxCount 100,000 launches
// 20, not 100,000 (which answered 91 MB). Should the SDK retry the first call (its answer
// lost), the retry carries the same client token and answers the same 20 instead of
// InstanceLimitExceeded (ec2_client_token.go).
func TestRunInstancesDefaultLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(1, 100000))
	if len(out.Instances) != defaultMaxRunning || defaultMaxRunning != 20 {
		t.Errorf("RunInstances MaxCount 100000 launched %d, want the default limit 20", len(out.Instances))
	}
	_, err := e.runInstances(1, 1)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// MinCount above MaxCount is InvalidParameterCombination, as in EC2's error table.
func TestRunInstancesMinAboveMax(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, err := e.runInstances(3, 2)
	wantCode(t, err, "InvalidParameterCombination", http.StatusBadRequest)
	if n := e.instanceCount(); n != 0 {
		t.Errorf("a refused RunInstances launched %d instances", n)
	}
}

// Without an account limit, one call is still bounded. The count is exact even if the SDK
// retries the first call: the retry's client token answers the 30 already launched.
func TestRunInstancesUnlimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: -1})
	out := must[*ec2.RunInstancesOutput](t)(e.runInstances(30, 30))
	if len(out.Instances) != 30 {
		t.Errorf("unlimited: launched %d of 30", len(out.Instances))
	}
	_, err := e.runInstances(maxRunCount+1, maxRunCount+1)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
	if n := e.instanceCount(); n != 30 {
		t.Errorf("a refused RunInstances left %d instances, want 30", n)
	}
}

// runWithToken calls RunInstances for n t3.micro instances with the given client token.
func (e *env) runWithToken(token string, n int32, itype ec2types.InstanceType) (*ec2.RunInstancesOutput, error) {
	return e.ec2.RunInstances(e.ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-12345678"), InstanceType: itype,
		MinCount: aws.Int32(n), MaxCount: aws.Int32(n), ClientToken: aws.String(token),
	})
}

func outputIDs(out *ec2.RunInstancesOutput) []string {
	ids := make([]string, 0, len(out.Instances))
	for _, in := range out.Instances {
		ids = append(ids, aws.ToString(in.InstanceId))
	}
	return ids
}

// A repeat with the same client token and parameters answers the original reservation and
// instances, launches nothing, and shows the instances' states as they are now; with the
// instance limit full it still succeeds, as an SDK retry of a launch whose answer was lost
// must (ec2_client_token.go).
func TestRunInstancesClientTokenRepeat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxRunningInstances: 2})
	first := must[*ec2.RunInstancesOutput](t)(e.runWithToken("launch-web-1", 2, ec2types.InstanceTypeT3Micro))
	if first.Instances[0].State.Name != ec2types.InstanceStateNamePending {
		t.Fatalf("first answer: state %s, want pending", first.Instances[0].State.Name)
	}
	time.Sleep(testInstanceDelay + 10*time.Millisecond)
	again := must[*ec2.RunInstancesOutput](t)(e.runWithToken("launch-web-1", 2, ec2types.InstanceTypeT3Micro))
	if aws.ToString(again.ReservationId) != aws.ToString(first.ReservationId) || !slices.Equal(outputIDs(again), outputIDs(first)) {
		t.Errorf("repeat answered reservation %s %v, want the original %s %v",
			aws.ToString(again.ReservationId), outputIDs(again), aws.ToString(first.ReservationId), outputIDs(first))
	}
	for _, in := range again.Instances {
		if in.State.Name != ec2types.InstanceStateNameRunning {
			t.Errorf("repeat shows %s as %s, want its state now, running", aws.ToString(in.InstanceId), in.State.Name)
		}
	}
	if n := e.instanceCount(); n != 2 {
		t.Errorf("after a repeated RunInstances there are %d instances, want 2", n)
	}
	// The limit is full, so a new token is refused: the repeat above did not launch.
	_, err := e.runWithToken("launch-web-2", 1, ec2types.InstanceTypeT3Micro)
	wantCode(t, err, "InstanceLimitExceeded", http.StatusBadRequest)
}

// The same token with other parameters is IdempotentParameterMismatch, and launches nothing.
func TestRunInstancesClientTokenMismatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	must[*ec2.RunInstancesOutput](t)(e.runWithToken("launch-web-1", 1, ec2types.InstanceTypeT3Micro))
	_, err := e.runWithToken("launch-web-1", 1, ec2types.InstanceTypeT3Small)
	wantCode(t, err, "IdempotentParameterMismatch", http.StatusBadRequest)
	_, err = e.runWithToken("launch-web-1", 2, ec2types.InstanceTypeT3Micro)
	wantCode(t, err, "IdempotentParameterMismatch", http.StatusBadRequest)
	if n := e.instanceCount(); n != 1 {
		t.Errorf("after two mismatched repeats there are %d instances, want 1", n)
	}
	// Tokens are case-sensitive: another case is another token, and launches.
	must[*ec2.RunInstancesOutput](t)(e.runWithToken("LAUNCH-WEB-1", 1, ec2types.InstanceTypeT3Small))
	if n := e.instanceCount(); n != 2 {
		t.Errorf("after a token differing only in case there are %d instances, want 2", n)
	}
}

// Without a client token (a raw request; the SDK always sends one) every call launches.
func TestRunInstancesWithoutClientToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	form := ec2Form("RunInstances", "ImageId", "ami-12345678", "MinCount", "1", "MaxCount", "1")
	for i := range 2 {
		if r := e.post(form, "ec2"); r.status != http.StatusOK {
			t.Fatalf("call %d: HTTP %d: %s", i, r.status, r.body)
		}
	}
	if n := e.instanceCount(); n != 2 {
		t.Errorf("two RunInstances without a client token left %d instances, want 2", n)
	}
}

// A token is at most 64 ASCII characters.
func TestRunInstancesClientTokenLength(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	must[*ec2.RunInstancesOutput](t)(e.runWithToken(strings.Repeat("a", 64), 1, ec2types.InstanceTypeT3Micro))
	_, err := e.runWithToken(strings.Repeat("a", 65), 1, ec2types.InstanceTypeT3Micro)
	wantCode(t, err, "InvalidParameterValue", http.StatusBadRequest)
	_, err = e.runWithToken("jeton-été", 1, ec2types.InstanceTypeT3Micro)
	wantCode(t, err, "InvalidParameterValue", http.StatusBadRequest)
	if n := e.instanceCount(); n != 1 {
		t.Errorf("refused tokens left %d instances, want 1", n)
	}
}
