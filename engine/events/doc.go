// Package events records Kubernetes Events the way client-go's recorder and the API
// server do: one Event object per (object, type, reason, message, source), whose count and
// lastTimestamp grow when the same thing happens again (kubectl shows "(x3 over 20s)"), and
// which expires one hour after it was last seen (the API server's default --event-ttl).
//
// It writes through engine/store and knows nothing of controllers.
package events
