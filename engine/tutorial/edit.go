package tutorial

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"sigs.k8s.io/yaml"
)

// Edit is an edit fixture: the change a learner makes in the editor that `kubectl edit`
// opens, written as the fields to change (a fragment of the object). The fragment is merged
// into the object the editor shows as a JSON merge patch (RFC 7386): mappings merge, any
// other value replaces, null removes a field.
type Edit struct {
	Line  int    // of the opening fence
	Patch string // as written
	Block *Block // the runnable block before it, whose kubectl edit it serves

	patch map[string]any
}

func (p *lessonParser) parseEdit(open int, body string) *Edit {
	e := &Edit{Line: open, Patch: body}
	m, err := decodeMapping([]byte(body))
	if err != nil || len(m) == 0 {
		p.errorf(open, "an edit fixture is a YAML mapping of the fields to change, like `spec: {replicas: 10}`")
		return e
	}
	e.patch = m
	return e
}

func decodeMapping(b []byte) (map[string]any, error) {
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// Apply returns the editor's text with the fixture merged in, as YAML.
func (e *Edit) Apply(text string) (string, error) {
	obj, err := decodeMapping([]byte(text))
	if err != nil {
		return "", fmt.Errorf("the editor's text is not a YAML object: %w", err)
	}
	merged, err := json.Marshal(mergePatch(obj, e.patch))
	if err != nil {
		return "", err
	}
	out, err := yaml.JSONToYAML(merged)
	return string(out), err
}

// mergePatch applies patch to target as RFC 7386 describes, without changing either.
func mergePatch(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, _ := target.(map[string]any)
	out := make(map[string]any, len(tm)+len(pm))
	for k, v := range tm {
		out[k] = v
	}
	for k, v := range pm {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = mergePatch(out[k], v)
	}
	return out
}

// Editor returns the editor for one run of the block: each time kubectl edit opens it, it
// applies the block's next edit fixture. Give it to the session (terminal.Options.Edit)
// while the block runs; a page may instead open its own editor with the fixture as a hint.
func (b *Block) Editor() func(name, text string) (string, error) {
	next := 0
	return func(name, text string) (string, error) {
		if next >= len(b.Edits) {
			return "", errors.New("the lesson has no edit fixture left for this editor")
		}
		e := b.Edits[next]
		next++
		return e.Apply(text)
	}
}
