package realk8s

// The differences between kubetab and the real transcripts that are known, each with its
// reason: kubetab's deliberate kindness to learners (which issue #19's strict mode will
// drop), a fix that issue #19 lists, or a feature another branch is building. This list is
// issue #19's to-do: fix the difference, then delete its entry (the test fails on an entry
// that no longer matches anything, so the list stays true).

// Expectation is one expected difference: the commands of Script written as Command (every
// command of the script when Command is empty).
type Expectation struct {
	Script, Command string
	Reason          string
}

// Rewrite replaces a text in kubetab's output by what the real cluster prints in its place,
// before the comparison, for a difference that appears all over the transcripts.
type Rewrite struct {
	Kubetab, Real string
	Reason        string
}

// Rewrites are applied to every kubetab output.
var Rewrites = []Rewrite{
	{Kubetab: "v1.34.1", Real: "v1.37.2", Reason: "issue #19 item 1: kubetab answers as v1.34.1 (kubectl version, node VERSION) while its k8s.io modules and refk8s are v1.37.2"},
}

// Expected lists the expected differences command by command.
var Expected = []Expectation{}

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
