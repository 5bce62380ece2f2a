package apiserver

import (
	"math/rand/v2"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/clock"
	"github.com/kubetab/kubetab/engine/store"
)

// Server is the API server of one cluster: the request path every write takes.
type Server struct {
	store *store.Store
	w     *store.Writer
	now   func() time.Time
	// stream gives the random stream for a label (sim.Cluster.Stream).
	stream  func(label string) *rand.Rand
	clients map[string]*Client
	// services holds the cluster IPs and node ports stored Services use (services.go).
	services serviceAllocations

	// MaxPods is the cluster's pod budget (admission): a pod past it is refused, and so is
	// an object that asks for more pods than the budget holds (replicas, a Job's
	// parallelism or completions). 0 means no budget.
	MaxPods int
	// Webhooks are validating admission checks run last before the store on creates and
	// updates, as a cluster's validating admission webhooks are: a refusal is the request's
	// error. A default cluster has none.
	Webhooks []Webhook
}

// Operation names what a request does, for webhooks.
type Operation string

const (
	Create Operation = "CREATE"
	Update Operation = "UPDATE"
)

// Webhook judges one request: obj as it would be stored, old the stored version (nil on
// create). It must not change either.
type Webhook func(op Operation, obj, old api.Object) error

func (s *Server) callWebhooks(op Operation, obj, old api.Object) error {
	for _, w := range s.Webhooks {
		if err := w(op, obj, old); err != nil {
			return err
		}
	}
	return nil
}

// New returns the API server in front of a store. w must be the store's Writer, which
// nothing else may hold; now is the cluster's virtual clock, stream its random streams.
func New(s *store.Store, w *store.Writer, now func() time.Time, stream func(label string) *rand.Rand) *Server {
	return &Server{store: s, w: w, now: now, stream: stream, clients: map[string]*Client{}, MaxPods: DefaultMaxPods}
}

// Store is the store the server writes to, for reads.
func (s *Server) Store() *store.Store { return s.store }

// Client is one component's connection to the API server, named like a user agent
// ("kubectl", "replicaset-controller", "kubelet/worker-1"). The names and uids the server
// generates for a client's creations come from that client's own random streams, so a new
// draw by one component renames nothing another component makes.
type Client struct {
	srv  *Server
	name string
	// names and uids are made at a client's first create that needs them; volumes is the
	// stream of the ServiceAccount admission's volume names for its pods, apart so that
	// they rename no pod.
	names, uids, volumes *rand.Rand
	// limit is the client's rate limit, if it has one (ratelimit.go); reserved holds the
	// tokens set aside for waiters by Reserve, and prepaid the reserved tokens that came
	// due, which the next requests spend.
	limit    *clock.TokenBucket
	reserved map[string]time.Time
	prepaid  int
}

// Client returns the client named name; the same name gives the same client.
func (s *Server) Client(name string) *Client {
	if c := s.clients[name]; c != nil {
		return c
	}
	c := &Client{srv: s, name: name}
	s.clients[name] = c
	return c
}

// Name is the client's name.
func (c *Client) Name() string { return c.name }

// Store is the store behind the client's server, for reads.
func (c *Client) Store() *store.Store { return c.srv.store }

// newUID returns a random, version-4-shaped UID from the client's own stream.
func (c *Client) newUID() types.UID {
	if c.uids == nil {
		c.uids = c.srv.stream("uids/" + c.name)
	}
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := c.uids.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return api.FormatUID(b)
}

// alphanums are the characters the API server uses for generated name suffixes (no vowels,
// no look-alikes), as in apimachinery's util/rand.
const alphanums = "bcdfghjklmnpqrstvwxz2456789"

// RandomSuffix returns n characters for a name the client makes up itself (kubectl create
// deployment's container name for an image with `.` or `_`, apimachinery's
// utilrand.String), from the stream of its generated names.
func (c *Client) RandomSuffix(n int) string { return c.randomSuffix(n) }

// volumeSuffix returns the 5 random characters of a pod's kube-api-access-xxxxx volume.
func (c *Client) volumeSuffix() string {
	if c.volumes == nil {
		c.volumes = c.srv.stream("volumes/" + c.name)
	}
	return suffixFrom(c.volumes, 5)
}

// randomSuffix returns n characters for a generated name from the client's own stream.
func (c *Client) randomSuffix(n int) string {
	if c.names == nil {
		c.names = c.srv.stream("names/" + c.name)
	}
	return suffixFrom(c.names, n)
}

// suffixFrom draws n characters of alphanums from r.
func suffixFrom(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphanums[r.IntN(len(alphanums))]
	}
	return string(b)
}

// timestamp is the virtual now in whole seconds, as the API hands timestamps out (RFC 3339
// in JSON): a client that round-trips an object must get back exactly what is stored.
func (s *Server) timestamp() metav1.Time {
	return metav1.NewTime(s.now().Truncate(time.Second))
}
