package clickhouse

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn  string
		want Config
	}{
		{
			dsn:  "clickhouse://user:pass@host:9000/earshot?cluster=x",
			want: Config{Addr: []string{"host:9000"}, Database: "earshot", Username: "user", Password: "pass", Cluster: "x"},
		},
		{
			dsn:  "clickhouse://127.0.0.1",
			want: Config{Addr: []string{"127.0.0.1:9000"}, Database: "earshot", Username: "default"},
		},
		{
			dsn:  "clickhouse://",
			want: DefaultConfig(),
		},
		{
			dsn:  "clickhouse://bob@a:9001,b,[::1]:9002/db_2?retention=90d&debug=true",
			want: Config{Addr: []string{"a:9001", "b:9000", "[::1]:9002"}, Database: "db_2", Username: "bob", Retention: Retention{Posts: 90 * 24 * time.Hour}, Debug: true},
		},
		{
			dsn:  "clickhouse://u:p%40ss%3Aw0rd@h/earshot?retention=720h&rollup_retention=730d",
			want: Config{Addr: []string{"h:9000"}, Database: "earshot", Username: "u", Password: "p@ss:w0rd", Retention: Retention{Posts: 720 * time.Hour, Rollups: 730 * 24 * time.Hour}},
		},
		{
			dsn:  "clickhouse://u:p@ss@h:9000",
			want: Config{Addr: []string{"h:9000"}, Database: "earshot", Username: "u", Password: "p@ss"},
		},
		{
			dsn:  "clickhouse://:secret@h:9000/",
			want: Config{Addr: []string{"h:9000"}, Database: "earshot", Username: "default", Password: "secret"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got, err := ParseDSN(tt.dsn)
			if err != nil {
				t.Fatalf("ParseDSN: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseDSN = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestParseDSNErrorsHideThePassword feeds broken DSNs that carry the
// password "hunter2" and checks that no error repeats it.
func TestParseDSNErrorsHideThePassword(t *testing.T) {
	const secret = "hunter2"
	bad := []string{
		"postgres://u:hunter2@h:9000/db",
		"clickhouse://u:hunter2@h:99999/db",
		"clickhouse://u:hunter2@h:port/db",
		"clickhouse://u:hunter2@/db,",
		"clickhouse://u:hunter2@h1,,h2/db",
		"clickhouse://u:hunter2/h/db",   // no "@": the password lands where the port goes
		"clickhouse://u:hunter2@h/db-x", // bad database name
		"clickhouse://u:hunter2@h/hunter2!",
		"clickhouse://u:hunter2@h/db?retention=soon",
		"clickhouse://u:hunter2@h/db?debug=maybe",
		"clickhouse://u:hunter2@h/db?password=hunter2",
		"clickhouse://u:hunter2@h/db?cluster=a%20b",
		"clickhouse://u:hunter2@h/db?%zz",
		"clickhouse://u:hun%zzter2@h/db",
		"clickhouse://u:hunter2@h/db?retention=1m",
	}
	for _, dsn := range bad {
		t.Run(dsn, func(t *testing.T) {
			_, err := ParseDSN(dsn)
			if err == nil {
				t.Fatal("ParseDSN succeeded, want an error")
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "hun%zzter2") {
				t.Errorf("error repeats the password: %v", err)
			}
		})
	}
}

func TestConfigStringRedactsPassword(t *testing.T) {
	cfg, err := ParseDSN("clickhouse://u:hunter2@h:9000/earshot?cluster=c")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.String()
	if strings.Contains(s, "hunter2") {
		t.Errorf("String() = %q shows the password", s)
	}
	if want := "clickhouse://u:xxxxx@h:9000/earshot?cluster=c"; s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := DefaultConfig()
	if err := ok.Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
	ok.Retention = Retention{Posts: 90 * 24 * time.Hour, Rollups: 730 * 24 * time.Hour}
	if err := ok.Validate(); err != nil {
		t.Errorf("a rollup kept longer than posts: Validate() = %v", err)
	}
	tests := []struct {
		name   string
		change func(*Config)
		key    string
	}{
		{"no addr", func(c *Config) { c.Addr = nil }, "addr"},
		{"addr without port", func(c *Config) { c.Addr = []string{"h"} }, "addr"},
		{"database", func(c *Config) { c.Database = "a;DROP" }, "database"},
		{"cluster", func(c *Config) { c.Cluster = "a`b" }, "cluster"},
		{"negative retention", func(c *Config) { c.Retention.Posts = -time.Hour }, "retention.posts"},
		{"tiny retention", func(c *Config) { c.Retention.Posts = time.Minute }, "retention.posts"},
		{"tiny rollup retention", func(c *Config) { c.Retention.Rollups = time.Minute }, "retention.rollups"},
		{"rollups shorter than posts", func(c *Config) { c.Retention = Retention{Posts: 48 * time.Hour, Rollups: 24 * time.Hour} }, "retention.rollups"},
		{"rollups expire, posts kept", func(c *Config) { c.Retention.Rollups = 24 * time.Hour }, "retention.rollups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
				t.Errorf("Validate() = %v, want an error about %s", err, tt.key)
			}
		})
	}
}
