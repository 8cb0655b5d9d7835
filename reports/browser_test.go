package reports

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// -update-screenshot refreshes the README's picture of a report:
//
//	go test ./reports -run TestHTMLInBrowser -update-screenshot
var updateScreenshot = flag.Bool("update-screenshot", false, "copy the browser test's screenshot to docs/report-screenshot.png")

// chromium finds the browser, or skips: CI installs it, a laptop may not
// have it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not on PATH, so conformance.html is not checked in a browser; " +
			"install it with `apt-get install -y chromium` (Debian/Ubuntu) or set CHROMIUM to a Chrome or Chromium binary")
	}
	return p
}

// headless runs chromium on a page and returns its standard output.
func headless(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		// A fresh profile per run: concurrent runs would fight over the
		// default one.
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// TestHTMLInBrowser renders the recorded run's page in a real browser: the
// page must lay out (a screenshot with the red verdict banner where the CSS
// puts it) and its DOM must carry the verdict and no injected script.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	runs, err := LoadGinkgoReport("testdata/mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	c := testCatalogue(t)
	r, err := Build(runs, Options{Catalogue: c, Deviations: testDeviations(t, c), DeviationsFile: "profiles/emulator/deviations.yaml",
		BaseDir: recordedRoot(t, runs), SuiteVersion: "v0.3.0"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Write(dir, r); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, HTMLFile)

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(dir, "shot.png")
		headless(t, bin, page, "--screenshot="+shot, "--window-size=1280,2000")
		raw, err := os.ReadFile(shot)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
			t.Errorf("screenshot is %dx%d, want 1280x2000", b.Dx(), b.Dy())
		}
		if n := colours(img); n < 50 {
			t.Errorf("screenshot has %d colours: the page did not render", n)
		}
		// The verdict banner sits at the top: a NOT CONFORMANT run
		// paints it red. This fails if the CSS did not apply.
		if r, g, b := rgb(img, 90, 40); r < 150 || g > 80 || b > 80 {
			t.Errorf("banner pixel is rgb(%d,%d,%d), want red", r, g, b)
		}
		if *updateScreenshot {
			if err := os.WriteFile("../docs/report-screenshot.png", raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("dom", func(t *testing.T) {
		dom := string(headless(t, bin, page, "--dump-dom"))
		for _, want := range []string{`id="verdict">NOT CONFORMANT</div>`, "CRT-ERR-NAME", "&lt;script&gt;alert("} {
			if !strings.Contains(dom, want) {
				t.Errorf("rendered DOM does not contain %q", want)
			}
		}
		if strings.Contains(dom, "<script") {
			t.Error("rendered DOM has a script element")
		}
	})
}

// colours counts distinct colours, sampling every 4th pixel.
func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

func rgb(img image.Image, x, y int) (r, g, b uint32) {
	r, g, b, _ = img.At(x, y).RGBA()
	return r >> 8, g >> 8, b >> 8
}
