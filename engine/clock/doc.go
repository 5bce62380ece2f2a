// Package clock is kubetab's virtual clock: the current instant and a queue of timers, and
// the token bucket rate limiters that run on it.
//
// Time moves only when the simulation moves it (sim.Cluster.Advance, kubectl wait); nothing
// here reads the wall clock or starts goroutines. Timers due at the same instant fire in the
// order they were set, which keeps every run of the same inputs identical.
//
// It imports nothing from the rest of the engine.
package clock
