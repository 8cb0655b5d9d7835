package emulator

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestListServerCertificates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	c := newTestCert(t, "list.example.com", nil)
	for _, n := range []string{"c", "a", "b"} {
		if _, err := upload(e, n, c.certPEM, c.keyPEM, ""); err != nil {
			t.Fatal(err)
		}
	}
	must[*iam.UploadServerCertificateOutput](t)(e.iam().UploadServerCertificate(e.ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("deep"), Path: aws.String("/team/"), CertificateBody: aws.String(c.certPEM), PrivateKey: aws.String(c.keyPEM)}))

	var names []string
	p := iam.NewListServerCertificatesPaginator(e.iam(), &iam.ListServerCertificatesInput{MaxItems: aws.Int32(3)})
	pages := 0
	for p.HasMorePages() {
		out := must[*iam.ListServerCertificatesOutput](t)(p.NextPage(e.ctx))
		pages++
		for _, m := range out.ServerCertificateMetadataList {
			names = append(names, aws.ToString(m.ServerCertificateName))
		}
	}
	if !slices.Equal(names, []string{"a", "b", "c", "deep"}) || pages != 2 {
		t.Errorf("paged names %v in %d pages", names, pages)
	}
	out := must[*iam.ListServerCertificatesOutput](t)(e.iam().ListServerCertificates(e.ctx, &iam.ListServerCertificatesInput{PathPrefix: aws.String("/team/")}))
	if len(out.ServerCertificateMetadataList) != 1 || aws.ToString(out.ServerCertificateMetadataList[0].ServerCertificateName) != "deep" || out.IsTruncated {
		t.Errorf("PathPrefix /team/: %+v", out)
	}
}
