package sh

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Name resolution in a container, as its C library and busybox do it: /etc/hosts, then the
// name servers of /etc/resolv.conf with its search list and ndots; and the commands that
// show it, nslookup (busybox 1.36's, with its own resolver) and getent hosts (glibc's).

// DNS response codes.
const (
	RcodeNoError  = 0
	RcodeServFail = 2
	RcodeNXDomain = 3
)

var rcodeNames = map[int]string{0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}

// DNSRecord is one answer record: A (Data an IPv4 address), CNAME or PTR (Data a name).
type DNSRecord struct {
	Name, Type, Data string
}

// DNSAnswer is a name server's reply.
type DNSAnswer struct {
	Rcode         int
	Records       []DNSRecord
	Authoritative bool
}

// resolvConf is what /etc/resolv.conf says.
type resolvConf struct {
	servers []string
	search  []string
	ndots   int
}

// readResolvConf reads the container's /etc/resolv.conf, with the C library's defaults
// for what it does not say.
func (v *vm) readResolvConf() resolvConf {
	rc := resolvConf{ndots: 1}
	data, err := v.fs.ReadFile("/etc/resolv.conf")
	if err != nil {
		return rc
	}
	for _, line := range strings.Split(data, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "nameserver":
			rc.servers = append(rc.servers, f[1])
		case "search", "domain":
			rc.search = f[1:]
		case "options":
			for _, o := range f[1:] {
				if n, ok := strings.CutPrefix(o, "ndots:"); ok {
					if d, err := strconv.Atoi(n); err == nil {
						rc.ndots = min(d, 15)
					}
				}
			}
		}
	}
	return rc
}

// hostsEntry is a line of /etc/hosts: an address, its canonical name and its aliases.
type hostsEntry struct {
	ip    string
	names []string
}

func (v *vm) readHosts() []hostsEntry {
	data, err := v.fs.ReadFile("/etc/hosts")
	if err != nil {
		return nil
	}
	var out []hostsEntry
	for _, line := range strings.Split(data, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) >= 2 {
			out = append(out, hostsEntry{ip: f[0], names: f[1:]})
		}
	}
	return out
}

// isIPv4 tells whether s is a dotted-quad address.
func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || p == "" || (len(p) > 1 && p[0] == '+') {
			return false
		}
	}
	return true
}

// hostAddrs is what getaddrinfo returns for a name: its IPv4 addresses and canonical
// name, from /etc/hosts or the name servers. The error wraps ErrUnknownHost or ErrTimeout.
func (v *vm) hostAddrs(name string) (addrs []string, canonical string, err error) {
	if isIPv4(name) {
		return []string{name}, name, nil
	}
	for _, e := range v.readHosts() {
		if !isIPv4(e.ip) {
			continue
		}
		for _, n := range e.names {
			if strings.EqualFold(n, name) {
				addrs = append(addrs, e.ip)
				if canonical == "" {
					canonical = e.names[0]
				}
			}
		}
	}
	if len(addrs) > 0 {
		return addrs, canonical, nil
	}
	rc := v.readResolvConf()
	for _, fqdn := range searchNames(name, rc) {
		a, err := v.query(rc, fqdn, "A")
		if err != nil {
			return nil, "", err
		}
		if a.Rcode != RcodeNoError {
			continue
		}
		canonical = fqdn
		for _, r := range a.Records {
			switch r.Type {
			case "A":
				addrs = append(addrs, r.Data)
			case "CNAME":
				canonical = r.Data
			}
		}
		if len(addrs) > 0 {
			return addrs, canonical, nil
		}
	}
	return nil, "", fmt.Errorf("lookup %s: %w", name, ErrUnknownHost)
}

// searchNames are the names the resolver tries, in order: a name with at least ndots dots
// as it is first, then with each search domain; one with fewer the other way round; a name
// ending in a dot only as it is.
func searchNames(name string, rc resolvConf) []string {
	if strings.HasSuffix(name, ".") {
		return []string{strings.TrimSuffix(name, ".")}
	}
	var withSearch []string
	for _, d := range rc.search {
		withSearch = append(withSearch, name+"."+d)
	}
	if strings.Count(name, ".") >= rc.ndots {
		return append([]string{name}, withSearch...)
	}
	return append(withSearch, name)
}

// query asks the first name server of rc (the C library's order; 127.0.0.1 when none).
func (v *vm) query(rc resolvConf, name, qtype string) (DNSAnswer, error) {
	server := "127.0.0.1"
	if len(rc.servers) > 0 {
		server = rc.servers[0]
	}
	return v.env.QueryDNS(server, name, qtype)
}

// reverseName is the in-addr.arpa name of an IPv4 address.
func reverseName(ip string) string {
	p := strings.Split(ip, ".")
	return p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa"
}

