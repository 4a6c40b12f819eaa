// Package lines reads input one line at a time with a bound on a line's
// length, so one huge line costs neither the memory to hold it nor the
// lines after it: `earshot import`, `earshot replay` and `earshot
// analyze` read their input with it.
package lines
