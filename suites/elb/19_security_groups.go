package elb

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/elbconform/elbconform/fixtures"
	"github.com/elbconform/elbconform/harness/match"
)

// The security groups of load balancers: what CreateLoadBalancer gives and refuses, and
// ApplySecurityGroupsToLoadBalancer. The groups filter traffic on AWS; no spec here sends
// any (the traffic specs rely on port 80 being open, see the README).
var _ = Describe("Security groups of load balancers", func() {
	var zone string
	BeforeEach(func(ctx SpecContext) { zone = f.Zones(ctx, 1)[0] })

	groupsOf := func(ctx SpecContext, lb string) func() ([]string, error) {
		return func() ([]string, error) { return f.SecurityGroupsOf(ctx, lb) }
	}
	notCreated := func(ctx SpecContext, name string) {
		GinkgoHelper()
		Expect(f.LoadBalancerListed(ctx, name)).To(BeFalse(), "a refused CreateLoadBalancer created %s", name)
	}

	It("gives load balancers created in the default VPC without security groups the one group ELB creates there, named default_elb_..., keeps it when they are deleted, and names it as their SourceSecurityGroup", Behaviour("SG-CREATE-DEFAULT-VPC-ELB-GROUP"), func(ctx SpecContext) {
		first, second := f.CreateLoadBalancer(ctx, zone), f.CreateLoadBalancer(ctx, zone)

		d, err := f.Describe(ctx, first)
		Expect(err).NotTo(HaveOccurred())
		Expect(d.SecurityGroups).To(HaveLen(1))
		Expect(f.SecurityGroupsOf(ctx, second)).To(Equal(d.SecurityGroups), "every such load balancer uses the same group")
		g, err := f.SecurityGroup(ctx, d.SecurityGroups[0])
		Expect(err).NotTo(HaveOccurred())
		Expect(aws.ToString(g.GroupName)).To(HavePrefix("default_elb_"))
		Expect(aws.ToString(g.VpcId)).To(Equal(f.DefaultVPC(ctx)))
		Expect(d.SourceSecurityGroup).NotTo(BeNil())
		Expect(aws.ToString(d.SourceSecurityGroup.GroupName)).To(Equal(aws.ToString(g.GroupName)))
		Expect(aws.ToString(d.SourceSecurityGroup.OwnerAlias)).To(Equal(aws.ToString(g.OwnerId)))

		for _, lb := range []string{first, second} {
			_, err := f.ELB.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(lb)})
			Expect(err).NotTo(HaveOccurred())
		}
		Consistently(func() error { _, err := f.SecurityGroup(ctx, aws.ToString(g.GroupId)); return err }).
			WithContext(ctx).WithTimeout(settle()).Should(Succeed(), "the group is not deleted with the load balancers")
	})

	It("refuses a security group that does not exist, or an id that is no security group id, with InvalidSecurityGroup (HTTP 400) and creates nothing", Behaviour("SG-CREATE-ERR-UNKNOWN"), func(ctx SpecContext) {
		for _, id := range []string{fixtures.UnknownSecurityGroupID(), "not-an-sg"} {
			name := f.Name()
			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone}, SecurityGroups: []string{id}})
			Expect(err).To(match.APIError(400, "InvalidSecurityGroup"), "security group %s", id)
			var invalid *elbtypes.InvalidSecurityGroupException
			Expect(errors.As(err, &invalid)).To(BeTrue(), "got %T", err)
			notCreated(ctx, name)
		}
	})

	It("refuses ApplySecurityGroupsToLoadBalancer with a security group that does not exist with InvalidSecurityGroup (HTTP 400) and keeps the load balancer's groups", Behaviour("SG-APPLY-ERR-UNKNOWN"), func(ctx SpecContext) {
		lb := f.CreateLoadBalancer(ctx, zone)
		before, err := f.SecurityGroupsOf(ctx, lb)
		Expect(err).NotTo(HaveOccurred())

		_, err = f.ApplySecurityGroups(ctx, lb, fixtures.UnknownSecurityGroupID())
		Expect(err).To(match.APIError(400, "InvalidSecurityGroup"))
		var invalid *elbtypes.InvalidSecurityGroupException
		Expect(errors.As(err, &invalid)).To(BeTrue(), "got %T", err)
		Consistently(groupsOf(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf(before))
	})

	It("refuses ApplySecurityGroupsToLoadBalancer on an unknown load balancer with AccessPointNotFoundException (LoadBalancerNotFound, HTTP 400)", Behaviour("SG-APPLY-ERR-LB-NOT-FOUND"), func(ctx SpecContext) {
		group := aws.ToString(f.DefaultSecurityGroup(ctx, f.DefaultVPC(ctx)).GroupId)

		_, err := f.ApplySecurityGroups(ctx, f.UnknownLoadBalancerName(), group)
		Expect(err).To(match.APIError(400, "LoadBalancerNotFound"))
		var notFound *elbtypes.AccessPointNotFoundException
		Expect(errors.As(err, &notFound)).To(BeTrue(), "got %T", err)
	})

	Context("with a VPC of the run", func() {
		var vpc string
		var subnets []string
		BeforeEach(func(ctx SpecContext) { vpc, subnets = f.CreateVPC(ctx, zone) })

		It("gives a load balancer created in a nondefault VPC without security groups that VPC's default security group, named default as its SourceSecurityGroup", Behaviour("SG-CREATE-VPC-DEFAULT-GROUP"), func(ctx SpecContext) {
			lb := f.CreateLoadBalancerInSubnets(ctx, subnets...)
			def := f.DefaultSecurityGroup(ctx, vpc)

			d, err := f.Describe(ctx, lb)
			Expect(err).NotTo(HaveOccurred())
			Expect(d.SecurityGroups).To(ConsistOf(aws.ToString(def.GroupId)))
			Expect(d.SourceSecurityGroup).NotTo(BeNil())
			Expect(aws.ToString(d.SourceSecurityGroup.GroupName)).To(Equal("default"))
			Expect(aws.ToString(d.SourceSecurityGroup.OwnerAlias)).To(Equal(aws.ToString(def.OwnerId)))
		})

		It("gives a load balancer created with security groups exactly those groups", Behaviour("SG-CREATE-GIVEN"), func(ctx SpecContext) {
			a, b := f.CreateSecurityGroup(ctx, vpc), f.CreateSecurityGroup(ctx, vpc)
			lb := f.CreateLoadBalancerWithGroups(ctx, subnets, a, b)

			Expect(f.SecurityGroupsOf(ctx, lb)).To(ConsistOf(a, b))
		})

		It("names a load balancer's one security group, with its owner, as its SourceSecurityGroup", Behaviour("SG-SOURCE-GROUP"), func(ctx SpecContext) {
			group := f.CreateSecurityGroup(ctx, vpc)
			lb := f.CreateLoadBalancerWithGroups(ctx, subnets, group)
			g, err := f.SecurityGroup(ctx, group)
			Expect(err).NotTo(HaveOccurred())

			d, err := f.Describe(ctx, lb)
			Expect(err).NotTo(HaveOccurred())
			Expect(d.SourceSecurityGroup).NotTo(BeNil())
			Expect(aws.ToString(d.SourceSecurityGroup.GroupName)).To(Equal(aws.ToString(g.GroupName)))
			Expect(aws.ToString(d.SourceSecurityGroup.OwnerAlias)).To(Equal(aws.ToString(g.OwnerId)))
		})

		It("refuses a security group of another VPC than the load balancer's with InvalidConfigurationRequest (HTTP 409) and creates nothing", Behaviour("SG-CREATE-ERR-OTHER-VPC"), func(ctx SpecContext) {
			group := f.CreateSecurityGroup(ctx, vpc) // the load balancer goes in the default VPC
			name := f.Name()

			_, err := f.TryCreateLoadBalancer(ctx, name, elb.CreateLoadBalancerInput{AvailabilityZones: []string{zone}, SecurityGroups: []string{group}})
			Expect(err).To(match.APIError(409, "InvalidConfigurationRequest"))
			var invalid *elbtypes.InvalidConfigurationRequestException
			Expect(errors.As(err, &invalid)).To(BeTrue(), "got %T", err)
			notCreated(ctx, name)
		})

		It("replaces the load balancer's security groups with those ApplySecurityGroupsToLoadBalancer names, and answers them", Behaviour("SG-APPLY-REPLACES"), func(ctx SpecContext) {
			// The groups first: cleanups run last-in first-out, so the load balancer goes before them.
			a, b := f.CreateSecurityGroup(ctx, vpc), f.CreateSecurityGroup(ctx, vpc)
			lb := f.CreateLoadBalancerInSubnets(ctx, subnets...)

			got, err := f.ApplySecurityGroups(ctx, lb, a, b)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(ConsistOf(a, b))
			Eventually(groupsOf(ctx, lb)).WithContext(ctx).Should(ConsistOf(a, b))

			got, err = f.ApplySecurityGroups(ctx, lb, b)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(ConsistOf(b))
			Eventually(groupsOf(ctx, lb)).WithContext(ctx).Should(ConsistOf(b))
		})

		It("refuses ApplySecurityGroupsToLoadBalancer with a security group of another VPC with a client error and keeps the load balancer's groups", Behaviour("SG-APPLY-ERR-OTHER-VPC"), func(ctx SpecContext) {
			group := f.CreateSecurityGroup(ctx, vpc)
			lb := f.CreateLoadBalancer(ctx, zone) // in the default VPC
			before, err := f.SecurityGroupsOf(ctx, lb)
			Expect(err).NotTo(HaveOccurred())

			_, err = f.ApplySecurityGroups(ctx, lb, group)
			Expect(err).To(SatisfyAny(match.APIError(409, "InvalidConfigurationRequest"), match.APIError(400, "InvalidSecurityGroup")))
			Consistently(groupsOf(ctx, lb)).WithContext(ctx).WithTimeout(settle()).Should(ConsistOf(before))
		})

		It("refuses to delete a security group a load balancer uses with DependencyViolation and keeps the group", Behaviour("SG-DELETE-IN-USE"), func(ctx SpecContext) {
			group := f.CreateSecurityGroup(ctx, vpc)
			f.CreateLoadBalancerWithGroups(ctx, subnets, group)

			Expect(f.DeleteSecurityGroup(ctx, group)).To(match.APIError(400, "DependencyViolation"))
			_, err := f.SecurityGroup(ctx, group)
			Expect(err).NotTo(HaveOccurred(), "the group is still there")
		})
	})
})
