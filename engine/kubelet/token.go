package kubelet

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// The service account token a projected volume's serviceAccountToken source shows (the
// ServiceAccount admission's kube-api-access-xxxxx volume): a JWT shaped as the API
// server's TokenRequest makes it, with the claims of a bound token for the pod and its
// node. Nothing in kubetab checks tokens: the signature is a digest of the rest, not RS256,
// and the token is made once per pod (a real kubelet renews it at 80 % of its lifetime).

// tokenIssuer is the cluster's service account issuer (--service-account-issuer, kind's).
const tokenIssuer = "https://kubernetes.default.svc.cluster.local"

// extendedTokenLifetime is how long a token asked for 3607 s lives
// (--service-account-extend-token-expiration: a year, with warnafter at the hour).
const extendedTokenLifetime = 365 * 24 * time.Hour

type tokenRef struct {
	Name string `json:"name"`
	UID  string `json:"uid"`
}

// tokenClaims are in the order the API server writes them (alphabetical).
type tokenClaims struct {
	Aud        []string `json:"aud"`
	Exp        int64    `json:"exp"`
	Iat        int64    `json:"iat"`
	Iss        string   `json:"iss"`
	Jti        string   `json:"jti"`
	Kubernetes struct {
		Namespace      string   `json:"namespace"`
		Node           tokenRef `json:"node"`
		Pod            tokenRef `json:"pod"`
		ServiceAccount tokenRef `json:"serviceaccount"`
		WarnAfter      int64    `json:"warnafter,omitempty"`
	} `json:"kubernetes.io"`
	Nbf int64  `json:"nbf"`
	Sub string `json:"sub"`
}

// The pod's token is issued once (tokenPayload): the runtime keeps only the second it was
// issued; its lifetime is the first serviceAccountToken source's of the pod's volumes (the
// one that issued it), what it names is the pod's and its node's (which do not change while
// it runs); the JWT itself is made when read, since most pods (a Job's) never read theirs.

// issueToken issues the pod's token now, unless it has one.
func (r *podRuntime) issueToken() {
	if r.tokenIssued == 0 && (r.seldom == nil || r.seldom.jwt == "") {
		r.tokenIssued = r.now().Unix() + 1
	}
}

// tokenLifetime is the expirationSeconds of the first serviceAccountToken source of the
// pod's volumes, which issued its token (3600 if it gives none).
func (r *podRuntime) tokenLifetime() int64 {
	for i := range r.pod.Spec.Volumes {
		if p := r.pod.Spec.Volumes[i].Projected; p != nil {
			for _, src := range p.Sources {
				if t := src.ServiceAccountToken; t != nil {
					if t.ExpirationSeconds != nil {
						return *t.ExpirationSeconds
					}
					return 3600
				}
			}
		}
	}
	return 3600
}

// token is the JWT of the pod's token: the one a restored runtime kept (restart.go), or
// the one issued, made now (the same at every read: nothing in it changes; a volume's
// filesystem keeps what it showed).
func (r *podRuntime) token() string {
	if r.seldom != nil && r.seldom.jwt != "" {
		return r.seldom.jwt
	}
	if r.tokenIssued == 0 {
		return ""
	}
	issued := time.Unix(r.tokenIssued-1, 0).UTC()
	expiration := r.tokenLifetime()
	exp, warnAfter := issued.Add(time.Duration(expiration)*time.Second).Unix(), int64(0)
	if expiration == 3607 {
		warnAfter = exp
		exp = issued.Add(extendedTokenLifetime).Unix()
	}
	ns, sa := r.pod.Namespace, r.pod.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	var c tokenClaims
	c.Iat, c.Nbf, c.Exp = issued.Unix(), issued.Unix(), exp
	c.Kubernetes.WarnAfter = warnAfter
	c.Kubernetes.Namespace = ns
	c.Kubernetes.Node = tokenRef{r.k.name, string(r.k.node.UID)}
	c.Kubernetes.Pod = tokenRef{r.pod.Name, string(r.pod.UID)}
	c.Kubernetes.ServiceAccount = tokenRef{sa, digestUID("serviceaccount", ns, sa)}
	c.Aud = []string{tokenIssuer}
	c.Iss = tokenIssuer
	c.Jti = digestUID("jti", c.Kubernetes.Pod.UID, issued.String())
	c.Sub = "system:serviceaccount:" + ns + ":" + sa
	claims, _ := json.Marshal(c)
	enc := base64.RawURLEncoding
	kid := sha256.Sum256([]byte(tokenIssuer))
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": enc.EncodeToString(kid[:])})
	signed := enc.EncodeToString(header) + "." + enc.EncodeToString(claims)
	// 256 bytes, as an RS256 signature with a 2048-bit key.
	sig := make([]byte, 0, 256)
	for h := sha256.Sum256([]byte(signed)); len(sig) < 256; h = sha256.Sum256(h[:]) {
		sig = append(sig, h[:]...)
	}
	return signed + "." + enc.EncodeToString(sig)
}

// digestUID is a version-4-shaped UID derived from parts, for the identities a token names
// that kubetab has no object for.
func digestUID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// tokenPayload adds the projection's file: the pod's token (issued now if it has none
// yet), with the projected volume's mode.
func (r *podRuntime) tokenPayload(files map[string]volumeFile, src *corev1.ServiceAccountTokenProjection, mode int32) {
	r.issueToken()
	files[src.Path] = volumeFile{mode: mode, token: true}
}
