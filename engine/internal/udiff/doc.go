// Package udiff compares two texts line by line and writes the difference in the unified
// format of GNU `diff -u` (three lines of context, hunks closer than twice that merged),
// for `kubectl diff` and the terminal's `diff`. It imports only the standard library.
package udiff
