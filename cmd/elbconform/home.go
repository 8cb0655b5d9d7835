package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/elbconform/elbconform"
	"github.com/elbconform/elbconform/suites/elb"
)

// home is the folder a run of the binary works from: the embedded files in
// the layout of a checkout, so that the profiles' deviations paths
// (suites/elb/deviations/NAME.yaml) and the report tool find them as they
// do in the repository, and the link Ginkgo runs the suite through.
type home struct {
	dir string
}

// Paths inside a home, as in the repository.
const (
	homeProfiles  = "ginkgo.yml"
	homeCatalogue = "suites/elb/behaviours.yaml"
	homeDevDir    = "suites/elb"
	suiteLinkName = "elbconform" + suiteLinkSuffix
)

// newHome writes the embedded files into a new temporary folder.
func newHome() (*home, error) {
	dir, err := os.MkdirTemp("", "elbconform-home-")
	if err != nil {
		return nil, fmt.Errorf("a working folder for the run: %w (set TMPDIR to a writable folder)", err)
	}
	h := &home{dir: dir}
	if err := h.write(); err != nil {
		h.remove()
		return nil, err
	}
	return h, nil
}

func (h *home) write() error {
	files := map[string][]byte{
		homeProfiles:  elbconform.Profiles,
		homeCatalogue: elb.CatalogueYAML,
	}
	err := fs.WalkDir(elb.Deviations, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(elb.Deviations, path)
		files[filepath.Join(homeDevDir, path)] = raw
		return err
	})
	if err != nil {
		return err
	}
	for name, raw := range files {
		p := filepath.Join(h.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, raw, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// link makes the elbconform.test link to this binary, through which Ginkgo
// starts the suite processes, and returns its path.
func (h *home) link() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding this binary to run the suite with: %w", err)
	}
	p := filepath.Join(h.dir, suiteLinkName)
	if err := os.Symlink(exe, p); err != nil {
		return "", fmt.Errorf("linking the suite: %w", err)
	}
	return p, nil
}

func (h *home) path(name string) string { return filepath.Join(h.dir, name) }

func (h *home) remove() { _ = os.RemoveAll(h.dir) }
