package apiserver

import "time"

// RateLimit is a client's own limit on its requests: client-go's token bucket
// (flowcontrol.NewTokenBucketRateLimiter), QPS requests a second on average with bursts of
// up to Burst, on virtual time. The controller-manager gives each controller's client one
// (--kube-api-qps 20, --kube-api-burst 30), which is why a real ReplicationController
// scaled to 1,000 pods takes about 50 s to create them.
type RateLimit struct {
	QPS   float64
	Burst int
}

// bucket is the token bucket as a generic cell rate algorithm: tat is when the bucket
// would be full again; a request may go once tat is no more than tolerance ((burst-1)
// intervals) ahead of now. Integer durations keep it exact and the same on every platform.
type bucket struct {
	interval, tolerance time.Duration
	tat                 time.Time
}

// SetRateLimit limits the client's requests from now on; a zero QPS removes the limit.
func (c *Client) SetRateLimit(l RateLimit) {
	if l.QPS <= 0 {
		c.limit = nil
		return
	}
	interval := time.Duration(float64(time.Second) / l.QPS)
	c.limit = &bucket{interval: interval, tolerance: time.Duration(max(l.Burst, 1)-1) * interval}
}

// Throttled says how long the client's next request would wait for its rate limit (zero:
// it may go now). The engine never blocks: a controller whose upstream counterpart waits
// in the middle of a burst of writes stops there and syncs again after this long.
func (c *Client) Throttled() time.Duration {
	b := c.limit
	if b == nil {
		return 0
	}
	now := c.srv.now()
	if !b.tat.After(now) {
		return 0
	}
	return max(b.tat.Sub(now)-b.tolerance, 0)
}

// spend takes one request's token. A request made while throttled still goes (the odd
// status write of a controller that does not stop for it) and pushes the later ones back.
func (c *Client) spend() {
	b := c.limit
	if b == nil {
		return
	}
	if now := c.srv.now(); b.tat.Before(now) {
		b.tat = now
	}
	b.tat = b.tat.Add(b.interval)
}
