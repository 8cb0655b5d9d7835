package elb

import (
	"embed"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/elbconform/elbconform/harness/catalogue"
)

// The catalogue and the known deviations of the profiles in ginkgo.yml are
// compiled into the suite, so that a suite binary runs from any folder
// (cmd/elbconform) and always with the catalogue it was built with.
var (
	//go:embed behaviours.yaml
	CatalogueYAML []byte
	// Deviations holds deviations/*.yaml, the files ginkgo.yml's profiles name
	// as suites/elb/deviations/NAME.yaml.
	//go:embed deviations/*.yaml
	Deviations embed.FS
)

// catalogueFile names the catalogue in messages.
const catalogueFile = "behaviours.yaml"

var behaviours = mustLoadCatalogue()

func mustLoadCatalogue() *catalogue.Catalogue {
	c, err := catalogue.Parse(CatalogueYAML)
	if err != nil {
		panic(catalogueFile + ": " + err.Error())
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

// Each spec names its behaviours once, with Behaviour(id) labels; this adds
// them to the spec's text as well ("… [REG-RESP-MEMBERSHIP]"), as the
// Kubernetes e2e framework's ConformanceIt adds its tag, so that a failure
// read anywhere (console, JUnit, a report) names the behaviour it breaks.
var _ = AddTreeConstructionNodeArgsTransformer(func(nodeType types.NodeType, _ Offset, text string, args []any) (string, []any, []error) {
	if !nodeType.Is(types.NodeTypeIt) {
		return text, args, nil
	}
	for _, arg := range args {
		labels, ok := arg.(Labels)
		if !ok {
			continue
		}
		for _, l := range labels {
			if catalogue.IsBehaviourID(l) && !strings.Contains(text, "["+l+"]") {
				text += " [" + l + "]"
			}
		}
	}
	return text, args, nil
})
