package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"time"
)

// iamState is the IAM part of the store: the account's server certificates
// (UploadServerCertificate and friends, iam_*.go), which HTTPS and SSL listeners name by ARN
// (docs/sources.md 21). IAM is global: one set of certificates, whatever the region. The
// caller holds the store lock.
//
// The seam, as with EC2 (services.go): ELB reads IAM only through certificateReader (does
// an ARN name a server certificate, and the key pair the data plane serves with), and IAM
// asks ELB only through certificateUsers (which load balancer uses a certificate, for
// DeleteServerCertificate's DeleteConflict), implemented by elbSide (elb_certificates.go).
type iamState struct {
	account   string
	partition string

	certs map[string]*serverCertificate // by name; names are unique in the account
	byARN map[string]*serverCertificate

	elb certificateUsers // set by newHandler
}

// serverCertificate is one uploaded server certificate, kept with its private key so that
// the data plane can terminate TLS with it.
type serverCertificate struct {
	name, path, id, arn string
	body, chain         string // as uploaded (PEM)
	uploaded            time.Time
	expiration          time.Time
	tags                []tag
	keyPair             *tls.Certificate // leaf, chain and key, parsed once at upload
}

// certificateReader is what ELB reads of IAM (implemented by *iamState).
type certificateReader interface {
	// ServerCertificate answers the key pair of the server certificate arn names; false if
	// arn names none (an unknown IAM ARN, an ACM ARN, anything else).
	ServerCertificate(arn string) (*tls.Certificate, bool)
}

// certificateUsers is what IAM asks ELB (implemented by elbSide).
type certificateUsers interface {
	// CertificateUser answers the name of a load balancer with a listener that uses arn.
	CertificateUser(arn string) (string, bool)
}

func newIAMState(o Options) *iamState {
	return &iamState{
		account:   o.AccountID,
		partition: partitionOf(o.Region),
		certs:     map[string]*serverCertificate{},
		byARN:     map[string]*serverCertificate{},
	}
}

// partitionOf is the ARN partition of region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// certificateARN is arn:<partition>:iam::<account>:server-certificate<path><name> (the IAM
// reference's example: arn:aws:iam::123456789012:server-certificate/company/servercerts/ProdServerCert).
func (s *iamState) certificateARN(path, name string) string {
	return "arn:" + s.partition + ":iam::" + s.account + ":server-certificate" + path + name
}

func (s *iamState) ServerCertificate(arn string) (*tls.Certificate, bool) {
	c, ok := s.byARN[arn]
	if !ok {
		return nil, false
	}
	return c.keyPair, true
}

func (s *iamState) add(c *serverCertificate) {
	s.certs[c.name] = c
	s.byARN[c.arn] = c
}

func (s *iamState) remove(c *serverCertificate) {
	delete(s.certs, c.name)
	delete(s.byARN, c.arn)
}

// leaf is the certificate's parsed leaf.
func (c *serverCertificate) leaf() *x509.Certificate { return c.keyPair.Leaf }
