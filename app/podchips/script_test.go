//go:build !wasm

package podchips

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// chipsHarness runs public/web/chips.js in Node against a small stand-in for the DOM (only
// what the script touches) and prints what the lists show after each step, as JSON.
const chipsHarness = `
const fs = require("fs"), vm = require("vm");
class El {
	constructor(tag) { this.tagName = tag.toUpperCase(); this.children = []; this.parentNode = null; this.attrs = {}; this.text = ""; this.className = ""; this.hidden = false; this.writes = 0; }
	setAttribute(k, v) { this.attrs[k] = String(v); this.writes++; }
	set textContent(v) { for (const c of this.children) c.parentNode = null; this.children = []; this.text = String(v); this.writes++; }
	get textContent() { return this.text + this.children.map(c => c.textContent).join(""); }
	append(...els) { for (const e of els) this.insertBefore(typeof e === "string" ? new Text(e) : e, null); }
	insertBefore(e, ref) {
		if (e.parentNode) e.remove();
		const i = ref ? this.children.indexOf(ref) : this.children.length;
		if (i < 0) throw new Error("NotFoundError");
		this.children.splice(i, 0, e); e.parentNode = this;
	}
	remove() { const p = this.parentNode; if (p) { p.children.splice(p.children.indexOf(this), 1); this.parentNode = null; } }
	get childElementCount() { return this.children.length; }
	get classList() {
		return {toggle: (c, on) => {
			const cs = this.className.split(" ").filter(x => x && x !== c);
			if (on) cs.push(c);
			this.className = cs.join(" ");
		}};
	}
}
class Text { constructor(t) { this.text = t; this.parentNode = null; } get textContent() { return this.text; } }
const byId = {};
global.window = global;
global.document = {
	createElement: (t) => new El(t),
	getElementById: (id) => byId[id] || null,
};
vm.runInThisContext(fs.readFileSync(process.argv[2], "utf8"));
const view = new El("section"); view.id = "cluster-view";
const list = (id) => { const l = new El("ul"); l.id = id; byId[id] = l; view.append(l); return l; };
list("a"); list("b");
const shown = (id) => byId[id].children.map(li => li.children[0]).map(li => li.attrs["data-pod"] + ":" + li.attrs["data-status"] + (li.className.includes("selected") ? "*" : "") + (li.className.includes("quiet") ? "~" : ""));
const out = [];
const d = (key, status, selected) => ["d", key, "pod " + status + (selected ? " selected" : ""), String(!!selected), key, key.split("/")[1], "default", status, "", "0/1", "0"];
const api = window.kubetabChips;
out.push(JSON.parse(api.lists(JSON.stringify(["a", "b", "none"]))));
api.apply(JSON.stringify([["n", "default/p1"], d("default/p1", "Pending"), ["i", "a", "default/p1", ""], ["n", "default/p3"], d("default/p3", "Pending"), ["i", "a", "default/p3", ""]]));
out.push(shown("a"));
api.apply(JSON.stringify([["n", "default/p2"], d("default/p2", "Pending"), ["i", "a", "default/p2", "default/p3"], d("default/p3", "Running", true), ["i", "b", "default/p3", ""]]));
out.push(shown("a"), shown("b"));
const p3 = byId.b.children[0].children[0], before = p3.writes;
api.apply(JSON.stringify([d("default/p3", "Running", true)]));
out.push(p3.writes - before);
const burst = [];
for (let i = 0; i < 50; i++) burst.push(["n", "default/q" + i], d("default/q" + i, "Pending"), ["i", "b", "default/q" + i, ""]);
api.apply(JSON.stringify(burst));
out.push(shown("b").length, shown("b")[1], [byId.a.className, byId.b.className]);
api.apply(JSON.stringify([["x", "default/p1"], ["x", "default/p2"], ["c", "b"]]));
out.push(shown("a"), shown("b"), byId.b.className);
api.apply(JSON.stringify([["i", "a", "default/p3", ""]]));
const btn = byId.a.children[0].children[0];
out.push(btn.children[0].text, btn.tagName + "/" + btn.type, btn.textContent);
console.log(JSON.stringify(out));
`

// chips.js, the page's side of the pod chips (dom_wasm.go): new chips, draws that write
// only what changed, inserts in order, removals, emptied lists, the burst class, the class
// of a list of many chips, and the chip a button whose text names the pod.
func TestChipsScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (it runs the engine's wasm tests too)")
	}
	dir := t.TempDir()
	harness := filepath.Join(dir, "harness.js")
	if err := os.WriteFile(harness, []byte(chipsHarness), 0o644); err != nil {
		t.Fatal(err)
	}
	// Read here rather than by node, so that go test's cache knows the result depends on it.
	src, err := os.ReadFile(filepath.Join("..", "..", "public", "web", "chips.js"))
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "chips.js")
	if err := os.WriteFile(script, src, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(node, harness, script).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, b)
	}
	var out []json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	var (
		numbers               []int
		a1, a2, b2, a4, b4    []string
		rewrites, burstLen    int
		burstChip, name, role string
		text, emptied         string
		many                  []string
	)
	results := []any{&numbers, &a1, &a2, &b2, &rewrites, &burstLen, &burstChip, &many, &a4, &b4, &emptied, &name, &role, &text}
	if len(out) != len(results) {
		t.Fatalf("%d results, want %d: %s", len(out), len(results), b)
	}
	for i, v := range results {
		if err := json.Unmarshal(out[i], v); err != nil {
			t.Fatalf("result %d: %v (%s)", i, err, out[i])
		}
	}
	check := func(what string, got, want any) {
		t.Helper()
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s: %s, want %s", what, g, w)
		}
	}
	check("list numbers", numbers, []int{1, 2, 0})
	check("first chips", a1, []string{"p1:Pending", "p3:Pending"})
	check("inserted before p3, p3 moved to b", a2, []string{"p1:Pending", "p2:Pending"})
	check("b", b2, []string{"p3:Running*"})
	check("writes for a draw that changes nothing", rewrites, 0)
	check("chips after a burst", burstLen, 51)
	check("a chip of the burst", burstChip, "q0:Pending~")
	check("lists of many chips (a 1, b 51)", many, []string{"", "many"})
	check("a after removals", a4, []string{})
	check("b emptied", b4, []string{})
	check("b's class once emptied", emptied, "")
	if name != "p3" || role != "BUTTON/button" || text != "p3 Running 0/1 ↻0" {
		t.Errorf("chip markup: name %q, element %q, text %q", name, role, text)
	}
}
