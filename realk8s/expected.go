package realk8s

// The differences between kubetab and the real transcripts that are known, each with its
// reason: kubetab's deliberate kindness to learners (Kind: strict mode drops it), a fix that
// issue #19 lists, or a feature another branch is building. This list is issue #19's to-do:
// fix the difference, then delete its entry (the test fails on an entry that no longer
// matches anything, so the list stays true).

// Expectation is one expected difference: the commands of Script written as Command (every
// command of the script when Command is empty).
type Expectation struct {
	Script, Command string
	Reason          string
	// Kind marks kubetab's kindness to learners: the difference must be gone in strict mode
	// (TestRealTranscriptsStrict).
	Kind bool
}

// Rewrite replaces a text in kubetab's output by what the real cluster prints in its place,
// before the comparison, for a difference that appears all over the transcripts.
type Rewrite struct {
	Kubetab, Real string
	Reason        string
}

// Rewrites are applied to every kubetab output. None are needed now: kubetab answers as
// v1.37.2 (api.Version), the version the transcripts were recorded with.
var Rewrites = []Rewrite{}

// The reasons, once each.
const (
	item1Legacy  = "issue #19 item 1 and strict mode (item 4): kubetab accepts the book's apps/v1beta2 ReplicaSet and DaemonSet and batch/v1beta1 CronJob as apps/v1 and batch/v1 with a warning (a kindness kept as the default); a v1.37 server refuses them: `resource mapping not found ... ensure CRDs are installed first`, exit 1"
	kubeDNS      = "refk8s runs no add-ons: kubetab's kube-system has the kube-dns Service that kubeadm's CoreDNS add-on (kind, minikube) creates; both have service/kubernetes (issue #19 item 6, done)"
	item10       = "issue #19 item 10: kubetab appends ` (did you mean \"imagePullPolicy\"?)` to the strict-decoding error (a kindness; strict mode drops it)"
	loadBalancer = "kubetab runs a load balancer (engine/controller/servicelb, as kind with cloud-provider-kind or a cloud does): a LoadBalancer Service gets an address from 172.18.255.200-250 a few seconds after it asks; refk8s runs no cloud provider, so its EXTERNAL-IP stays <pending>"
	bgRace       = "a background job is another process in bash: its watch row and kubectl's own output race (here they even share a line); kubetab prints what the job saw after the command's output, at the same virtual instant, and pads the rows after a watch's first table to their own width, not the header's (kubectl's watch printer, as in the foreground)"
	watchWidths  = "kubetab's watch pads the rows after its first table to their own width; real kubectl keeps the header's columns (kubectl's watch printer, as in the foreground)"
	showAll      = "kindness, like item 10: `get -a` (--show-all, removed in kubectl v1.14) gets a note and the list; real kubectl: `error: unknown shorthand flag: 'a' in -a` and `See 'kubectl get --help' for usage.`, exit 1 (strict mode should refuse it)"
)

// Expected lists the expected differences command by command.
var Expected = []Expectation{
	{Script: "basics", Command: "kubectl get all -A", Reason: kubeDNS},
	{Script: "basics", Command: typoPod("kubectl apply -f - <<EOT"), Reason: item10, Kind: true},

	{Script: "book-legacy", Reason: item1Legacy, Kind: true},

	{Script: "ch04-jobs", Command: "kubectl get po -a", Reason: showAll, Kind: true},

	{Script: "ch05-services", Command: "kubectl get svc", Reason: loadBalancer},

	{Script: "shell-jobs", Command: "kubectl create namespace one", Reason: bgRace},
	{Script: "shell-jobs", Command: "kubectl label namespace one team=a", Reason: bgRace},
	{Script: "shell-jobs", Command: "kubectl create namespace two", Reason: watchWidths},
}

// typoPod is basics.sh's pod manifest with a misspelt field, after the command line.
func typoPod(command string) string {
	return command + `
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: main
    image: luksa/kubia
    imagePullPolice: Always
EOT`
}

// expectation returns the entry that expects d, or nil.
func expectation(d Difference) *Expectation {
	for i := range Expected {
		e := &Expected[i]
		if e.Script == d.Script && (e.Command == "" || e.Command == d.Command) {
			return e
		}
	}
	return nil
}
