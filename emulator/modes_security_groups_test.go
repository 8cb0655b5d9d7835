package emulator

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/elbconform/elbconform/emulator/internal/modes"
)

// The security group faults (docs/sources.md 20). Each env has its fault on.
func init() {
	faultTests[modes.FaultCreateLBUnknownGroupAccepted] = func(t *testing.T, e *env) {
		v := newSGVPC(e)
		if err := e.createLBIn("lb", v.subnets[:1], "not-an-sg"); err != nil {
			t.Fatalf("unknown group refused: %v", err)
		}
		if d := e.describeOne("lb"); !slices.Equal(d.SecurityGroups, []string{"not-an-sg"}) {
			t.Errorf("described %v", d.SecurityGroups)
		}
		_, err := e.applyGroups("lb", "sg-0123456789abcdef0") // Apply still refuses
		wantCode(t, err, "InvalidSecurityGroup", 400)
	}
	faultTests[modes.FaultApplyGroupsUnknownAccepted] = func(t *testing.T, e *env) {
		v := newSGVPC(e)
		must[any](t)(nil, e.createLBIn("lb", v.subnets[:1]))
		if got, err := e.applyGroups("lb", "sg-0123456789abcdef0"); err != nil || !slices.Equal(got, []string{"sg-0123456789abcdef0"}) {
			t.Errorf("apply an unknown group: %v %v", got, err)
		}
	}
	faultTests[modes.FaultGroupsOtherVPCAccepted] = func(t *testing.T, e *env) {
		v := newSGVPC(e)
		if err := e.createLBIn("lb", v.subnets[:1], v.otherVPCGroup); err != nil {
			t.Errorf("create with another VPC's group refused: %v", err)
		}
		if _, err := e.applyGroups("lb", v.otherVPCGroup); err != nil {
			t.Errorf("apply another VPC's group refused: %v", err)
		}
		_, err := e.applyGroups("lb", "sg-0123456789abcdef0") // unknown ones still refused
		wantCode(t, err, "InvalidSecurityGroup", 400)
	}
	faultTests[modes.FaultApplyGroupsNoop] = func(t *testing.T, e *env) {
		v := newSGVPC(e)
		must[any](t)(nil, e.createLBIn("lb", v.subnets[:1]))
		if got := must[[]string](t)(e.applyGroups("lb", v.group)); !slices.Equal(got, []string{v.group}) {
			t.Errorf("answer %v", got)
		}
		if d := e.describeOne("lb"); !slices.Equal(d.SecurityGroups, []string{v.defaultGroup}) {
			t.Errorf("groups changed: %v", d.SecurityGroups)
		}
	}
	faultTests[modes.FaultDefaultGroupMissing] = func(t *testing.T, e *env) {
		v := newSGVPC(e)
		must[any](t)(nil, e.createLBIn("lb", v.subnets[:1]))
		e.createLB("zone", "us-east-1a")
		for _, lb := range []string{"lb", "zone"} {
			if d := e.describeOne(lb); len(d.SecurityGroups) != 0 {
				t.Errorf("%s: groups %v", lb, d.SecurityGroups)
			}
		}
	}
	faultTests[modes.FaultSourceGroupAlwaysDefault] = func(t *testing.T, e *env) {
		v := newSGVPC(e)
		must[any](t)(nil, e.createLBIn("lb", v.subnets[:1], v.group))
		if d := e.describeOne("lb"); aws.ToString(d.SourceSecurityGroup.GroupName) != "default" {
			t.Errorf("source group %+v", d.SourceSecurityGroup)
		}
	}
}
