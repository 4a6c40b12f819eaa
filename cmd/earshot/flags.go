package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

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
