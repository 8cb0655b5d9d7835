package emulator

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Server-certificate test helpers: self-signed certificates made in the test, the SDK's IAM
// client pointed at the emulator, and TLS clients that report the certificate served.

// testCert is a certificate and its key, PEM-encoded as UploadServerCertificate takes them.
type testCert struct {
	certPEM, keyPEM string
	der             []byte // the leaf, as a TLS handshake presents it
	cert            *x509.Certificate
	key             *ecdsa.PrivateKey
}

// newTestCert makes a self-signed certificate for cn, valid from an hour ago for a day; if
// parent is not nil, parent signs it instead.
func newTestCert(t testing.TB, cn string, parent *testCert) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		DNSNames:              []string{cn},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  parent == nil,
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return testCert{
		certPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		keyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})),
		der:     der, cert: cert, key: key,
	}
}

// iamClient is the SDK's IAM client pointed at e's emulator, signing for region.
func (e *env) iamClient(region string) *iam.Client {
	cfg := aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(e.srv.URL()) })
}

func (e *env) iam() *iam.Client { return e.iamClient("us-east-1") }

// upload uploads c as name and answers its ARN.
func (e *env) upload(name string, c testCert) string {
	e.t.Helper()
	out, err := e.iam().UploadServerCertificate(e.ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String(name), CertificateBody: aws.String(c.certPEM), PrivateKey: aws.String(c.keyPEM)})
	if err != nil {
		e.t.Fatalf("UploadServerCertificate %s: %v", name, err)
	}
	return aws.ToString(out.ServerCertificateMetadata.Arn)
}

// uploadNew makes a certificate, uploads it as name and answers it with its ARN.
func (e *env) uploadNew(name string) (testCert, string) {
	e.t.Helper()
	c := newTestCert(e.t, name+".example.com", nil)
	return c, e.upload(name, c)
}

// httpsListener is an HTTPS:443 listener to instance port 80 with certificate arn.
func httpsListener(arn string) elbtypes.Listener {
	return elbtypes.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstanceProtocol: aws.String("HTTP"),
		InstancePort: aws.Int32(80), SSLCertificateId: aws.String(arn)}
}

// setCertificate calls SetLoadBalancerListenerSSLCertificate.
func (e *env) setCertificate(lb string, port int32, arn string) error {
	_, err := e.elb.SetLoadBalancerListenerSSLCertificate(e.ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{
		LoadBalancerName: aws.String(lb), LoadBalancerPort: port, SSLCertificateId: aws.String(arn)})
	return err
}

// listenerCertificateID is the SSLCertificateId DescribeLoadBalancers shows on lb's port.
func (e *env) listenerCertificateID(lb string, port int32) string {
	e.t.Helper()
	for _, l := range e.describedListeners(lb) {
		if l.LoadBalancerPort == port {
			return aws.ToString(l.SSLCertificateId)
		}
	}
	e.t.Fatalf("%s has no listener on port %d", lb, port)
	return ""
}

// servedLeaf completes a TLS handshake with addr (host:port) and answers the leaf presented.
func servedLeaf(t testing.TB, addr string) ([]byte, error) {
	t.Helper()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // self-signed test certificates
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0].Raw, nil
}

// serves reports whether addr presents the leaf der.
func serves(t testing.TB, addr string, der []byte) bool {
	got, err := servedLeaf(t, addr)
	return err == nil && bytes.Equal(got, der)
}

// hostPort strips the scheme of a base URL.
func hostPort(base string) string {
	_, hp, _ := strings.Cut(base, "://")
	return hp
}
