package persist

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// FormatVersion is the newest cluster.json layout this package reads and writes. Load
// refuses a newer one rather than misreading it.
//
//	1: seed, start and the whole journal
//	2: a snapshot of the cluster (Snapshot) and the journal since it
//
// A state without a snapshot is still written as format 1, which older releases read.
const FormatVersion = 2

// formatFor is the layout a state is written in: the oldest that holds it.
func formatFor(st State) int {
	if st.Snapshot != nil {
		return 2
	}
	return 1
}

// State is everything needed to rebuild a cluster.
type State struct {
	// Format is the cluster.json layout version (FormatVersion when written by this build).
	Format int `json:"format"`
	// Engine is the version of the engine that wrote the journal. A different engine may
	// replay the same journal into a different cluster; the loader decides what to say.
	Engine string `json:"engine"`
	// Streams is the layout of the cluster's random streams the journal was written under
	// (sim.StreamLayout; 0 in files written before it was recorded, which used layout 1).
	// Another layout gives generated names and timings that differ from the first run's.
	Streams int `json:"streams,omitempty"`
	// Seed and Start shape the fresh cluster the journal is replayed on.
	Seed  uint64    `json:"seed"`
	Start time.Time `json:"start"`
	// Snapshot, when set, is the cluster after the commands before Journal: a load restores
	// it and replays only Journal. Seed and Start stay those of the first cluster.
	Snapshot *Snapshot `json:"snapshot,omitempty"`
	// Journal lists the commands that changed the cluster, oldest first (since Snapshot).
	Journal []Entry `json:"journal"`
	// Shell is the terminal shell's own state when it was saved (nil: as it starts).
	Shell *Shell `json:"shell,omitempty"`
	// Log is the sequence number of the last record of an append-only log of this state's
	// changes (the browser's cluster.log, app/session) that the state includes; records up
	// to it are not applied again. 0: none (the CLI keeps no log).
	Log uint64 `json:"log,omitempty"`
	// Namespace is the kubeconfig context's namespace when the state was saved ("": none).
	Namespace string `json:"namespace,omitempty"`
	// Terminals are the shells of the terminals after the first (Shell is the first's), in
	// order: a reload brings them back. Nil: only the first.
	Terminals []*Shell `json:"terminals,omitempty"`
}

// Shell is what the terminal's shell keeps from line to line that the journal does not
// rebuild, since no command of it changed the cluster: the variables it set, which of them
// are exported, its functions as written, its aliases, its working directory, `set` options
// and $?. It is saved as it was, not replayed.
type Shell struct {
	Vars     map[string]Text `json:"vars,omitempty"`
	Exported []string        `json:"exported,omitempty"`
	Funcs    map[string]Text `json:"funcs,omitempty"`
	Aliases  map[string]Text `json:"aliases,omitempty"`
	Dir      string          `json:"dir,omitempty"`
	Options  string          `json:"options,omitempty"`
	Status   int             `json:"status,omitempty"`
	// Scratch holds the node's files outside the workspace (/tmp ...) by path, a directory
	// as its path with a trailing / and no content.
	Scratch map[string]Text `json:"scratch,omitempty"`
	// Draws counts the terminal's openssl runs, each of which draws its keys from a stream of
	// its own number.
	Draws uint64 `json:"draws,omitempty"`
}

// Snapshot is a cluster saved as its objects and runtime rather than as its recipe
// (engine/cluster's snapshot, which the engine reads and writes; persist keeps its bytes).
type Snapshot struct {
	// Engine and Streams are those of the engine that took it (State's fields' meaning).
	Engine  string `json:"engine"`
	Streams int    `json:"streams,omitempty"`
	// Time is the virtual time it was taken at.
	Time time.Time `json:"time"`
	// Journal is the journal the snapshot stands for (since the cluster was new): a load
	// does not replay it, but it is the cluster's recipe, which share links and bundles
	// hand on (State.History).
	Journal []Entry `json:"journal,omitempty"`
	// Cluster is the engine's snapshot, stored gzip-compressed in base64.
	Cluster []byte `json:"-"`
}

type snapshotJSON struct {
	Engine  string    `json:"engine"`
	Streams int       `json:"streams,omitempty"`
	Time    time.Time `json:"time"`
	Journal []Entry   `json:"journal,omitempty"`
	Gzip    string    `json:"gzip"`
}