// cmdNslookup is busybox's nslookup (FEATURE_NSLOOKUP_BIG): an address asks for its PTR, a
// name for A and AAAA records, each with every search domain when the name has no dot;
// every reply is printed in the order the questions were asked.
func cmdNslookup(c *cmdCtx) int {
	var args []string
	var types []string
	for _, a := range c.args[1:] {
		if strings.HasPrefix(a, "-") && len(args) == 0 {
			opt, val, _ := strings.Cut(a[1:], "=")
			switch opt {
			case "type", "querytype", "q", "query", "t":
				t := strings.ToUpper(val)
				if t != "A" && t != "AAAA" && t != "PTR" && t != "CNAME" {
					c.errf("nslookup: invalid query type \"%s\"", val)
					return 1
				}
				types = append(types, t)
			case "debug", "port", "retry", "timeout":
			default:
				c.errf(nslookupUsage)
				return 1
			}
			continue
		}
		args = append(args, a)
	}
	if len(args) == 0 || len(args) > 2 {
		c.errf(nslookupUsage)
		return 1
	}
	name := args[0]
	rc := c.v.readResolvConf()
	if len(args) == 2 {
		rc.servers = []string{args[1]}
	}
	if len(rc.servers) == 0 {
		rc.servers = []string{"127.0.0.1"}
	}
	type question struct{ name, qtype string }
	var qs []question
	add := func(qtype string) {
		if qtype == "PTR" || len(rc.search) == 0 || strings.Contains(name, ".") {
			qs = append(qs, question{name, qtype})
			return
		}
		for _, d := range rc.search {
			qs = append(qs, question{name + "." + d, qtype})
		}
	}
	switch {
	case len(types) > 0:
		for _, t := range types {
			add(t)
		}
	case isIPv4(name):
		qs = append(qs, question{reverseName(name), "PTR"})
	default:
		add("A")
		add("AAAA")
	}
	server := rc.servers[0]
	var b strings.Builder
	status := 0
	for i, q := range qs {
		a, err := c.v.env.QueryDNS(server, q.name, q.qtype)
		if err != nil {
			if errors.Is(err, ErrTimeout) && i == 0 {
				c.out(";; connection timed out; no servers could be reached\n\n")
				return 1
			}
			continue
		}
		if i == 0 {
			fmt.Fprintf(&b, "Server:\t\t%s\nAddress:\t%s:53\n\n", server, server)
		}
		if a.Rcode != RcodeNoError {
			fmt.Fprintf(&b, "** server can't find %s: %s\n", q.name, rcodeNames[a.Rcode])
			status = 1
		} else {
			if !a.Authoritative {
				b.WriteString("Non-authoritative answer:\n")
			}
			for _, r := range a.Records {
				switch r.Type {
				case "A", "AAAA":
					fmt.Fprintf(&b, "Name:\t%s\nAddress: %s\n", r.Name, r.Data)
				case "CNAME":
					fmt.Fprintf(&b, "%s\tcanonical name = %s\n", r.Name, r.Data)
				case "PTR":
					fmt.Fprintf(&b, "%s\tname = %s\n", r.Name, r.Data)
				}
			}
		}
		b.WriteString("\n")
	}
	c.out(b.String())
	return status
}

const nslookupUsage = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any"

// cmdGetent is glibc's getent for the hosts database: each key's addresses with the
// canonical name and aliases (`%-15s %s`), IPv6 entries of /etc/hosts first, as
// gethostbyname2 asks for AF_INET6 before AF_INET; exit 2 when a key is not found.
func cmdGetent(c *cmdCtx) int {
	if len(c.args) < 2 {
		c.errf("Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' for more information.")
		return 1
	}
	if c.args[1] != "hosts" && c.args[1] != "ahosts" && c.args[1] != "ahostsv4" {
		c.errf("Unknown database: %s\nTry `getent --help' or `getent --usage' for more information.", c.args[1])
		return 1
	}
	hosts := c.v.readHosts()
	if len(c.args) == 2 {
		for _, e := range hosts {
			c.out(fmt.Sprintf("%-15s %s\n", e.ip, strings.Join(e.names, " ")))
		}
		return 0
	}
	status := 0
	for _, key := range c.args[2:] {
		var lines []string
		if isIPv4(key) {
			for _, e := range hosts {
				if e.ip == key {
					lines = append(lines, fmt.Sprintf("%-15s %s", e.ip, strings.Join(e.names, " ")))
					break
				}
			}
			if len(lines) == 0 {
				rc := c.v.readResolvConf()
				if a, err := c.v.query(rc, reverseName(key), "PTR"); err == nil && a.Rcode == RcodeNoError {
					for _, r := range a.Records {
						if r.Type == "PTR" {
							lines = append(lines, fmt.Sprintf("%-15s %s", key, r.Data))
							break
						}
					}
				}
			}
		} else {
			for _, e := range hosts {
				if isIPv4(e.ip) {
					continue
				}
				for _, n := range e.names {
					if strings.EqualFold(n, key) {
						lines = append(lines, fmt.Sprintf("%-15s %s", e.ip, strings.Join(e.names, " ")))
					}
				}
			}
			if len(lines) == 0 {
				if addrs, canonical, err := c.v.hostAddrs(key); err == nil {
					for _, a := range addrs {
						lines = append(lines, fmt.Sprintf("%-15s %s", a, hostsAliases(hosts, a, canonical)))
					}
				}
			}
		}
		if len(lines) == 0 {
			status = 2
			continue
		}
		c.out(strings.Join(lines, "\n") + "\n")
	}
	return status
}

// hostsAliases is the name list getent prints for an address: the /etc/hosts line's names
// when the address came from there, else the canonical name.
func hostsAliases(hosts []hostsEntry, ip, canonical string) string {
	for _, e := range hosts {
		if e.ip == ip && e.names[0] == canonical {
			return strings.Join(e.names, " ")
		}
	}
	return canonical
}
