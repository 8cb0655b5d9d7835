package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func tcpFrom(port int32, cidr string) []ec2types.IpPermission {
	return []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port),
		IpRanges: []ec2types.IpRange{{CidrIp: aws.String(cidr)}}}}
}

func TestAuthorizeAndRevokeIngress(t *testing.T) {
	e := newEnv(t, Options{})
	vpcID, _ := e.vpcWithSubnets("10.5.0.0/16")
	id := e.createGroup("web", vpcID)
	out := must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(id), IpPermissions: tcpFrom(80, "0.0.0.0/0")}))
	if !aws.ToBool(out.Return) || len(out.SecurityGroupRules) != 1 || aws.ToString(out.SecurityGroupRules[0].CidrIpv4) != "0.0.0.0/0" ||
		aws.ToInt32(out.SecurityGroupRules[0].FromPort) != 80 {
		t.Errorf("answer %+v", out)
	}
	// The flat form, canonicalised CIDR.
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(id), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String("10.5.1.7/16")}))
	g := e.group(id)
	if len(g.IpPermissions) != 1 || len(g.IpPermissions[0].IpRanges) != 2 || aws.ToString(g.IpPermissions[0].IpRanges[1].CidrIp) != "10.5.0.0/16" {
		t.Errorf("ingress %+v", g.IpPermissions)
	}
	_, err := e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: tcpFrom(80, "0.0.0.0/0")})
	wantCode(t, err, "InvalidPermission.Duplicate", 400)
	for _, bad := range [][]ec2types.IpPermission{
		tcpFrom(70000, "0.0.0.0/0"),
		tcpFrom(80, "not-a-cidr"),
		{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80)}}, // no source
		{{IpProtocol: aws.String("bogus"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
	} {
		_, err := e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: bad})
		if httpStatus(err) != 400 {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	_, err = e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-0123456789abcdef0"), IpPermissions: tcpFrom(80, "0.0.0.0/0")})
	wantCode(t, err, "InvalidGroup.NotFound", 400)

	// Revoke: the rule goes; one that does not exist in a nondefault VPC is
	// InvalidPermission.NotFound and revokes nothing.
	must[*ec2.RevokeSecurityGroupIngressOutput](t)(e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{
		GroupId: aws.String(id), IpPermissions: tcpFrom(80, "0.0.0.0/0")}))
	_, err = e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id),
		IpPermissions: append(tcpFrom(80, "10.5.0.0/16"), tcpFrom(443, "0.0.0.0/0")...)})
	wantCode(t, err, "InvalidPermission.NotFound", 400)
	if g := e.group(id); len(g.IpPermissions) != 1 || len(g.IpPermissions[0].IpRanges) != 1 || aws.ToString(g.IpPermissions[0].IpRanges[0].CidrIp) != "10.5.0.0/16" {
		t.Errorf("after revoking: %+v", g.IpPermissions)
	}

	// In the default VPC a missing rule is answered as unknown, the others revoked.
	d := e.createGroup("web", "")
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupName: aws.String("web"), IpPermissions: tcpFrom(80, "0.0.0.0/0")}))
	rev := must[*ec2.RevokeSecurityGroupIngressOutput](t)(e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{
		GroupId: aws.String(d), IpPermissions: append(tcpFrom(80, "0.0.0.0/0"), tcpFrom(443, "0.0.0.0/0")...)}))
	if len(rev.UnknownIpPermissions) != 1 || aws.ToInt32(rev.UnknownIpPermissions[0].FromPort) != 443 || len(e.group(d).IpPermissions) != 0 {
		t.Errorf("default VPC revoke: unknown %+v, left %+v", rev.UnknownIpPermissions, e.group(d).IpPermissions)
	}
	// By rule id.
	auth := must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(d), IpPermissions: tcpFrom(8080, "0.0.0.0/0")}))
	must[*ec2.RevokeSecurityGroupIngressOutput](t)(e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{
		GroupId: aws.String(d), SecurityGroupRuleIds: []string{aws.ToString(auth.SecurityGroupRules[0].SecurityGroupRuleId)}}))
	if len(e.group(d).IpPermissions) != 0 {
		t.Errorf("revoke by id left %+v", e.group(d).IpPermissions)
	}
}
