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

// newCommandFlags returns the flag set of a command whose -h prints usage
// and then the flags.
func newCommandFlags(name, usage string, e env) *flag.FlagSet {
	fs := newFlags(name, e.stderr)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, usage)
		fs.PrintDefaults()
	}
	return fs
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

var flagErrHelp = flag.ErrHelp

// subcommand is one of a command's own commands (incident open, silence
// add).
type subcommand struct {
	name string
	run  func(ctx context.Context, args []string, e env) error
}

// runSubcommand runs the subcommand args[0] names. Without one it prints
// usage and fails; help, -h and --help print usage.
func runSubcommand(ctx context.Context, args []string, e env, usage string, subs []subcommand) error {
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

// storeFlags are the flags of a command (incident ..., silence ...) that
// works on the configured store, with the ID it acts on and, for some,
// --message and --at.
type storeFlags struct {
	fs             *flag.FlagSet
	config, store  *string
	id             string
	message, atStr *string
}

// newStoreFlags returns the flags of command with --config and --store.
func newStoreFlags(command string, e env) *storeFlags {
	fs := newFlags(command, e.stderr)
	return &storeFlags{
		fs:     fs,
		config: fs.String("config", "", "configuration file: its store is used"),
		store:  fs.String("store", "", "store address (default: $EARSHOT_STORE, the config's, or duckdb://earshot.duckdb)"),
	}
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
	if f.atStr == nil || *f.atStr == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, *f.atStr)
	if err != nil {
		return t, usagef("--at: %q is not an RFC 3339 time such as 2026-03-02T09:15:00Z", *f.atStr)
	}
	return t, nil
}

func (f *storeFlags) openStore(ctx context.Context, e env) (earshot.Store, error) {
	cfg, err := loadConfig(*f.config, *f.store, e)
	if err != nil {
		return nil, err
	}
	return openStore(ctx, cfg.Store)
}

// withStore runs do on the store the flags name, and closes it.
func (f *storeFlags) withStore(ctx context.Context, e env, do func(st earshot.Store) error) error {
	st, err := f.openStore(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	return do(st)
}
