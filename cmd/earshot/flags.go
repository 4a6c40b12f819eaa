package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/earshot/earshot"
	"github.com/earshot/earshot/internal/config"
)

// helpFiles holds the commands' usage texts, one file a command.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpText returns the usage text help/name.txt, without its final newline.
func helpText(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// newFlags returns a flag set whose errors become usage errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("earshot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// newCommandFlags returns the flag set of a command whose -h prints its
// usage text (help/NAME.txt, a space in name a dash) and then the flags.
func newCommandFlags(name string, e env) *flag.FlagSet {
	fs := newFlags(name, e.stderr)
	fs.Usage = usageFunc(fs, helpText(strings.ReplaceAll(name, " ", "-")), e)
	return fs
}

// usageFunc prints usage and then fs's flags.
func usageFunc(fs *flag.FlagSet, usage string, e env) func() {
	return func() {
		fmt.Fprintln(e.stderr, usage)
		fs.PrintDefaults()
	}
}

// parseFlags parses args; -h is not an error.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return false, usageError{err}
	}
	if fs.NArg() > 0 {
		return false, usagef("unexpected argument %q", fs.Arg(0))
	}
	return false, nil
}

// subcommand is one of a command's own commands (incident open, silence
// add).
type subcommand struct {
	name string
	run  func(ctx context.Context, args []string, e env) error
}

// runSubcommand runs the subcommand of command that args[0] names. Without
// one it prints the command's usage text and fails; help, -h and --help
// print it.
func runSubcommand(ctx context.Context, args []string, e env, command string, subs []subcommand) error {
	usage := helpText(command)
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	list := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, usage)
		return usagef("name a command: %s", list)
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, args[1:], e)
		}
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprintln(e.stderr, usage)
		return nil
	}
	return usagef("unknown command %q; use %s", args[0], list)
}

// storeUsage describes --store wherever a command takes it.
const storeUsage = "store address (default: $EARSHOT_STORE, the config's, or duckdb://earshot.duckdb)"

// configFlags are --config and --store: the configuration a command loads
// and, over its store, another.
type configFlags struct{ config, store *string }

// addConfigFlags adds --config (configUsage says what of it is used) and
// --store to fs.
func addConfigFlags(fs *flag.FlagSet, configUsage string) configFlags {
	return configFlags{config: fs.String("config", "", configUsage), store: fs.String("store", "", storeUsage)}
}

// load loads the configuration the flags name.
func (c configFlags) load(e env) (config.Config, error) { return loadConfig(*c.config, *c.store, e) }

// withStore loads the configuration, opens its store, runs do on both and
// closes the store.
func (c configFlags) withStore(ctx context.Context, e env, do func(cfg config.Config, st earshot.Store) error) error {
	cfg, err := c.load(e)
	if err != nil {
		return err
	}
	return withStoreOf(ctx, cfg, func(st earshot.Store) error { return do(cfg, st) })
}

// withStoreOf opens cfg's store, runs do on it and closes it.
func withStoreOf(ctx context.Context, cfg config.Config, do func(st earshot.Store) error) error {
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	return do(st)
}

// storeFlags are the flags of a command (incident ..., silence ...) that
// works on the configured store, with the ID it acts on and, for some,
// --message and --at.
type storeFlags struct {
	configFlags
	fs             *flag.FlagSet
	id             string
	message, atStr *string
}

// newStoreFlags returns the flags of command with --config and --store.
func newStoreFlags(command string, e env) *storeFlags {
	fs := newFlags(command, e.stderr)
	return &storeFlags{fs: fs, configFlags: addConfigFlags(fs, "configuration file: its store is used")}
}

// parse parses args; takesID says whether one ID comes before or after the
// flags. help is true when -h was asked for.
func (f *storeFlags) parse(args []string, takesID bool) (help bool, err error) {
	if takesID && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		f.id, args = args[0], args[1:]
	}
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, usageError{err}
	}
	rest := f.fs.Args()
	if takesID && f.id == "" && len(rest) > 0 {
		f.id, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return false, usagef("unexpected argument %q", rest[0])
	}
	if takesID && strings.TrimSpace(f.id) == "" {
		what, _, _ := strings.Cut(strings.TrimPrefix(f.fs.Name(), "earshot "), " ")
		return false, usagef("name the %s: %s ID", what, f.fs.Name())
	}
	return false, nil
}

// at reads --at, or returns the zero time when it is not set.
func (f *storeFlags) at() (time.Time, error) {
	if f.atStr == nil {
		return time.Time{}, nil
	}
	return timeFlag("at", *f.atStr, "2026-03-02T09:15:00Z")
}

// withStore runs do on the store the flags name, and closes it.
func (f *storeFlags) withStore(ctx context.Context, e env, do func(st earshot.Store) error) error {
	return f.configFlags.withStore(ctx, e, func(_ config.Config, st earshot.Store) error { return do(st) })
}

// timeFlag reads the RFC 3339 time given to --name, or returns the zero
// time for ""; example shows one in the error.
func timeFlag(name, s, example string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, usagef("--%s: %q is not an RFC 3339 time such as %s", name, s, example)
	}
	return t, nil
}

// sinceFlag reads --since: a duration before now, or an RFC 3339 time.
func sinceFlag(s string, def time.Duration, now time.Time) (time.Time, error) {
	if s == "" {
		return now.Add(-def), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil && t.Before(now) {
		return t, nil
	}
	return time.Time{}, usagef("--since: %q is neither a positive duration (96h) nor a past RFC 3339 time", s)
}
