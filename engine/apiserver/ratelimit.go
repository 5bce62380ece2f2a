package apiserver

import (
	"time"

	"github.com/kubetab/kubetab/engine/clock"
)

// RateLimit is a client's own limit on its requests: client-go's token bucket
// (flowcontrol.NewTokenBucketRateLimiter), QPS requests a second on average with bursts of
// up to Burst, on virtual time. The controller-manager gives each controller's client one
// (--kube-api-qps 20, --kube-api-burst 30), which is why a real ReplicationController
// scaled to 1,000 pods takes about 50 s to create them.
type RateLimit struct {
	QPS   float64
	Burst int
}

// SetRateLimit limits the client's requests from now on; a zero QPS removes the limit.
func (c *Client) SetRateLimit(l RateLimit) {
	if l.QPS <= 0 {
		c.limit = nil
		return
	}
	c.limit = clock.NewTokenBucket(time.Duration(float64(time.Second)/l.QPS), l.Burst)
}

// Throttled says how long the client's next request would wait for its rate limit (zero:
// it may go now). The engine never blocks: a controller whose upstream counterpart waits
// in the middle of a burst of writes stops there and syncs again after this long.
func (c *Client) Throttled() time.Duration {
	if c.limit == nil {
		return 0
	}
	return c.limit.Wait(c.srv.now())
}

// Reserve is Throttled for a waiter that comes back for its request: when the waiter must
// wait, the token it waits for is set aside for it, as client-go's Wait reserves one
// (x/time/rate's Reserve). Waiters sharing a client are then served in turn, one token
// each, rather than all waking at the next token for one of them to take it; that herd
// cost ten syncs and ten timers a pod when ten ReplicaSets were scaling at once. Once the
// reserved token is due, Reserve returns zero and the waiter's next request spends it.
func (c *Client) Reserve(waiter string) time.Duration {
	if c.limit == nil {
		return 0
	}
	now := c.srv.now()
	if at, ok := c.reserved[waiter]; ok {
		if now.Before(at) {
			return at.Sub(now)
		}
		delete(c.reserved, waiter)
		c.prepaid++
		return 0
	}
	d := c.limit.Wait(now)
	if d == 0 {
		return 0
	}
	c.limit.Take(now)
	if c.reserved == nil {
		c.reserved = map[string]time.Time{}
	}
	c.reserved[waiter] = now.Add(d)
	return d
}

// CancelReservation drops a waiter's reservation, as for a waiter that is gone. The token
// stays spent, as a request that was made.
func (c *Client) CancelReservation(waiter string) { delete(c.reserved, waiter) }

// spend takes one request's token. A request made while throttled still goes (the odd
// status write of a controller that does not stop for it) and pushes the later ones back.
func (c *Client) spend() {
	if c.limit == nil {
		return
	}
	if c.prepaid > 0 {
		c.prepaid--
		return
	}
	c.limit.Take(c.srv.now())
}
