// Package clip holds the one way Earshot bounds a string: String cuts it
// to a number of bytes without splitting a character, optionally trimming
// it first and marking the cut.
package clip
