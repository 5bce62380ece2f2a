package kubectl

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"sigs.k8s.io/yaml"
)

// `kubectl auth can-i` and `kubectl auth whoami`. kubetab's one user is the kubeconfig's
// admin, whose client certificate names the group system:masters: the API server's
// authorizer allows it everything, so can-i answers yes for any request kubectl can put
// together, after kubectl's own checks and warnings. kubetab serves no RBAC objects, so a
// question about another user (--as, --as-group) is refused rather than guessed.

// adminUser is who the admin kubeconfig's client certificate says the user is.
const adminUser = "kubernetes-admin"

var adminGroups = []string{"system:masters", "system:authenticated"}

// credentialIDKey is the SelfSubjectReview's one extra attribute for a certificate user.
const credentialIDKey = "authentication.kubernetes.io/credential-id"

// adminCredentialID is the SelfSubjectReview's credential id: the SHA-256 of the admin's
// client certificate, which kubetab has none of; a fixed digest of the context's name
// stands in for it.
func adminCredentialID() string {
	sum := sha256.Sum256([]byte("kubetab admin certificate for " + ContextName))
	return "X509SHA256=" + hex.EncodeToString(sum[:])
}

var authCommand = &command{
	name:        "auth",
	short:       "Inspect authorization",
	usage:       "auth [flags] [options]",
	subcommands: []*command{authCanICommand, authWhoAmICommand},
}

type canIOptions struct {
	plainArgs
	AllNamespaces, Quiet, List, NoHeaders bool
	Subresource                           string
	As                                    string
	AsGroups                              []string
}

var authCanICommand = &command{
	name:  "can-i",
	short: "Check whether an action is allowed",
	usage: "can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [flags] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &canIOptions{}
		fs.Bool(&o.AllNamespaces, "all-namespaces", "A", false)
		fs.Bool(&o.Quiet, "quiet", "q", false)
		fs.Bool(&o.List, "list", "", false)
		fs.Bool(&o.NoHeaders, "no-headers", "", false)
		fs.String(&o.Subresource, "subresource", "", "")
		fs.String(&o.As, "as", "", "")
		fs.StringSlice(&o.AsGroups, "as-group", "")
		return o
	},
}

func (o *canIOptions) readOnly() bool { return true }

// knownVerbs are the verbs can-i does not warn about (kubectl's cani.go).
var knownVerbs = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"}

func (o *canIOptions) run(e *env) error {
	if o.List {
		if len(o.args) != 0 {
			return fmt.Errorf("list option must be specified with no arguments")
		}
		return fmt.Errorf("kubetab does not list the rules a user has (\"kubectl auth can-i --list\"): it serves no RBAC objects, and its one user may do everything")
	}
	var verb, resource, nonResourceURL string
	switch len(o.args) {
	case 2:
		verb = o.args[0]
		if strings.HasPrefix(o.args[1], "/") {
			nonResourceURL = o.args[1]
			break
		}
		resource, _, _ = strings.Cut(o.args[1], "/")
	case 3:
		verb, resource = o.args[0], o.args[1]
	default:
		// can-i's own usage error ends its hint with a period.
		return &rawError{"error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n"}
	}
	if nonResourceURL != "" && o.Subresource != "" {
		return fmt.Errorf("--subresource can not be used with NonResourceURL")
	}
	if o.As != "" || len(o.AsGroups) > 0 {
		if o.As != adminUser && !slices.Contains(o.AsGroups, "system:masters") {
			return fmt.Errorf("kubetab does not simulate RBAC (roles and bindings), so it cannot say what %q may do; its one user, %s in group system:masters, may do everything", o.As+strings.Join(o.AsGroups, ","), adminUser)
		}
	}
	if !slices.Contains(knownVerbs, verb) {
		e.errf("Warning: verb '%s' is not a known verb\n\n", verb)
	}
	if resource != "" && resource != "*" {
		o.warnResource(e, resource)
	}
	if !o.Quiet {
		e.out("yes\n")
	}
	return nil
}

// warnResource is kubectl's resourceFor and Validate: a type the server does not have, or
// a cluster-scoped one asked about in a namespace, gets a warning; the answer stands.
func (o *canIOptions) warnResource(e *env, typed string) {
	namespaced, known := true, false
	if r, err := lookupResource(typed); err == nil && r != nil {
		namespaced, known = r.Namespaced, true
	} else if d := unservedResource(typed); d != nil {
		namespaced, known = d.namespaced, true
	}
	if !known {
		name, group, ok := strings.Cut(typed, ".")
		if ok {
			e.errf("Warning: the server doesn't have a resource type '%s' in group '%s'\n\n", name, group)
		} else {
			e.errf("Warning: the server doesn't have a resource type '%s'\n\n", typed)
		}
		return
	}
	if !namespaced && !o.AllNamespaces {
		e.errf("Warning: resource '%s' is not namespace scoped\n\n", typed)
	}
}

// selfSubjectReview is authentication.k8s.io/v1 SelfSubjectReview as the API server answers
// it, in its field order (k8s.io/api/authentication is not linked for this alone).
type selfSubjectReview struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
	Metadata   struct {
		CreationTimestamp string `json:"creationTimestamp"`
	} `json:"metadata"`
	Status struct {
		UserInfo struct {
			Username string              `json:"username"`
			Groups   []string            `json:"groups"`
			Extra    map[string][]string `json:"extra"`
		} `json:"userInfo"`
	} `json:"status"`
}

type whoAmIOptions struct {
	plainArgs
	Output string
}

var authWhoAmICommand = &command{
	name:  "whoami",
	short: "Experimental: Check self subject attributes",
	usage: "whoami [flags] [options]",
	options: func(fs *flagSet) commandOptions {
		o := &whoAmIOptions{}
		fs.String(&o.Output, "output", "o", "")
		return o
	},
}

func (o *whoAmIOptions) readOnly() bool { return true }

func (o *whoAmIOptions) run(e *env) error {
	extra := map[string][]string{credentialIDKey: {adminCredentialID()}}
	switch o.Output {
	case "":
		tw := tabwriter.NewWriter(e.io.Out, 0, 8, 3, ' ', 0)
		fmt.Fprintln(tw, "ATTRIBUTE\tVALUE")
		fmt.Fprintf(tw, "Username\t%s\n", adminUser)
		fmt.Fprintf(tw, "Groups\t[%s]\n", strings.Join(adminGroups, " "))
		fmt.Fprintf(tw, "Extra: %s\t[%s]\n", credentialIDKey, strings.Join(extra[credentialIDKey], " "))
		return tw.Flush()
	case "json", "yaml":
		var review selfSubjectReview
		review.Kind, review.APIVersion = "SelfSubjectReview", "authentication.k8s.io/v1"
		review.Metadata.CreationTimestamp = e.c.Now().UTC().Format("2006-01-02T15:04:05Z")
		review.Status.UserInfo.Username, review.Status.UserInfo.Groups, review.Status.UserInfo.Extra = adminUser, adminGroups, extra
		if o.Output == "yaml" {
			y, err := yaml.Marshal(review)
			if err != nil {
				return err
			}
			e.out("%s", y)
			return nil
		}
		j, err := json.MarshalIndent(review, "", "    ")
		if err != nil {
			return err
		}
		e.out("%s\n", j)
		return nil
	default:
		return fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: json,yaml", o.Output)
	}
}
