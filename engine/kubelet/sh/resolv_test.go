package sh

import (
	"fmt"
	"strings"
	"testing"
)

// dnsEnv is a pod of namespace default whose name server knows a few names.
type dnsEnv struct {
	fakeEnv
	names   map[string][]string // fully qualified name → A records
	fetched []string            // the addresses HTTPGet connected to
}

func newDNSEnv() *dnsEnv {
	e := &dnsEnv{fakeEnv: fakeEnv{now: t0, fs: NewContainerFS("client", map[string]string{
		"/etc/resolv.conf": "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
		"/etc/hosts":       "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.244.1.5\tclient\n",
	})}, names: map[string][]string{
		"kubia.default.svc.cluster.local":      {"10.96.7.7"},
		"kubernetes.default.svc.cluster.local": {"10.96.0.1"},
		"web.default.svc.cluster.local":        {"10.244.2.2", "10.244.3.3"},
	}}
	e.pages = map[string]string{"http://kubia/": "You've hit kubia-abcde\n"}
	return e
}

func (e *dnsEnv) QueryDNS(server, name, qtype string) (DNSAnswer, error) {
	if server != "10.96.0.10" {
		return DNSAnswer{}, fmt.Errorf("dial udp %s:53: %w", server, ErrTimeout)
	}
	if name == "7.7.96.10.in-addr.arpa" && qtype == "PTR" {
		return DNSAnswer{Authoritative: true, Records: []DNSRecord{{Name: name, Type: "PTR", Data: "kubia.default.svc.cluster.local"}}}, nil
	}
	ips, ok := e.names[name]
	if !ok {
		return DNSAnswer{Rcode: RcodeNXDomain, Authoritative: true}, nil
	}
	a := DNSAnswer{Authoritative: true}
	if qtype == "A" {
		for _, ip := range ips {
			a.Records = append(a.Records, DNSRecord{Name: name, Type: "A", Data: ip})
		}
	}
	return a, nil
}

func (e *dnsEnv) HTTPGet(url, ip string) (int, string, error) {
	e.fetched = append(e.fetched, ip)
	return e.fakeEnv.HTTPGet(url, ip)
}

func TestNameResolution(t *testing.T) {
	tests := []struct {
		name string
		argv string
		want string
		code int
	}{
		{name: "nslookup with the search path", argv: "nslookup kubia", code: 1, want: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n" +
			"Name:\tkubia.default.svc.cluster.local\nAddress: 10.96.7.7\n\n" +
			"** server can't find kubia.svc.cluster.local: NXDOMAIN\n\n** server can't find kubia.cluster.local: NXDOMAIN\n\n" +
			"\n** server can't find kubia.svc.cluster.local: NXDOMAIN\n\n** server can't find kubia.cluster.local: NXDOMAIN\n\n"},
		{name: "nslookup of a fully qualified name", argv: "nslookup kubia.default.svc.cluster.local",
			want: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubia.default.svc.cluster.local\nAddress: 10.96.7.7\n\n\n"},
		{name: "nslookup of a name with a dot skips the search path", argv: "nslookup kubia.default", code: 1,
			want: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubia.default: NXDOMAIN\n\n** server can't find kubia.default: NXDOMAIN\n\n"},
		{name: "nslookup of an address", argv: "nslookup 10.96.7.7",
			want: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n7.7.96.10.in-addr.arpa\tname = kubia.default.svc.cluster.local\n\n"},
		{name: "nslookup asking another server", argv: "nslookup kubia 8.8.8.8", code: 1,
			want: ";; connection timed out; no servers could be reached\n\n"},
		{name: "getent hosts through DNS", argv: "getent hosts kubia", want: "10.96.7.7       kubia.default.svc.cluster.local\n"},
		{name: "getent hosts of every address", argv: "getent hosts web", want: "10.244.2.2      web.default.svc.cluster.local\n10.244.3.3      web.default.svc.cluster.local\n"},
		{name: "getent hosts from /etc/hosts", argv: "getent hosts client localhost", want: "10.244.1.5      client\n::1             localhost ip6-localhost ip6-loopback\n"},
		{name: "getent hosts of an unknown name", argv: "getent hosts nothere", code: 2},
		{name: "wget resolves through the search path", argv: "wget http://kubia/",
			want: "Connecting to kubia (10.96.7.7:80)\nsaving to 'index.html'\nindex.html           100% |********************************|   23  0:00:00 ETA\n'index.html' saved\n"},
		{name: "wget of an unknown name", argv: "wget -qO- http://nothere/", code: 1, want: "wget: bad address 'nothere'\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newDNSEnv()
			out, code := Exec(strings.Fields(tc.argv), nil, e)
			if out != tc.want || code != tc.code {
				t.Fatalf("got (exit %d)\n%q\nwant (exit %d)\n%q", code, out, tc.code, tc.want)
			}
		})
	}
}

func TestSearchNames(t *testing.T) {
	rc := resolvConf{search: []string{"default.svc.cluster.local", "svc.cluster.local", "cluster.local"}, ndots: 5}
	for name, want := range map[string]string{
		"kubia":                            "kubia.default.svc.cluster.local kubia.svc.cluster.local kubia.cluster.local kubia",
		"kubia.default":                    "kubia.default.default.svc.cluster.local kubia.default.svc.cluster.local kubia.default.cluster.local kubia.default",
		"kubia.default.svc.cluster.local.": "kubia.default.svc.cluster.local",
		"a.b.c.d.e.f":                      "a.b.c.d.e.f a.b.c.d.e.f.default.svc.cluster.local a.b.c.d.e.f.svc.cluster.local a.b.c.d.e.f.cluster.local",
	} {
		if got := strings.Join(searchNames(name, rc), " "); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
