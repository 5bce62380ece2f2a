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

// spend takes one request's token. A request made while throttled still goes (the odd
// status write of a controller that does not stop for it) and pushes the later ones back.
func (c *Client) spend() {
	if c.limit != nil {
		c.limit.Take(c.srv.now())
	}
}
