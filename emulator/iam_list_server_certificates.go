package emulator

import (
	"slices"
	"strings"

	"github.com/elbconform/elbconform/emulator/internal/wire"
)

// listServerCertificates answers the metadata of the server certificates whose path starts
// with PathPrefix (default "/": all), by name, MaxItems (1-1000, default 100) at a time: a
// truncated page answers IsTruncated true and the Marker to continue from (the name after
// the page's last). The answer never has tags (IAM API reference).
func (h *handler) listServerCertificates(rc *wire.Request, x *wire.Writer) *wire.Error {
	p := rc.Params
	prefix := p["PathPrefix"]
	if prefix == "" {
		prefix = "/"
	}
	if !strings.HasPrefix(prefix, "/") || len(prefix) > 512 {
		return errIAMValidation("The specified value for pathPrefix is invalid. It must begin with /.")
	}
	maxItems, has, e := intParam(p, "MaxItems", 1, 1000)
	if e != nil {
		return e
	}
	if !has {
		maxItems = 100
	}
	marker := p["Marker"]

	st := h.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	var names []string
	for name, c := range st.iam.certs {
		if strings.HasPrefix(c.path, prefix) && name >= marker {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	next := ""
	if len(names) > maxItems {
		next = names[maxItems]
		names = names[:maxItems]
	}
	x.Structs("ServerCertificateMetadataList", len(names), func(i int) {
		writeCertificateMetadataFields(x, st.iam.certs[names[i]])
	})
	x.LeafBool("IsTruncated", next != "")
	if next != "" {
		x.Leaf("Marker", next)
	}
	return nil
}
