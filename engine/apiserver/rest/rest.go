package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/version"

	"github.com/kubetab/kubetab/engine/api"
	"github.com/kubetab/kubetab/engine/store"
)

// Server answers GET requests as the API server does.
type Server struct {
	Store *store.Store
	// Version is what /version answers.
	Version version.Info
	// Address is the API server's host:port in discovery (serverAddressByClientCIDRs).
	Address string
	// HTTPGet reaches ip:port/path on the cluster's network from the control plane, for the
	// proxy subresources; nil: they answer 503.
	HTTPGet func(ip string, port int, path string) (status int, body string, err error)
}

// Response is an answer: its status code, content type and body.
type Response struct {
	Status      int
	ContentType string
	Body        string
}

const contentJSON = "application/json"

// Get answers GET target (a path with an optional query).
func (s *Server) Get(target string) Response {
	u, err := url.Parse(target)
	if err != nil {
		return notFoundPath()
	}
	p := u.Path
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if p == "/" || p == "" {
		return s.root()
	}
	switch p {
	case "/version", "/version/":
		return jsonResponse(200, s.Version)
	case "/healthz", "/livez", "/readyz":
		return Response{Status: 200, ContentType: "text/plain; charset=utf-8", Body: "ok"}
	case "/api", "/api/":
		return jsonResponse(200, &metav1.APIVersions{
			TypeMeta:                   metav1.TypeMeta{Kind: "APIVersions"},
			Versions:                   []string{"v1"},
			ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{{ClientCIDR: "0.0.0.0/0", ServerAddress: s.Address}},
		})
	case "/apis", "/apis/":
		return jsonResponse(200, s.groupList())
	}
	var gv schema.GroupVersion
	var rest []string
	switch {
	case segs[0] == "api" && len(segs) >= 2 && segs[1] == "v1":
		gv, rest = schema.GroupVersion{Version: "v1"}, segs[2:]
	case segs[0] == "apis" && len(segs) == 2:
		if g := s.group(segs[1]); g != nil {
			g.TypeMeta = metav1.TypeMeta{Kind: "APIGroup", APIVersion: "v1"}
			return jsonResponse(200, g)
		}
		return notFoundPath()
	case segs[0] == "apis" && len(segs) >= 3:
		gv, rest = schema.GroupVersion{Group: segs[1], Version: segs[2]}, segs[3:]
	default:
		return notFoundPath()
	}
	if len(rest) == 0 {
		return s.resourceList(gv)
	}
	return s.resource(gv, rest, u.Query())
}

// GetFor answers GET target for a client: the API server indents JSON only for clients
// that read it themselves (curl, wget, browsers), and writes it compact for kubectl and
// other programs (pretty false). /version is written indented for everyone.
func (s *Server) GetFor(target string, pretty bool) Response {
	r := s.Get(target)
	if u, err := url.Parse(target); err == nil && strings.TrimSuffix(u.Path, "/") == "/version" {
		return r
	}
	if !pretty && r.ContentType == contentJSON {
		var b bytes.Buffer
		if json.Compact(&b, []byte(r.Body)) == nil {
			r.Body = b.String()
		}
	}
	return r
}

// resource answers the paths below a group version: RES, RES/NAME, RES/NAME/SUB...,
// namespaces/NS/RES...
func (s *Server) resource(gv schema.GroupVersion, rest []string, q url.Values) Response {
	ns := ""
	if len(rest) >= 3 && rest[0] == "namespaces" {
		ns, rest = rest[1], rest[2:]
	}
	r := lookup(gv, rest[0])
	if r == nil || (ns != "" && !r.Namespaced) {
		return notFoundPath()
	}
	if len(rest) == 1 {
		return s.list(r, ns, q)
	}
	if r.Namespaced && ns == "" {
		return notFoundPath()
	}
	name, sub := rest[1], rest[2:]
	if len(sub) > 0 && sub[0] == "proxy" {
		return s.proxy(r, ns, name, "/"+strings.Join(sub[1:], "/"))
	}
	obj, err := s.Store.Get(r, ns, name)
	if err != nil {
		return statusResponse(err)
	}
	if len(sub) > 1 || (len(sub) == 1 && sub[0] != "status") {
		return notFoundPath()
	}
	out := obj.DeepCopyObject().(api.Object)
	api.SetTypeMeta(out)
	return jsonResponse(200, out)
}

