// Package gcbudget keeps a native kubetab's memory near a budget, and uses it. The Go
// runtime's soft memory limit is set to the budget, or to one and a half times the heap
// left live by the last collection when that is more: below the budget the collector runs
// as GOGC says (GCPercent, 300, unless the environment sets GOGC) until the heap nears the
// budget, then more often; a live heap beyond the budget raises the limit with it, so that
// a cluster bigger than the budget costs memory rather than a collector that never stops.
//
// Go's collector lets the heap grow to twice what is live (GOGC=100): 100,000 pods live in
// about 550 MiB and would peak near 1.1 GiB without the budget; a small cluster's few MiB
// live would be collected every few MiB allocated (docs/decisions.md, "Scale").
package gcbudget
