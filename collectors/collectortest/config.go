package collectortest

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/earshot/earshot/collectors"
)

// ConfigCase is one configuration a collector kind must accept or refuse.
type ConfigCase struct {
	Name string
	// YAML is the collector's config mapping.
	YAML string
	// WantErr is a part of the error collectors.New must return, a
	// *collectors.ConfigError; empty: the config is valid.
	WantErr string
}

// RunConfigCases builds a collector of kind named "c" from each case's
// YAML through the registry, as a subtest: a valid one must build, an
// invalid one must fail with a *collectors.ConfigError holding WantErr and
// none of secrets.
func RunConfigCases(t *testing.T, kind string, cases []ConfigCase, secrets ...string) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.Name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.YAML), &doc); err != nil {
				t.Fatal(err)
			}
			c, err := collectors.New(kind, "c", doc.Content[0], collectors.Deps{})
			if tt.WantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.Name() != "c" {
					t.Errorf("Name() = %q", c.Name())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.WantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.WantErr)
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q leaks a secret", err)
				}
			}
			var ce *collectors.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%v is not a *collectors.ConfigError", err)
			}
		})
	}
}
