package emulator

import (
	"github.com/elbconform/elbconform/emulator/internal/wire"

	"regexp"
	"strings"
)

// EC2 Describe* filters: Filter.N.Name with Filter.N.Value.M. Values of one filter are ORed,
// filters are ANDed, and values may use the * and ? wildcards (EC2 API reference, Filter).

type ec2Filter struct {
	name     string
	matchers []func(string) bool // one per value, compiled once per request
}

func parseFilters(p wire.Params) ([]ec2Filter, *wire.Error) {
	members, err := p.Structs("Filter")
	if err != nil {
		return nil, errEC2InvalidParam("%v", err)
	}
	var out []ec2Filter
	for _, m := range members {
		name := m["Name"]
		if name == "" {
			return nil, errEC2InvalidParam("The filter name must not be empty.")
		}
		vals, err := m.List("Value")
		if err != nil {
			return nil, errEC2InvalidParam("%v", err)
		}
		f := ec2Filter{name: name}
		for _, v := range vals {
			f.matchers = append(f.matchers, globMatcher(v))
		}
		out = append(out, f)
	}
	return out, nil
}

// attrFunc returns a resource's values for a filter name, and whether the name is a filter
// the resource type supports.
type attrFunc func(name string) (vals []string, known bool)

// matchFilters reports whether a resource passes every filter; an unsupported filter name is
// InvalidParameterValue, as on EC2.
func matchFilters(filters []ec2Filter, attrs attrFunc) (bool, *wire.Error) {
	for _, f := range filters {
		vals, known := attrs(f.name)
		if !known {
			return false, errEC2InvalidParam("The filter '%s' is invalid", wire.Truncate(f.name, 64))
		}
		if !f.matchesAny(vals) {
			return false, nil
		}
	}
	return true, nil
}

// tagAttrs answers the tag filters every taggable resource supports.
func tagAttrs(tags tagSet, name string) ([]string, bool) {
	switch {
	case strings.HasPrefix(name, "tag:"):
		if v, ok := tags.get(name[len("tag:"):]); ok {
			return []string{v}, true
		}
		return nil, true
	case name == "tag-key":
		keys := make([]string, len(tags))
		for i, t := range tags {
			keys[i] = t.Key
		}
		return keys, true
	case name == "tag-value":
		vals := make([]string, len(tags))
		for i, t := range tags {
			vals[i] = t.Value
		}
		return vals, true
	}
	return nil, false
}

// matchesAny reports whether any filter value matches any of the resource's values.
func (f ec2Filter) matchesAny(vals []string) bool {
	for _, m := range f.matchers {
		for _, v := range vals {
			if m(v) {
				return true
			}
		}
	}
	return false
}

// globMatcher compiles an EC2 filter value: * matches any run, ? one character, the rest is
// literal.
func globMatcher(pattern string) func(string) bool {
	if !strings.ContainsAny(pattern, "*?") {
		return func(s string) bool { return s == pattern }
	}
	var b strings.Builder
	b.WriteString("(?s)^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return func(string) bool { return false }
	}
	return re.MatchString
}