// list is a typed list as the API server writes it: items without their kind.
func (s *Server) list(r *api.Resource, ns string, q url.Values) Response {
	opts := store.ListOptions{}
	if sel := q.Get("labelSelector"); sel != "" {
		ls, err := labels.Parse(sel)
		if err != nil {
			return statusResponse(apierrors.NewBadRequest(fmt.Sprintf("unable to parse requirement: %v", err)))
		}
		opts.Labels = ls
	}
	objs, err := s.Store.List(r, ns, opts)
	if err != nil {
		return statusResponse(err)
	}
	type typedList struct {
		metav1.TypeMeta `json:",inline"`
		Metadata        metav1.ListMeta   `json:"metadata"`
		Items           []json.RawMessage `json:"items"`
	}
	l := typedList{
		TypeMeta: metav1.TypeMeta{Kind: r.Kind + "List", APIVersion: r.APIVersion()},
		Metadata: metav1.ListMeta{ResourceVersion: strconv.FormatUint(s.Store.ResourceVersion(), 10)},
		Items:    []json.RawMessage{},
	}
	for _, o := range objs {
		j, err := json.Marshal(o)
		if err != nil {
			return statusResponse(apierrors.NewInternalError(err))
		}
		l.Items = append(l.Items, j)
	}
	return jsonResponse(200, l)
}

// proxy answers pods/NAME[:PORT]/proxy/PATH and services/NAME[:PORT]/proxy/PATH.
func (s *Server) proxy(r *api.Resource, ns, nameAndPort, path string) Response {
	name, port, _ := strings.Cut(nameAndPort, ":")
	if r.Group != "" || (r.Name != "pods" && r.Name != "services") {
		return notFoundPath()
	}
	obj, err := s.Store.Get(r, ns, name)
	if err != nil {
		return statusResponse(err)
	}
	var ip string
	var n int
	switch o := obj.(type) {
	case *corev1.Pod:
		ip, n = o.Status.PodIP, 80
		if port != "" {
			if n, err = strconv.Atoi(port); err != nil {
				n = ContainerPort(o, port)
			}
		}
		if ip == "" || n == 0 {
			return statusResponse(apierrors.NewBadRequest("address not allowed"))
		}
	case *corev1.Service:
		sp, ok := servicePort(o, port)
		if !ok || o.Spec.ClusterIP == "" || o.Spec.ClusterIP == corev1.ClusterIPNone {
			return statusResponse(apierrors.NewServiceUnavailable(fmt.Sprintf("no endpoints available for service %q", name)))
		}
		ip, n = o.Spec.ClusterIP, int(sp.Port)
	}
	if s.HTTPGet == nil {
		return statusResponse(apierrors.NewServiceUnavailable("error trying to reach service: the proxy is not available"))
	}
	status, body, err := s.HTTPGet(ip, n, path)
	if err != nil {
		return statusResponse(apierrors.NewServiceUnavailable("error trying to reach service: " + err.Error()))
	}
	return Response{Status: status, ContentType: "text/plain; charset=utf-8", Body: body}
}

// ContainerPort is the number of a pod's container port called name, or 0.
func ContainerPort(p *corev1.Pod, name string) int {
	for _, c := range p.Spec.Containers {
		for _, cp := range c.Ports {
			if cp.Name == name {
				return int(cp.ContainerPort)
			}
		}
	}
	return 0
}

