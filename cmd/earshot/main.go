// Command earshot is Earshot's one binary: `earshot demo` shows it working
// on a generated scenario, `earshot serve` runs it, and the other
// subcommands are tools around it. Run `earshot help` for the list.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/earshot/earshot/internal/badinput"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// env is what a command may touch of the process, so tests can run
// commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"demo", "run Earshot on a generated two-week scenario and serve the dashboard", runDemo},
		{"serve", "collect, analyze, store and serve dashboards from a config file", runServe},
		{"analyze", "score the sentiment of JSON lines or plain text lines on stdin", runAnalyze},
		{"eval", "measure quality on labelled data (eval sentiment --data FILE)", runEval},
		{"collect", "run every configured collector once (--once) and print what each collected", runCollect},
		{"import", "import posts from JSON lines or CSV files through the pipeline", runImport},
		{"incident", "open, update, resolve or list incidents by hand (incident open --title T)", runIncident},
		{"silence", "mute alerts for a while: silence add|list|expire", runSilence},
		{"user", "manage who signs in: user add|passwd|list|token|revoke", runUser},
		{"followups", "flag customers to follow up over stored posts, list the queue: followups flag|list", runFollowups},
		{"customers", "import customer accounts (and media, bots, competitors) from CSV or JSON: customers import|list", runCustomers},
		{"erase", "erase an author's posts, follow-ups and alert copies (erase --author SOURCE:ID)", runErase},
		{"replay", "run history through detection, linking and alerting on the data's clock (replay --posts FILE)", runReplay},
		{"detect", "score a timestamp,value CSV for anomalies, streaming (timestamp,value,anomaly_score out)", runDetect},
		{"digest", "write a reputation digest of a period for execs (digest --period 7d --format html|md)", runDigest},
		{"bench", "measure analyze and import speed on this machine, end to end", runBench},
		{"store", "maintain the store: store rebuild-rollups [--from T --to T]", runStoreCommand},
		{"version", "print the version", runVersion},
	}
}

// usageError marks bad usage or bad input: exit code 2, as does a
// badinput.Error from the packages the commands call.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run runs the subcommand named in args and returns the exit code: 0 ok,
// 1 runtime failure, 2 bad usage or bad input.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], e)
		var u usageError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &u), errors.As(err, new(*badinput.Error)):
			fmt.Fprintf(e.stderr, "earshot %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(e.stderr, "earshot %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "earshot: unknown command %q; run 'earshot help' for the list\n", args[0])
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Earshot: hear what customers say about you, see outages first, follow up with everyone still unhappy.")
	fmt.Fprintln(w, "\nUsage: earshot COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'earshot COMMAND -h' for a command's flags.")
}
