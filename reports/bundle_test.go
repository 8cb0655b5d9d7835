package reports

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// makeBundle writes a bundle of a generated report, the test catalogue and a
// run log, and returns its path.
func makeBundle(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	r, err := Build(passingExcept(nil), Options{Catalogue: testCatalogue(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "run.log")
	if err := os.WriteFile(logPath, []byte("Ran 7 of 7 Specs\nSUCCESS!\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "certification.tar.gz")
	err = WriteBundle(out, []BundleFile{
		{Name: YAMLFile, Source: filepath.Join(dir, YAMLFile)},
		{Name: HTMLFile, Source: filepath.Join(dir, HTMLFile)},
		{Name: MarkdownFile, Source: filepath.Join(dir, MarkdownFile)},
		{Name: "catalogue/behaviours.yaml", Source: "testdata/catalogue.yaml"},
		{Name: "logs/run.log", Source: logPath},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rewrite copies a bundle entry by entry through edit, which returns the
// new content or nil to drop the entry; extra entries are appended.
func rewrite(t *testing.T, src string, edit func(name string, data []byte) []byte, extra map[string]string) string {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	gzr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "edited.tar.gz")
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	gzw := gzip.NewWriter(out)
	tw := tar.NewWriter(gzw)
	put := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	tr := tar.NewReader(gzr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if data = edit(hdr.Name, data); data != nil {
			put(hdr.Name, data)
		}
	}
	for name, content := range extra {
		put(name, []byte(content))
	}
	for _, c := range []io.Closer{tw, gzw, out} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func keep(_ string, data []byte) []byte { return data }

func TestBundleRoundTrip(t *testing.T) {
	b := makeBundle(t)
	checked, err := VerifyBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"catalogue/behaviours.yaml", HTMLFile, MarkdownFile, YAMLFile, "logs/run.log"}
	slices.Sort(want)
	slices.Sort(checked)
	if !slices.Equal(checked, want) {
		t.Errorf("checked %q, want %q", checked, want)
	}
	// Copying entries unchanged keeps the bundle valid, so the failures
	// below come from the edits, not from the rewriting.
	if _, err := VerifyBundle(rewrite(t, b, keep, nil)); err != nil {
		t.Errorf("unchanged copy: %v", err)
	}
}

// TestBundleWithSha256sum checks the manifest format with the real tool, so
// a reviewer without this command can verify an unpacked bundle.
func TestBundleWithSha256sum(t *testing.T) {
	for _, tool := range []string{"tar", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", makeBundle(t), "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	cmd := exec.Command("sha256sum", "-c", ManifestFile)
	cmd.Dir = filepath.Join(dir, BundleDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "logs/run.log: OK") || strings.Count(string(out), ": OK") != 5 {
		t.Errorf("sha256sum -c checked:\n%s", out)
	}
}

func TestVerifyNamesAlteredFiles(t *testing.T) {
	b := makeBundle(t)
	for _, tc := range []struct {
		name  string
		edit  func(string, []byte) []byte
		extra map[string]string
		want  []string
	}{
		{
			name: "edited",
			edit: func(name string, data []byte) []byte {
				if name == BundleDir+"/"+YAMLFile {
					return []byte(strings.Replace(string(data), "verdict: CONFORMANT", "verdict: CONFORMANT ", 1))
				}
				return data
			},
			want: []string{"conformance.yaml: edited"},
		},
		{
			name: "missing",
			edit: func(name string, data []byte) []byte {
				if name == BundleDir+"/logs/run.log" {
					return nil
				}
				return data
			},
			want: []string{"logs/run.log: missing"},
		},
		{
			name:  "extra",
			edit:  keep,
			extra: map[string]string{BundleDir + "/notes.txt": "trust me", "outside.txt": "x"},
			want:  []string{"notes.txt: extra file, not in MANIFEST.sha256", "outside.txt: extra file outside certification/"},
		},
		{
			name:  "second copy",
			edit:  keep,
			extra: map[string]string{BundleDir + "/" + HTMLFile: "<h1>CONFORMANT</h1>"},
			want:  []string{"conformance.html: appears more than once"},
		},
		{
			name: "manifest edited to match",
			edit: func(name string, data []byte) []byte {
				if name == BundleDir+"/"+ManifestFile {
					return []byte(strings.Replace(string(data), "  conformance.md\n", "  conformance.md\n0000000000000000000000000000000000000000000000000000000000000000  ghost.txt\n", 1))
				}
				return data
			},
			want: []string{"ghost.txt: missing"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifyBundle(rewrite(t, b, tc.edit, tc.extra))
			var verr *VerifyError
			if !errors.As(err, &verr) {
				t.Fatalf("verify: %v, want a VerifyError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %q:\n%v", w, err)
				}
			}
			if len(verr.Problems) != len(tc.want) {
				t.Errorf("problems %q, want only %q", verr.Problems, tc.want)
			}
		})
	}
}

func TestVerifyRejectsNonBundles(t *testing.T) {
	if _, err := VerifyBundle("testdata/catalogue.yaml"); err == nil || !strings.Contains(err.Error(), "not a gzipped certification bundle") {
		t.Errorf("plain file: %v", err)
	}
	noManifest := rewrite(t, makeBundle(t), func(name string, data []byte) []byte {
		if strings.HasSuffix(name, ManifestFile) {
			return nil
		}
		return data
	}, nil)
	if _, err := VerifyBundle(noManifest); err == nil || !strings.Contains(err.Error(), "has no certification/MANIFEST.sha256") {
		t.Errorf("no manifest: %v", err)
	}
}

func TestWriteBundleRejectsBadInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := WriteBundle(out, []BundleFile{{Name: "../escape", Source: "testdata/catalogue.yaml"}}); err == nil {
		t.Error("a name leaving the bundle directory was accepted")
	}
	if err := WriteBundle(out, []BundleFile{{Name: "log", Source: "testdata/no-such-log"}}); err == nil {
		t.Error("a missing source was accepted")
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed bundle left %s behind", out)
	}
}