// servicePort is the port a service proxy path names (by number or name; none: the first).
func servicePort(svc *corev1.Service, port string) (corev1.ServicePort, bool) {
	for _, sp := range svc.Spec.Ports {
		if port == "" || sp.Name == port || strconv.Itoa(int(sp.Port)) == port {
			return sp, true
		}
	}
	return corev1.ServicePort{}, false
}

// lookup finds the resource of a group version by its plural name.
func lookup(gv schema.GroupVersion, name string) *api.Resource {
	for _, r := range api.Resources() {
		if r.Group == gv.Group && r.Version == gv.Version && r.Name == name {
			return r
		}
	}
	return nil
}

func (s *Server) root() Response {
	paths := []string{"/api", "/api/v1", "/apis"}
	seen := map[string]bool{}
	for _, r := range api.Resources() {
		if r.Group != "" && !seen[r.Group] {
			seen[r.Group] = true
			paths = append(paths, "/apis/"+r.Group, "/apis/"+r.Group+"/"+r.Version)
		}
	}
	paths = append(paths, "/healthz", "/livez", "/readyz", "/version")
	slices.Sort(paths)
	return jsonResponse(200, map[string][]string{"paths": paths})
}

func (s *Server) group(name string) *metav1.APIGroup {
	for _, r := range api.Resources() {
		if r.Group == name {
			gv := metav1.GroupVersionForDiscovery{GroupVersion: r.Group + "/" + r.Version, Version: r.Version}
			return &metav1.APIGroup{Name: r.Group, Versions: []metav1.GroupVersionForDiscovery{gv}, PreferredVersion: gv}
		}
	}
	return nil
}

func (s *Server) groupList() *metav1.APIGroupList {
	l := &metav1.APIGroupList{TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"}, Groups: []metav1.APIGroup{}}
	seen := map[string]bool{}
	for _, r := range api.Resources() {
		if r.Group != "" && !seen[r.Group] {
			seen[r.Group] = true
			l.Groups = append(l.Groups, *s.group(r.Group))
		}
	}
	return l
}

// resourceList is the discovery document of a group version.
func (s *Server) resourceList(gv schema.GroupVersion) Response {
	l := &metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"}, GroupVersion: gv.String()}
	for _, r := range api.Resources() {
		if r.Group != gv.Group || r.Version != gv.Version {
			continue
		}
		l.APIResources = append(l.APIResources, metav1.APIResource{
			Name: r.Name, SingularName: r.Singular, Namespaced: r.Namespaced, Kind: r.Kind,
			Verbs: metav1.Verbs(r.Verbs), ShortNames: r.ShortNames,
		})
	}
	if l.APIResources == nil {
		return notFoundPath()
	}
	return jsonResponse(200, l)
}

// jsonResponse writes v as the API server does for curl: indented JSON, no final newline.
func jsonResponse(status int, v any) Response {
	j, err := json.Marshal(v)
	if err != nil {
		return Response{Status: 500, ContentType: "text/plain; charset=utf-8", Body: err.Error()}
	}
	var b bytes.Buffer
	json.Indent(&b, j, "", "  ")
	return Response{Status: status, ContentType: contentJSON, Body: b.String()}
}

// statusResponse is an error as a Status object.
func statusResponse(err error) Response {
	st := apierrors.APIStatus(nil)
	if se, ok := err.(apierrors.APIStatus); ok {
		st = se
	} else {
		st = apierrors.NewInternalError(err)
	}
	status := st.Status()
	status.TypeMeta = metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}
	if status.Details == nil {
		status.Details = &metav1.StatusDetails{}
	}
	return jsonResponse(int(status.Code), status)
}

// notFoundPath is the API server's answer for a path it does not serve.
func notFoundPath() Response {
	return statusResponse(&apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure, Message: "the server could not find the requested resource",
		Reason: metav1.StatusReasonNotFound, Code: 404,
	}})
}
