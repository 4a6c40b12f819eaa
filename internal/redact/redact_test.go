package redact

import (
	"net/url"
	"strings"
	"testing"
)

func TestSecrets(t *testing.T) {
	if got := Secrets("key abc and abcdef", "[redacted]", "abc", "abcdef"); got != "key [redacted] and [redacted]" {
		t.Errorf("Secrets = %q", got)
	}
	if got := Secrets("key abc", "[REDACTED]", "", "abc"); got != "key [REDACTED]" {
		t.Errorf("Secrets = %q", got)
	}
	if got := Secrets("nothing here", "[redacted]"); got != "nothing here" {
		t.Errorf("Secrets = %q", got)
	}
}

func TestURL(t *testing.T) {
	const raw = "https://user:pw@example.com/feed.xml?token=s3cr3t&a=1#frag"
	for _, tt := range []struct {
		hide Hide
		want string
	}{
		{0, raw},
		{UserInfo | QueryValues | Fragment, "https://example.com/feed.xml?a=REDACTED&token=REDACTED"},
		{UserInfo | Query, "https://example.com/feed.xml?REDACTED#frag"},
		{Password, "https://user:xxxxx@example.com/feed.xml?token=s3cr3t&a=1#frag"},
		{AllButHost, "https://example.com/[redacted]"},
		{AllButHost | UserInfo, "https://example.com/[redacted]"},
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := URL(u, tt.hide); got != tt.want {
			t.Errorf("URL(%b) = %q, want %q", tt.hide, got, tt.want)
		}
		if u.String() != raw {
			t.Errorf("URL(%b) changed its argument: %q", tt.hide, u)
		}
	}
	for raw, want := range map[string]string{
		"https://hooks.slack.com/":             "https://hooks.slack.com",
		"https://hooks.slack.com":              "https://hooks.slack.com",
		"https://hooks.slack.com/services/T/B": "https://hooks.slack.com/[redacted]",
	} {
		u, _ := url.Parse(raw)
		if got := URL(u, AllButHost); got != want {
			t.Errorf("URL(%q, AllButHost) = %q, want %q", raw, got, want)
		}
	}
}

func TestDSN(t *testing.T) {
	for _, dsn := range []string{"clickhouse://user:s3cret@host:9000/db", "clickhouse://user:s3cret@[bad"} {
		if got := DSN(dsn); strings.Contains(got, "s3cret") {
			t.Errorf("DSN(%q) = %q leaks the password", dsn, got)
		}
	}
	if got := DSN("duckdb:///var/lib/e.duckdb"); got != "duckdb:///var/lib/e.duckdb" {
		t.Errorf("DSN changed a DSN without a password: %q", got)
	}
	if got := DSN("clickhouse://user:s3cret@host:9000/db?cluster=c"); got != "clickhouse://user:xxxxx@host:9000/db?cluster=c" {
		t.Errorf("DSN = %q", got)
	}
}

// FuzzDSN redacts arbitrary store addresses: none may panic, and the
// password of a URL with one never shows.
func FuzzDSN(f *testing.F) {
	for _, s := range []string{"clickhouse://user:s3cret@host:9000/earshot", "duckdb:///var/lib/earshot.duckdb", "clickhouse://u:p@[::1", "://@@", "clickhouse://u:s3cret@h/db?cluster=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		out := DSN(dsn)
		if i := strings.Index(dsn, "://"); i >= 0 {
			rest := dsn[i+3:]
			at := strings.LastIndex(rest, "@")
			colon := strings.Index(rest, ":")
			if at > 0 && colon >= 0 && colon < at {
				pass := rest[colon+1 : at]
				if len(pass) >= 6 && !strings.ContainsAny(pass, "@/:%?#[]") && strings.Contains(out, pass) {
					t.Errorf("DSN(%q) = %q shows the password", dsn, out)
				}
			}
		}
	})
}
