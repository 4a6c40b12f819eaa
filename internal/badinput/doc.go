// Package badinput marks the errors that are the input's fault, not the
// machine's: a file that cannot be read, a header without a required
// column, a change refused because of what was asked. The command line
// reports them as bad usage or bad input, with exit status 2; any other
// error is a runtime failure.
package badinput
