package reports

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// JSONFile is the report's JSON encoding, beside conformance.yaml.
const JSONFile = "conformance.json"

// JSON renders conformance.json: the same contract as conformance.yaml, field for field and
// under the same names (apiVersion, kind, implementation, ...), for tools that read JSON. It
// is made from the YAML encoding, so the two cannot drift apart.
func JSON(r *Report) ([]byte, error) {
	y, err := YAML(r)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := yaml.Unmarshal(y, &doc); err != nil {
		return nil, fmt.Errorf("conformance.json: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("conformance.json: %w", err)
	}
	return buf.Bytes(), nil
}

// ParseJSON reads a conformance.json back and validates it against the report contract as
// ParseYAML does (apiVersion, kind, no unknown field).
func ParseJSON(raw []byte) (*Report, error) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("conformance.json: %w", err)
	}
	y, err := yaml.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("conformance.json: %w", err)
	}
	r, err := ParseYAML(y)
	if err != nil {
		return nil, fmt.Errorf("conformance.json: %w", err)
	}
	return r, nil
}
