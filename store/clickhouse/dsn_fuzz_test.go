package clickhouse

import (
	"strings"
	"testing"
)

// FuzzParseDSN parses arbitrary store addresses: none may panic, and an
// error never repeats the password. (The password is swapped for a marker
// to check that, so the error's fixed words never count as a leak.)
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"clickhouse://user:s3cretpw@host:9000/earshot", "clickhouse://u:s3cretpw@h1:9000,h2:9000/db?cluster=c&retention=2160h",
		"clickhouse://u:s3cretpw@h/db?retention=x", "clickhouse://u:%zz@h", "clickhouse://", "duckdb://x"} {
		f.Add(s)
	}
	const marker = "Zq9MARKERq9Z"
	f.Fuzz(func(t *testing.T, dsn string) {
		if _, err := ParseDSN(dsn); err != nil {
			_ = err.Error()
		}
		rest, ok := strings.CutPrefix(dsn, "clickhouse://")
		if !ok {
			return
		}
		authority, tail, _ := strings.Cut(rest, "/")
		at := strings.LastIndex(authority, "@")
		if at < 0 || strings.ContainsAny(authority, "?#") {
			return // no user info, or a query where it would be
		}
		user, _, hasPass := strings.Cut(authority[:at], ":")
		if !hasPass {
			return
		}
		marked := "clickhouse://" + user + ":" + marker + authority[at:]
		if tail != "" || strings.Contains(rest, "/") {
			marked += "/" + tail
		}
		if _, err := ParseDSN(marked); err != nil && strings.Contains(err.Error(), marker) {
			t.Errorf("ParseDSN(%q): error %q repeats the password", marked, err)
		}
	})
}
