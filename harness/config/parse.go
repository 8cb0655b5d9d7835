package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
	k8syaml "sigs.k8s.io/yaml"
)

// Error is a mistake in ginkgo.yml, said in one line: the file, the line
// when known, and what is wrong ("ginkgo.yml:24: mapping values are not
// allowed in this context").
type Error struct {
	File string // the profiles file as the user named it; "" is ginkgo.yml
	Line int    // 1-based; 0 when the mistake has no single line
	Msg  string
}

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = File
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", file, e.Line, e.Msg)
	}
	return file + ": " + e.Msg
}

func errorAt(n *yaml.Node, format string, args ...any) *Error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{Line: line, Msg: oneLine(fmt.Sprintf(format, args...))}
}

// parseFile reads ginkgo.yml strictly: a syntax error, an unknown field, a
// value of the wrong kind or an invalid profile is an *Error naming its line.
func parseFile(raw []byte) (*file, error) {
	if err := syntaxError(raw); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, yamlError(err, 0)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &Error{Msg: "empty: it needs a profiles: mapping (see the repository's ginkgo.yml)"}
	}
	top := resolve(doc.Content[0])
	if top.Kind != yaml.MappingNode {
		return nil, errorAt(top, "want a mapping with profiles:, not %s", kindOf(top))
	}
	var profiles, profilesKey *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k := top.Content[i]
		if k.Value != "profiles" {
			return nil, errorAt(k, "unknown field %q (fields: profiles)", k.Value)
		}
		if profilesKey != nil {
			return nil, errorAt(k, "profiles given twice (first on line %d)", profilesKey.Line)
		}
		profiles, profilesKey = resolve(top.Content[i+1]), k
	}
	if profiles == nil || profiles.Kind == yaml.ScalarNode && profiles.Tag == "!!null" {
		return nil, errorAt(top, "no profiles")
	}
	if profiles.Kind != yaml.MappingNode {
		return nil, errorAt(profiles, "profiles: want a mapping of profile names to profiles, not %s", kindOf(profiles))
	}
	f := &file{Profiles: map[string]Profile{}}
	for i := 0; i+1 < len(profiles.Content); i += 2 {
		k, v := profiles.Content[i], profiles.Content[i+1]
		name := k.Value
		if prev, dup := f.Profiles[name]; dup {
			return nil, errorAt(k, "profile %q given twice (first on line %d)", name, prev.line)
		}
		where := fmt.Sprintf("profile %q", name)
		var p Profile
		if err := decode(v, reflect.ValueOf(&p).Elem(), where, ""); err != nil {
			return nil, err
		}
		p.Name, p.line = name, k.Line
		if err := p.validate(); err != nil {
			return nil, errorAt(k, "%s: %v", where, err)
		}
		f.Profiles[name] = p
	}
	return f, nil
}

var lineMessage = regexp.MustCompile(`yaml: line (\d+): (.*)`)

// parserProblems are the YAML parser's (not scanner's) messages: for these
// the YAML library reports the line before the offending token (its 0-based
// mark), so the line is corrected by one.
var parserProblems = map[string]bool{
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"did not find expected ',' or '}'":       true,
	"did not find expected ',' or ']'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"found duplicate %YAML directive":        true,
	"found duplicate %TAG directive":         true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// syntaxError is the syntax error in raw, at the line of the offending
// token. (go.yaml.in/yaml/v3 reports the line where the enclosing block
// starts, often the top of the file; the YAML 1.1 parser behind
// sigs.k8s.io/yaml reports the offending token's.)
func syntaxError(raw []byte) error {
	if _, err := k8syaml.YAMLToJSON(raw); err != nil {
		return yamlError(err, 1)
	}
	return nil
}

// yamlError turns a YAML library error into an *Error; parserFix is added
// to the line of a parser problem.
func yamlError(err error, parserFix int) error {
	msg := oneLine(err.Error())
	if m := lineMessage.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserProblems[m[2]] {
			line += parserFix
		}
		return &Error{Line: line, Msg: m[2]}
	}
	if i := strings.Index(msg, "yaml: "); i >= 0 {
		msg = msg[i+len("yaml: "):]
	}
	return &Error{Msg: msg}
}

