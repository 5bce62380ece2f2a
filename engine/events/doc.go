// Package events records Kubernetes Events the way client-go's recorder and the API
// server do: one Event object per (object, type, reason, message, source), whose count and
// lastTimestamp grow when the same thing happens again (kubectl shows "(x3 over 20s)"), and
// which expires one hour after it was last written (the API server's default --event-ttl).
// client-go's EventCorrelator is there with its defaults: from the 10th different message of
// one source, type and reason about an object (within 10 minutes of each other), the events
// are one "(combined from similar events): ..." event; and a source writes at most 25 events
// about one object, then one every 5 minutes (the spam filter), the counts of those not
// written showing at the next write. Past MaxEvents (300,000) the event touched longest
// ago expires early to make room, as upstream's caches forget their least recent.
//
// It writes through engine/apiserver and knows nothing of controllers.
package events
