// Package oncall is what the on-call commands do against the store:
// `earshot incident` opens, updates, resolves and lists incidents by hand
// (through the same rules as the incident API), and `earshot silence`
// adds, lists and expires silences. Each function does one command's work
// once its flags are read and prints the result: JSON when asked for, else
// plain tables whose cells are kept on one line and free of terminal
// controls, since incidents and silences come from status pages and
// webhooks too. Close closes an incident for comms as the command line's
// user (CLIUser).
//
// A change refused for the input's sake (an incident that already exists
// or does not, a field the incident API refuses) is a *badinput.Error whose
// message names the command-line flag at fault.
package oncall
