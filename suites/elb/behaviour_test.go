package elb

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// catalogueFile is read from the package directory, where go test and the
// ginkgo CLI run the suite.
const catalogueFile = "behaviours.yaml"

var behaviours = mustLoadCatalogue()

func mustLoadCatalogue() *catalogue.Catalogue {
	c, err := catalogue.Load(catalogueFile)
	if err != nil {
		panic(err)
	}
	return c
}

// Behaviour labels a spec with a behaviour ID and the capabilities the
// catalogue says that behaviour needs, so `--label-filter` and a profile's
// `lacks` scope runs without each spec repeating them.
func Behaviour(id string) Labels {
	b, ok := behaviours.Get(id)
	if !ok {
		// The catalogue coverage test names this too; failing here keeps a
		// typo from building a suite that silently lacks a behaviour.
		panic("spec names behaviour " + id + ", which is not in " + catalogueFile)
	}
	return append(Labels{id}, b.Needs...)
}
