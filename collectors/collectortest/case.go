package collectortest

import (
	"bytes"
	"os"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// Case is a folder's case.yaml (see the package documentation).
type Case struct {
	// Config holds collector config keys, laid over the suite's.
	Config map[string]any `yaml:"config"`
	// Cursor is the cursor of the first run.
	Cursor string `yaml:"cursor"`
	// Secrets are more strings that must never show in an error, a log
	// line or a cursor: the access tokens the fixtures hand out.
	Secrets []string `yaml:"secrets"`
	Runs    []Run    `yaml:"runs"`
}

// Run is one Collect call.
type Run struct {
	// At is the clock during the run, after Suite.Now.
	At time.Duration `yaml:"at"`
	// Restart builds a new collector for this run, as a restarted program
	// would: what the collector keeps in memory is lost, the cursor is not.
	Restart bool `yaml:"restart"`
	// Requests are the requests the run must make, in order, and the
	// answers.
	Requests []Exchange `yaml:"requests"`
	// WantCursor is the cursor a successful run returns; nil: not checked
	// (the golden file may hold it).
	WantCursor *string `yaml:"want_cursor"`
	// WantError is a substring of the run's error, WantErrorExcludes one
	// it must not hold; WantIs names its sentinel: not_modified,
	// rate_limited or unauthorized. A rate limit's wait is WantRetryAfter.
	WantError         string        `yaml:"want_error"`
	WantErrorExcludes string        `yaml:"want_error_excludes"`
	WantIs            string        `yaml:"want_is"`
	WantRetryAfter    time.Duration `yaml:"want_retry_after"`
}

// Exchange is one request a run must make, and the answer it gets.
type Exchange struct {
	// Want is "METHOD [host]/path[?query]".
	Want string `yaml:"want"`
	// WantQuery and WantHeaders hold values the request must carry; an
	// empty value means absent.
	WantQuery   map[string]string `yaml:"want_query"`
	WantHeaders map[string]string `yaml:"want_headers"`
	// WantBody is a substring of the request's body.
	WantBody string `yaml:"want_body"`
	// WantToken is the end of the bearer token the request carries.
	WantToken string `yaml:"want_token"`
	// Status defaults to 200.
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers"`
	// Body names a file of the case folder.
	Body string `yaml:"body"`
}

// ReadCase reads a case.yaml; an unknown key is an error.
func ReadCase(t testing.TB, path string) Case {
	t.Helper()
	var c Case
	dec := yaml.NewDecoder(bytes.NewReader(ReadFile(t, path)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// Node returns v as a YAML node, the way collectors.New takes a config.
func Node(t testing.TB, v any) *yaml.Node {
	t.Helper()
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		t.Fatal(err)
	}
	return &n
}

// ReadFile returns the contents of a fixture.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return b
}
