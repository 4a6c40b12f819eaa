package clickhouse

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/store/internal/retention"
)

// Config says where the store lives and how its tables are laid out.
type Config struct {
	// Addr lists the servers' native-protocol addresses, "host:port"
	// (port 9000 by default). The driver spreads connections over them.
	Addr []string `yaml:"addr"`
	// Database holds Earshot's tables; Open creates it if missing.
	// Default "earshot".
	Database string `yaml:"database"`
	// Username and Password authenticate; Username defaults to "default".
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// Cluster, when set, names the cluster (from the servers'
	// remote_servers) to lay the tables out on: ReplicatedMergeTree tables
	// created with ON CLUSTER, posts sharded by ID behind a Distributed
	// table. The servers need ZooKeeper (or Keeper) and the {shard} and
	// {replica} macros. Empty means one server.
	Cluster string `yaml:"cluster"`
	// Retention is how long each kind of table keeps its rows (see
	// Retention). Servers that know TTL (20.8 on) drop expired rows by
	// themselves; on older servers call Store.DropExpired, which drops
	// whole months.
	Retention Retention `yaml:"retention"`
	// Debug logs the driver's protocol chatter.
	Debug bool `yaml:"debug"`
}

// Retention says how long each kind of table keeps its rows: posts (and
// post_ranks) for Posts, post_rollup for RollupsKept (see
// earshot.Retention).
type Retention = earshot.Retention

// DefaultConfig returns the configuration of a single local server.
func DefaultConfig() Config {
	return Config{Addr: []string{"127.0.0.1:9000"}, Database: "earshot", Username: "default"}
}

var (
	identRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	clusterRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)
)

// Validate names the first key that is wrong, and why.
func (c Config) Validate() error {
	if len(c.Addr) == 0 {
		return errors.New("addr: at least one server address is needed")
	}
	for _, a := range c.Addr {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return fmt.Errorf("addr: %q is not host:port", a)
		}
	}
	if !identRE.MatchString(c.Database) {
		return fmt.Errorf("database: %q is not a plain identifier (letters, digits, underscores)", c.Database)
	}
	if c.Cluster != "" && !clusterRE.MatchString(c.Cluster) {
		return fmt.Errorf("cluster: %q has characters a cluster name cannot have", c.Cluster)
	}
	return c.Retention.Validate()
}

// String describes the config with the password redacted, fit for logs.
func (c Config) String() string {
	u := url.URL{Scheme: "clickhouse", Host: strings.Join(c.Addr, ","), Path: "/" + c.Database}
	switch {
	case c.Password != "":
		u.User = url.UserPassword(c.Username, "xxxxx")
	case c.Username != "":
		u.User = url.User(c.Username)
	}
	q := url.Values{}
	if c.Cluster != "" {
		q.Set("cluster", c.Cluster)
	}
	for k, v := range retention.Keys(c.Retention) {
		q.Set(k, v)
	}
	if c.Debug {
		q.Set("debug", "true")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ParseDSN reads a store DSN:
//
//	clickhouse://user:pass@host:9000[,host2:9000]/database?cluster=x&retention=90d&rollup_retention=730d&debug=true
//
// retention is the posts' retention, rollup_retention the rollup's (see
// Retention).
// Missing parts take DefaultConfig's values. Error messages never repeat
// the password, nor the user-info part of the DSN.
func ParseDSN(dsn string) (Config, error) {
	cfg := DefaultConfig()
	rest, ok := strings.CutPrefix(dsn, "clickhouse://")
	if !ok {
		return Config{}, errors.New("parsing clickhouse DSN: it must start with clickhouse://")
	}
	// Split by hand: url.Parse would choke on a host list and repeat the
	// whole DSN, password and all, in its errors.
	authority, pathQuery, _ := strings.Cut(rest, "/")
	if i := strings.IndexAny(authority, "?#"); i >= 0 {
		authority, pathQuery = authority[:i], authority[i:]
	}
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo := authority[:at]
		authority = authority[at+1:]
		user, pass, hasPass := strings.Cut(userinfo, ":")
		var err error
		if cfg.Username, err = url.PathUnescape(user); err != nil {
			return Config{}, errors.New("parsing clickhouse DSN: bad escape in user name")
		}
		if hasPass {
			if cfg.Password, err = url.PathUnescape(pass); err != nil {
				return Config{}, errors.New("parsing clickhouse DSN: bad escape in password")
			}
		}
		if cfg.Username == "" {
			cfg.Username = "default"
		}
	}
	if authority != "" {
		cfg.Addr = nil
		for h := range strings.SplitSeq(authority, ",") {
			if h == "" {
				return Config{}, errors.New("parsing clickhouse DSN: empty host in host list")
			}
			if _, _, err := net.SplitHostPort(h); err != nil {
				h = net.JoinHostPort(strings.Trim(h, "[]"), "9000")
			}
			// Host and port are not quoted back: a DSN mangled
			// elsewhere can put the password where the host belongs.
			host, port, err := net.SplitHostPort(h)
			if err != nil || host == "" {
				return Config{}, fmt.Errorf("parsing clickhouse DSN: host %d of %d is not host[:port]", len(cfg.Addr)+1, strings.Count(authority, ",")+1)
			}
			if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
				return Config{}, fmt.Errorf("parsing clickhouse DSN: host %d of %d has a bad port", len(cfg.Addr)+1, strings.Count(authority, ",")+1)
			}
			cfg.Addr = append(cfg.Addr, h)
		}
	}
	path, rawQuery, _ := strings.Cut(pathQuery, "?")
	path, _, _ = strings.Cut(path, "#")
	rawQuery, _, _ = strings.Cut(rawQuery, "#")
	if path = strings.Trim(path, "/"); path != "" {
		db, err := url.PathUnescape(path)
		if err != nil {
			return Config{}, errors.New("parsing clickhouse DSN: bad escape in database name")
		}
		if !identRE.MatchString(db) {
			return Config{}, errors.New("parsing clickhouse DSN: the database name must be a plain identifier (letters, digits, underscores)")
		}
		cfg.Database = db
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Config{}, errors.New("parsing clickhouse DSN: bad query string")
	}
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch k {
		case "cluster":
			cfg.Cluster = v
		case "retention", "rollup_retention":
			if _, err := retention.Set(&cfg.Retention, k, v); err != nil {
				return Config{}, fmt.Errorf("parsing clickhouse DSN: %w", err)
			}
		case "debug":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return Config{}, fmt.Errorf("parsing clickhouse DSN: debug: %q is not a boolean", v)
			}
			cfg.Debug = b
		default:
			return Config{}, fmt.Errorf("parsing clickhouse DSN: unknown parameter %q", k)
		}
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("parsing clickhouse DSN: %w", err)
	}
	return cfg, nil
}
