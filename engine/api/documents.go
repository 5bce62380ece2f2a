package api

// Documents cuts a YAML stream into its documents at `---` lines, as Decode does, for a
// reader that works on the documents' text itself (kubectl kustomize keeps objects as they
// are written, without decoding them into types).
func Documents(data []byte) [][]byte {
	raw := splitDocuments(data)
	out := make([][]byte, len(raw))
	for i, d := range raw {
		out[i] = d.data
	}
	return out
}
