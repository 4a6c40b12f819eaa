package clickhouse

import (
	"strings"
	"testing"
)

// FuzzParseDSN parses arbitrary store addresses: none may panic, and an
// error never repeats the password.
func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"clickhouse://user:s3cretpw@host:9000/earshot", "clickhouse://u:s3cretpw@h1:9000,h2:9000/db?cluster=c&retention=2160h",
		"clickhouse://u:s3cretpw@h/db?retention=x", "clickhouse://u:%zz@h", "clickhouse://", "duckdb://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		_, err := ParseDSN(dsn)
		if err == nil {
			return
		}
		rest, _ := strings.CutPrefix(dsn, "clickhouse://")
		if at := strings.LastIndex(rest, "@"); at > 0 {
			if _, pass, ok := strings.Cut(rest[:at], ":"); ok && len(pass) >= 6 && strings.Contains(err.Error(), pass) {
				t.Errorf("ParseDSN(%q): error %q repeats the password", dsn, err)
			}
		}
	})
}
