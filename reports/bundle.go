package reports

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
)

// BundleDir is the directory every file of a certification bundle sits in,
// so unpacking one does not scatter files into the current directory.
const BundleDir = "certification"

// ManifestFile lists the sha256 of every other file of a bundle, in the
// format of sha256sum, so `sha256sum -c MANIFEST.sha256` checks an unpacked
// bundle without this tool.
const ManifestFile = "MANIFEST.sha256"

// BundleFile is one file to pack: Source on disk, Name inside the bundle
// (relative to BundleDir, slash separated).
type BundleFile struct {
	Name, Source string
}

// WriteBundle packs files and their manifest into a gzipped tar at out.
func WriteBundle(out string, files []BundleFile) (err error) {
	seen := map[string]bool{ManifestFile: true}
	for _, f := range files {
		// sha256sum escapes names with these characters, which would
		// make the manifest differ from what it reads back.
		if f.Name == "" || strings.ContainsAny(f.Name, "\\\n\r") || path.Clean(f.Name) != f.Name || strings.HasPrefix(f.Name, "../") || path.IsAbs(f.Name) {
			return fmt.Errorf("bundle: bad file name %q", f.Name)
		}
		if seen[f.Name] {
			return fmt.Errorf("bundle: %s given twice", f.Name)
		}
		seen[f.Name] = true
	}

	// Read everything first, so a missing input leaves no half archive.
	contents := make([][]byte, len(files))
	var manifest strings.Builder
	for i, f := range files {
		data, err := os.ReadFile(f.Source)
		if err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		contents[i] = data
		sum := sha256.Sum256(data)
		fmt.Fprintf(&manifest, "%s  %s\n", hex.EncodeToString(sum[:]), f.Name)
	}

	fh, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer func() {
		if cerr := fh.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("bundle: %w", cerr)
		}
		if err != nil {
			os.Remove(out)
		}
	}()
	gz := gzip.NewWriter(fh)
	tw := tar.NewWriter(gz)
	add := func(name string, data []byte) error {
		hdr := &tar.Header{Name: BundleDir + "/" + name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := add(ManifestFile, []byte(manifest.String())); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	for i, f := range files {
		if err := add(f.Name, contents[i]); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// VerifyError lists every way a bundle differs from its manifest, so one
// run names all the edited, missing and extra files.
type VerifyError struct {
	Bundle   string
	Problems []string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s does not match its manifest:\n  %s", e.Bundle, strings.Join(e.Problems, "\n  "))
}

// VerifyBundle re-checks every file of a bundle against its manifest and
// returns the names of the files checked. A *VerifyError means the bundle was
// altered; any other error means it could not be read as a bundle.
func VerifyBundle(bundle string) ([]string, error) {
	fh, err := os.Open(bundle)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return nil, fmt.Errorf("verify: %s is not a gzipped certification bundle: %w", bundle, err)
	}
	tr := tar.NewReader(gz)

	sums := map[string]string{} // name in bundle → sha256 of its content
	var manifest []byte
	var problems []string
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("verify: reading %s: %w", bundle, err)
		}
		name, inDir := strings.CutPrefix(hdr.Name, BundleDir+"/")
		switch {
		case hdr.Typeflag == tar.TypeDir && (name == "" || inDir):
			continue
		case !inDir || name == "":
			problems = append(problems, fmt.Sprintf("%s: extra file outside %s/", hdr.Name, BundleDir))
			continue
		case hdr.Typeflag != tar.TypeReg:
			// A link could point anywhere once unpacked.
			problems = append(problems, fmt.Sprintf("%s: not a regular file", name))
			continue
		}
		h := sha256.New()
		var data []byte
		if name == ManifestFile {
			if data, err = io.ReadAll(tr); err != nil {
				return nil, fmt.Errorf("verify: reading %s: %w", name, err)
			}
		} else if _, err := io.Copy(h, tr); err != nil {
			return nil, fmt.Errorf("verify: reading %s: %w", name, err)
		}
		// Unpacking keeps the last copy of a name, so a second copy is
		// a way to swap content behind a matching first one.
		if _, dup := sums[name]; dup || (name == ManifestFile && manifest != nil) {
			problems = append(problems, fmt.Sprintf("%s: appears more than once", name))
			continue
		}
		if name == ManifestFile {
			manifest = data
			continue
		}
		sums[name] = hex.EncodeToString(h.Sum(nil))
	}
	if manifest == nil {
		return nil, fmt.Errorf("verify: %s has no %s/%s: not a certification bundle", bundle, BundleDir, ManifestFile)
	}

	listed := map[string]bool{}
	var checked []string
	sc := bufio.NewScanner(strings.NewReader(string(manifest)))
	for line := 1; sc.Scan(); line++ {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(want) != sha256.Size*2 || name == "" {
			problems = append(problems, fmt.Sprintf("%s line %d: not in sha256sum format", ManifestFile, line))
			continue
		}
		listed[name] = true
		got, present := sums[name]
		switch {
		case !present:
			problems = append(problems, fmt.Sprintf("%s: missing (listed in %s)", name, ManifestFile))
		case !strings.EqualFold(got, want):
			problems = append(problems, fmt.Sprintf("%s: edited (sha256 %s, manifest says %s)", name, got, want))
		default:
			checked = append(checked, name)
		}
	}
	var extra []string
	for name := range sums {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		problems = append(problems, fmt.Sprintf("%s: extra file, not in %s", name, ManifestFile))
	}
	if len(problems) > 0 {
		return checked, &VerifyError{Bundle: bundle, Problems: problems}
	}
	return checked, nil
}
