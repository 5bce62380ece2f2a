package clock

import "time"

// TokenBucket is client-go's token bucket rate limiter (flowcontrol's, x/time/rate's
// underneath) on virtual time: it holds up to burst tokens, gains one every interval and
// starts full. It is kept as a generic cell rate algorithm: tat is when the bucket would be
// full again, and a token is there while tat is no more than (burst-1) intervals ahead of
// now. Integer durations keep it exact and the same on every platform.
type TokenBucket struct {
	interval, tolerance time.Duration
	tat                 time.Time
}

// NewTokenBucket returns a full bucket of burst tokens that gains one every interval.
func NewTokenBucket(interval time.Duration, burst int) *TokenBucket {
	return &TokenBucket{interval: interval, tolerance: time.Duration(max(burst, 1)-1) * interval}
}

// Wait is how long from now until a token is there (zero: one is there now).
func (b *TokenBucket) Wait(now time.Time) time.Duration {
	if !b.tat.After(now) {
		return 0
	}
	return max(b.tat.Sub(now)-b.tolerance, 0)
}

// Take spends a token, one that is not there yet too: the later ones come that much later.
func (b *TokenBucket) Take(now time.Time) {
	if b.tat.Before(now) {
		b.tat = now
	}
	b.tat = b.tat.Add(b.interval)
}

// TryAccept spends a token if one is there now, and reports whether it did.
func (b *TokenBucket) TryAccept(now time.Time) bool {
	if b.Wait(now) > 0 {
		return false
	}
	b.Take(now)
	return true
}

// Full reports whether the bucket holds all its tokens, as a new one does.
func (b *TokenBucket) Full(now time.Time) bool { return !b.tat.After(now) }
