package emulator

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestGetServerCertificate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	ca := newTestCert(t, "ca.example.com", nil)
	c := newTestCert(t, "www.example.com", &ca)
	if _, err := upload(e, "www", c.certPEM, c.keyPEM, ca.certPEM); err != nil {
		t.Fatal(err)
	}
	out := must[*iam.GetServerCertificateOutput](t)(e.iam().GetServerCertificate(e.ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("www")}))
	sc := out.ServerCertificate
	if aws.ToString(sc.CertificateBody) != c.certPEM || aws.ToString(sc.CertificateChain) != ca.certPEM ||
		aws.ToString(sc.ServerCertificateMetadata.Arn) != "arn:aws:iam::123456789012:server-certificate/www" {
		t.Errorf("answer %+v", sc)
	}
	_, err := e.iam().GetServerCertificate(e.ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("nope")})
	wantCode(t, err, "NoSuchEntity", 404)
}