var durationType = reflect.TypeOf(Duration(0))

// decode stores node n in v, by the json names of v's fields, refusing
// unknown fields and values of the wrong kind. where names the profile and
// path the field within it, for messages.
func decode(n *yaml.Node, v reflect.Value, where, path string) error {
	n = resolve(n)
	at := where
	if path != "" {
		at += ": " + path
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // absent: the zero value
	}
	if v.Type() == durationType {
		if n.Kind != yaml.ScalarNode {
			return errorAt(n, "%s: want a duration like 10s or 250ms, not %s", at, kindOf(n))
		}
		d, err := time.ParseDuration(n.Value)
		if err != nil {
			return errorAt(n, "%s: %q is not a duration (write e.g. 10s or 250ms)", at, n.Value)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return errorAt(n, "%s: want a string, not %s", at, kindOf(n))
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
			return errorAt(n, "%s: want true or false, not %s", at, kindOf(n))
		}
		v.SetBool(b)
	case reflect.Int:
		var x int
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&x) != nil || x < 0 {
			return errorAt(n, "%s: want a whole number of 0 or more, not %s", at, kindOf(n))
		}
		v.SetInt(int64(x))
	case reflect.Float64:
		var x float64
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&x) != nil {
			return errorAt(n, "%s: want a number, not %s", at, kindOf(n))
		}
		v.SetFloat(x)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return errorAt(n, "%s: want a list, not %s", at, kindOf(n))
		}
		out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			if err := decode(item, out.Index(i), where, path); err != nil {
				return err
			}
		}
		v.Set(out)
	case reflect.Struct:
		return decodeStruct(n, v, where, path)
	default:
		return fmt.Errorf("config: cannot decode into %s", v.Type())
	}
	return nil
}

func decodeStruct(n *yaml.Node, v reflect.Value, where, path string) error {
	at := where
	if path != "" {
		at += ": " + path
	}
	if n.Kind != yaml.MappingNode {
		return errorAt(n, "%s: want a mapping, not %s", at, kindOf(n))
	}
	fields := map[string]int{}
	var known []string
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" || name == "" {
			continue
		}
		fields[name] = i
		known = append(known, name)
	}
	seen := map[string]int{}
	var apply func(m *yaml.Node, merged bool) error
	apply = func(m *yaml.Node, merged bool) error {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, val := m.Content[i], m.Content[i+1]
			if k.Tag == "!!merge" {
				// YAML merge keys (<<: *defaults) share settings between profiles.
				for _, src := range mergeSources(val) {
					if src.Kind != yaml.MappingNode {
						return errorAt(val, "%s: <<: want a mapping or a list of mappings to merge", at)
					}
					if err := apply(src, true); err != nil {
						return err
					}
				}
				continue
			}
			idx, ok := fields[k.Value]
			if !ok {
				return errorAt(k, "%s: unknown field %q (fields: %s)", at, k.Value, strings.Join(known, ", "))
			}
			if !merged {
				if first, dup := seen[k.Value]; dup {
					return errorAt(k, "%s: %s given twice (first on line %d)", at, k.Value, first)
				}
				seen[k.Value] = k.Line
			}
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			if err := decode(val, v.Field(idx), where, sub); err != nil {
				return err
			}
		}
		return nil
	}
	// Merged mappings first, so the mapping's own keys override them.
	var merges, own yaml.Node
	merges.Kind, own.Kind = yaml.MappingNode, yaml.MappingNode
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			merges.Content = append(merges.Content, n.Content[i], n.Content[i+1])
		} else {
			own.Content = append(own.Content, n.Content[i], n.Content[i+1])
		}
	}
	if err := apply(&merges, true); err != nil {
		return err
	}
	return apply(&own, false)
}

func mergeSources(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n.Kind == yaml.SequenceNode {
		var out []*yaml.Node
		for _, c := range n.Content {
			out = append(out, resolve(c))
		}
		return out
	}
	return []*yaml.Node{n}
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// oneLine keeps a message to one line, so that it can be the single line
// a run stops with.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
