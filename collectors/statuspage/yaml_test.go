package statuspage

import (
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
)

// yamlNode parses s into the Decoder a factory gets: nil for no keys.
func yamlNode(t *testing.T, s string) collectors.Decoder {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		t.Fatal(err)
	}
	if len(n.Content) == 0 {
		return nil
	}
	return n.Content[0]
}
