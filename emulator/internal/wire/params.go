package wire

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Params is a decoded AWS query request (awsQuery or ec2Query): one value per key.
type Params map[string]string

// DecodeForm decodes an application/x-www-form-urlencoded string into dst. It exists instead
// of url.ParseQuery because net/url refuses more than 10,000 parameters (urlmaxqueryparams),
// while a Register call with tens of thousands of members is legitimate here. The first
// occurrence of a key wins, mirroring url.Values.Get. Empty pairs ("a=1&&b=2") are skipped.
func DecodeForm(dst Params, raw string) error {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return fmt.Errorf("malformed parameter name %q", Truncate(k, 64))
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return fmt.Errorf("malformed value of parameter %q", Truncate(key, 64))
		}
		if _, seen := dst[key]; !seen {
			dst[key] = val
		}
	}
	return nil
}

// listIndexError is returned for a list key whose index is not a positive decimal number,
// e.g. "Instances.member.0.InstanceId" or "Instances.member.x.InstanceId".
type listIndexError struct{ key string }

func (e *listIndexError) Error() string {
	return fmt.Sprintf("invalid list index in parameter %q: indexes are 1-based decimal numbers", Truncate(e.key, 100))
}

// parseIndex parses a 1-based list index. Nine digits keep it far from overflow; a list of a
// billion members is not a thing.
func parseIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1
}

// eachListEntry calls fn for every key of the form "<prefix>.<index>[.<rest>]". Lists are
// identified by index, not position: gaps are tolerated (AWS ignores them), and the caller
// orders entries by index.
func (p Params) eachListEntry(prefix string, fn func(idx int, rest, val string)) error {
	lead := prefix + "."
	for k, v := range p {
		if !strings.HasPrefix(k, lead) {
			continue
		}
		idxStr, rest, _ := strings.Cut(k[len(lead):], ".")
		idx, ok := parseIndex(idxStr)
		if !ok {
			return &listIndexError{key: k}
		}
		fn(idx, rest, v)
	}
	return nil
}

// List returns the scalar list "<prefix>.N", ordered by index. Keys with a further
// ".field" suffix do not belong to a scalar list and are ignored, as AWS ignores unknown
// parameters.
func (p Params) List(prefix string) ([]string, error) {
	byIdx := map[int]string{}
	err := p.eachListEntry(prefix, func(idx int, rest, val string) {
		if rest == "" {
			byIdx[idx] = val
		}
	})
	if err != nil {
		return nil, err
	}
	return valuesByIndex(byIdx), nil
}

// FieldList returns field of each member of the structure list "<prefix>.N.<field>",
// ordered by index. It is the cheap path for lists like Instances.member.N.InstanceId, which
// may hold tens of thousands of entries.
func (p Params) FieldList(prefix, field string) ([]string, error) {
	byIdx := map[int]string{}
	err := p.eachListEntry(prefix, func(idx int, rest, val string) {
		if rest == field {
			byIdx[idx] = val
		}
	})
	if err != nil {
		return nil, err
	}
	return valuesByIndex(byIdx), nil
}

// Structs returns the structure list "<prefix>.N.<field...>" as one Params per member,
// ordered by index; each member's keys are relative ("Key", "Value.1", ...), so nested lists
// are read with the same methods.
func (p Params) Structs(prefix string) ([]Params, error) {
	byIdx := map[int]Params{}
	err := p.eachListEntry(prefix, func(idx int, rest, val string) {
		if rest == "" {
			return
		}
		m := byIdx[idx]
		if m == nil {
			m = Params{}
			byIdx[idx] = m
		}
		m[rest] = val
	})
	if err != nil {
		return nil, err
	}
	idxs := sortedKeys(byIdx)
	out := make([]Params, len(idxs))
	for i, idx := range idxs {
		out[i] = byIdx[idx]
	}
	return out, nil
}

func valuesByIndex(byIdx map[int]string) []string {
	idxs := sortedKeys(byIdx)
	out := make([]string, len(idxs))
	for i, idx := range idxs {
		out[i] = byIdx[idx]
	}
	return out
}

func sortedKeys[V any](m map[int]V) []int {
	idxs := make([]int, 0, len(m))
	for idx := range m {
		idxs = append(idxs, idx)
	}
	sort.Ints(idxs)
	return idxs
}

// Has reports whether the key was sent at all (even empty).
func (p Params) Has(key string) bool {
	_, ok := p[key]
	return ok
}

// Truncate shortens user input quoted in messages and logs, so a 1 MB name does not come
// back in a 1 MB error message.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
