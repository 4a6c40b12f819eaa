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

// command is one of earshot's commands: run runs it, or, for a command
// made of its own commands (incident open, user add), subs name them.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, e env) error
	subs          []subcommand
}

func commands() []command {
	return []command{
		{"demo", "run Earshot on a generated two-week scenario and serve the dashboard", runDemo, nil},
		{"serve", "collect, analyze, store and serve dashboards from a config file", runServe, nil},
		{"analyze", "score the sentiment of JSON lines or plain text lines on stdin", runAnalyze, nil},
		{"eval", "measure quality on labelled data (eval sentiment --data FILE)", runEval, nil},
		{"collect", "run every configured collector once (--once) and print what each collected", runCollect, nil},
		{"import", "import posts from JSON lines or CSV files through the pipeline", runImport, nil},
		{"incident", "open, update, resolve or list incidents by hand (incident open --title T)", nil, []subcommand{
			{"open", incidentOpen}, {"update", incidentUpdate}, {"resolve", incidentResolve}, {"list", incidentList}, {"close", incidentClose},
		}},
		{"silence", "mute alerts for a while: silence add|list|expire", nil, []subcommand{{"add", silenceAdd}, {"list", silenceList}, {"expire", silenceExpire}}},
		{"user", "manage who signs in: user add|passwd|list|token|revoke", nil, []subcommand{
			{"add", userAdd}, {"passwd", userPasswd}, {"list", userList}, {"token", userToken}, {"revoke", userRevoke},
		}},
		{"followups", "flag customers to follow up over stored posts, list the queue: followups flag|list", nil, []subcommand{{"flag", followupsFlag}, {"list", followupsList}}},
		{"customers", "import customer accounts (and media, bots, competitors) from CSV or JSON: customers import|list", nil, []subcommand{{"import", customersImport}, {"list", customersList}}},
		{"erase", "erase an author's posts, follow-ups and alert copies (erase --author SOURCE:ID)", runErase, nil},
		{"replay", "run history through detection, linking and alerting on the data's clock (replay --posts FILE)", runReplay, nil},
		{"detect", "score a timestamp,value CSV for anomalies, streaming (timestamp,value,anomaly_score out)", runDetect, nil},
		{"digest", "write a reputation digest of a period for execs (digest --period 7d --format html|md)", runDigest, nil},
		{"bench", "measure analyze and import speed on this machine, end to end", runBench, nil},
		{"store", "maintain the store: store rebuild-rollups [--from T --to T]", nil, []subcommand{{"rebuild-rollups", storeRebuildRollups}}},
		{"version", "print the version", runVersion, nil},
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
		var err error
		if c.subs != nil {
			err = runSubcommand(ctx, args[1:], e, c.name, c.subs)
		} else {
			err = c.run(ctx, args[1:], e)
		}
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
