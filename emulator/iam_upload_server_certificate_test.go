package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func upload(e *env, name, body, key, chain string) (*iam.UploadServerCertificateOutput, error) {
	in := &iam.UploadServerCertificateInput{ServerCertificateName: aws.String(name), CertificateBody: aws.String(body), PrivateKey: aws.String(key)}
	if chain != "" {
		in.CertificateChain = aws.String(chain)
	}
	return e.iam().UploadServerCertificate(e.ctx, in)
}

func TestUploadServerCertificate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	c := newTestCert(t, "www.example.com", nil)
	out := must[*iam.UploadServerCertificateOutput](t)(e.iam().UploadServerCertificate(e.ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("prod"), Path: aws.String("/company/servercerts/"),
		CertificateBody: aws.String(c.certPEM), PrivateKey: aws.String(c.keyPEM),
		Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	}))
	m := out.ServerCertificateMetadata
	if got := aws.ToString(m.Arn); got != "arn:aws:iam::123456789012:server-certificate/company/servercerts/prod" {
		t.Errorf("ARN %s", got)
	}
	if id := aws.ToString(m.ServerCertificateId); !strings.HasPrefix(id, "ASCA") || len(id) != 21 || strings.ToUpper(id) != id {
		t.Errorf("ServerCertificateId %q", id)
	}
	if aws.ToString(m.Path) != "/company/servercerts/" || aws.ToString(m.ServerCertificateName) != "prod" ||
		m.UploadDate == nil || m.Expiration == nil || !m.Expiration.Equal(c.cert.NotAfter.Truncate(1e6)) {
		t.Errorf("metadata %+v (certificate valid until %v)", m, c.cert.NotAfter)
	}
	if len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "team" {
		t.Errorf("tags %+v", out.Tags)
	}
	// The default path is "/".
	other := newTestCert(t, "other.example.com", nil)
	if out, err := upload(e, "other", other.certPEM, other.keyPEM, ""); err != nil || aws.ToString(out.ServerCertificateMetadata.Arn) != "arn:aws:iam::123456789012:server-certificate/other" {
		t.Errorf("default path: %+v %v", out, err)
	}
	// A name in use is EntityAlreadyExists (409), whatever the path.
	_, err := upload(e, "prod", other.certPEM, other.keyPEM, "")
	wantCode(t, err, "EntityAlreadyExists", 409)
}

func TestUploadServerCertificateRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	c := newTestCert(t, "a.example.com", nil)
	stranger := newTestCert(t, "b.example.com", nil)
	ca := newTestCert(t, "ca.example.com", nil)
	issued := newTestCert(t, "issued.example.com", &ca)

	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}))

	for _, tc := range []struct {
		what, body, key, chain, code string
		status                       int
	}{
		{"a body that is not PEM", "hello", c.keyPEM, "", "MalformedCertificate", 400},
		{"a body that is a key", c.keyPEM, c.keyPEM, "", "MalformedCertificate", 400},
		{"a key that is not PEM", c.certPEM, "hello", "", "MalformedCertificate", 400},
		{"another certificate's key", c.certPEM, stranger.keyPEM, "", "KeyPairMismatch", 400},
		{"an RSA key for an EC certificate", c.certPEM, pkcs1, "", "KeyPairMismatch", 400},
		{"a chain that does not sign the body", issued.certPEM, issued.keyPEM, stranger.certPEM, "MalformedCertificate", 400},
		{"a chain that is not PEM", issued.certPEM, issued.keyPEM, "garbage", "MalformedCertificate", 400},
	} {
		_, err := upload(e, "x", tc.body, tc.key, tc.chain)
		if apiCode(err) != tc.code || httpStatus(err) != tc.status {
			t.Errorf("%s: %v, want %s (%d)", tc.what, err, tc.code, tc.status)
		}
	}
	if _, err := e.iam().GetServerCertificate(e.ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("x")}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("a refused upload stored the certificate: %v", err)
	}
	// A chain starting with the issuer is accepted.
	if _, err := upload(e, "chained", issued.certPEM, issued.keyPEM, ca.certPEM); err != nil {
		t.Errorf("a valid chain: %v", err)
	}
	// Missing and malformed parameters are ValidationError.
	for _, form := range []string{
		iamForm("UploadServerCertificate", "CertificateBody", c.certPEM, "PrivateKey", c.keyPEM),
		iamForm("UploadServerCertificate", "ServerCertificateName", "n", "PrivateKey", c.keyPEM),
		iamForm("UploadServerCertificate", "ServerCertificateName", "n", "CertificateBody", c.certPEM),
		iamForm("UploadServerCertificate", "ServerCertificateName", "has space", "CertificateBody", c.certPEM, "PrivateKey", c.keyPEM),
		iamForm("UploadServerCertificate", "ServerCertificateName", "n", "Path", "nopath", "CertificateBody", c.certPEM, "PrivateKey", c.keyPEM),
	} {
		if r := e.post(form, "iam"); r.status != 400 || !strings.Contains(r.body, "<Code>ValidationError</Code>") ||
			!strings.Contains(r.body, `xmlns="`+iamNamespace+`"`) {
			t.Errorf("%s: %d %s", form, r.status, r.body)
		}
	}
}

func TestIAMRouting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Region: "eu-west-1"})
	// IAM is global: a request signed for us-east-1 reaches an emulator serving eu-west-1.
	if _, err := e.iamClient("us-east-1").ListServerCertificates(e.ctx, &iam.ListServerCertificatesInput{}); err != nil {
		t.Errorf("IAM signed for us-east-1: %v", err)
	}
	if _, err := e.iamClient("eu-west-1").ListServerCertificates(e.ctx, &iam.ListServerCertificatesInput{}); err != nil {
		t.Errorf("IAM signed for eu-west-1: %v", err)
	}
	r := e.post(iamForm("CreateUser", "UserName", "u"), "")
	if r.status != 400 || !strings.Contains(r.body, "<Code>InvalidAction</Code>") {
		t.Errorf("an IAM action the emulator lacks: %d %s", r.status, r.body)
	}
	c := newTestCert(t, "arn.example.com", nil)
	arn := e.upload("c", c)
	if arn != "arn:aws:iam::123456789012:server-certificate/c" {
		t.Errorf("ARN %s", arn)
	}
}

func iamForm(action string, kv ...string) string {
	v := strings.Builder{}
	v.WriteString(elbForm(action, kv...))
	return strings.Replace(v.String(), "Version="+elbVersion, "Version="+iamVersion, 1)
}
