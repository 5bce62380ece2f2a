package api

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// BenchmarkDecode1000Manifests decodes one stream of 1,000 manifests: the repository's test
// manifests (the book's block YAML and the docs' KYAML: Pods, RCs, RSs, DaemonSets, Jobs,
// CronJobs) repeated, as a large `kubectl apply -f` would send them.
func BenchmarkDecode1000Manifests(b *testing.B) {
	var docs [][]byte
	err := filepath.Walk("../../testdata/manifests", func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, d := range Decode(data) {
			if d.Err != nil {
				b.Fatalf("%s: %v", p, d.Err)
			}
		}
		docs = append(docs, bytes.TrimPrefix(bytes.TrimSpace(data), []byte("---\n")))
		return nil
	})
	if err != nil || len(docs) == 0 {
		b.Fatalf("no manifests (%v)", err)
	}
	sort.Slice(docs, func(i, j int) bool { return bytes.Compare(docs[i], docs[j]) < 0 })
	var stream bytes.Buffer
	for i := 0; i < 1000; i++ {
		stream.WriteString("---\n")
		stream.Write(docs[i%len(docs)])
		stream.WriteString("\n")
	}
	data := stream.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		out := Decode(data)
		if len(out) != 1000 {
			b.Fatalf("decoded %d documents, want 1000", len(out))
		}
	}
}