// History is the whole journal since the cluster was new: the snapshot's, then the one
// since it.
func (st State) History() []Entry {
	if st.Snapshot == nil {
		return st.Journal
	}
	return append(st.Snapshot.Journal[:len(st.Snapshot.Journal):len(st.Snapshot.Journal)], st.Journal...)
}

// MarshalJSON implements json.Marshaler: the same snapshot always gives the same bytes.
func (s Snapshot) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(s.Cluster); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return json.Marshal(snapshotJSON{Engine: s.Engine, Streams: s.Streams, Time: s.Time, Journal: s.Journal,
		Gzip: base64.StdEncoding.EncodeToString(buf.Bytes())})
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Snapshot) UnmarshalJSON(b []byte) error {
	var j snapshotJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(j.Gzip)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	*s = Snapshot{Engine: j.Engine, Streams: j.Streams, Time: j.Time, Journal: j.Journal, Cluster: data}
	return nil
}

// Entry is one command with every input it consumed, so that running it again gives the
// same result without asking the outside world.
type Entry struct {
	// Args are the command's words after quote removal ("kubectl", "apply", "-f", "x.yaml").
	Args []Text `json:"args"`
	// Stdin is the command's standard input (a here-document); nil when it had none.
	Stdin *Text `json:"stdin,omitempty"`
	// Reads are the files the command read, in the order it read them.
	Reads []Read `json:"reads,omitempty"`
	// Lists are the directories the command listed, in order.
	Lists []List `json:"lists,omitempty"`
	// Edits are the editor sessions the command opened, in order.
	Edits []Edit `json:"edits,omitempty"`
	// Exit is the command's exit status, so that a replay can tell when it went differently
	// (a journal written by another engine version).
	Exit int `json:"exit,omitempty"`
	// Strict is set when the command ran in strict mode (terminal.Options.Strict), which a
	// replay must run it in too.
	Strict bool `json:"strict,omitempty"`
	// Namespace is the kubeconfig context's namespace the command ran with (`kubectl config
	// set-context --current --namespace=X`), which a replay must run it with too; "" when
	// none was set.
	Namespace string `json:"namespace,omitempty"`
	// Term is the terminal the command ran in (the session's terminals, from 0: a
	// container shell entered in the second terminal is entered there again). Journals
	// written before it was recorded have 0 everywhere: they replay in the first.
	Term int `json:"term,omitempty"`
}

// Read is one file read: its contents, or the error the read returned.
type Read struct {
	Path Text   `json:"path"`
	Data *Text  `json:"data,omitempty"`
	Err  string `json:"err,omitempty"`
	// Missing is set when Err was a "does not exist" error, which callers tell apart.
	Missing bool `json:"missing,omitempty"`
}

// List is one directory listing: the names, or the error.
type List struct {
	Path    Text   `json:"path"`
	Names   []Text `json:"names,omitempty"`
	Err     string `json:"err,omitempty"`
	Missing bool   `json:"missing,omitempty"`
}

// Edit is one editor session: the text the editor handed back, or its error.
type Edit struct {
	Name Text   `json:"name"`
	Text *Text  `json:"text,omitempty"`
	Err  string `json:"err,omitempty"`
}

// Text is a string that survives JSON byte for byte. encoding/json replaces invalid UTF-8
// with U+FFFD, which would make a replayed command differ from the one typed; such a Text
// is written as {"base64": "..."} instead, and valid text stays readable.
type Text string

// NewText returns a pointer to s as a Text, for the optional fields.
func NewText(s string) *Text {
	t := Text(s)
	return &t
}

// Texts converts words to Texts.
func Texts(ss []string) []Text {
	if ss == nil {
		return nil
	}
	out := make([]Text, len(ss))
	for i, s := range ss {
		out[i] = Text(s)
	}
	return out
}

// Strings converts Texts back to strings.
func Strings(ts []Text) []string {
	if ts == nil {
		return nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

type binaryText struct {
	Base64 string `json:"base64"`
}

// MarshalJSON implements json.Marshaler.
func (t Text) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(t)) {
		return json.Marshal(string(t))
	}
	return json.Marshal(binaryText{Base64: base64.StdEncoding.EncodeToString([]byte(t))})
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var bin binaryText
		if err := json.Unmarshal(b, &bin); err != nil {
			return err
		}
		raw, err := base64.StdEncoding.DecodeString(bin.Base64)
		if err != nil {
			return fmt.Errorf("text: %w", err)
		}
		*t = Text(raw)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*t = Text(s)
	return nil
}
