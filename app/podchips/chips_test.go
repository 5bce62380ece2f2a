package podchips

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/kubetab/kubetab/app/snapshot"
)

// fakeEl is an element of fakeDOM: a list, or a chip showing a pod.
type fakeEl struct {
	parent   *fakeEl
	children []*fakeEl
	shows    snapshot.Pod
	selected bool
}

// fakeDOM is chipDOM over fakeEls, counting the writes Chips makes.
type fakeDOM struct {
	byID           map[string]*fakeEl
	draws, inserts int
}

func (d *fakeDOM) container(id string) any {
	if el := d.byID[id]; el != nil {
		return el
	}
	return nil
}
func (d *fakeDOM) begin([]string)         {}
func (d *fakeDOM) end()                   {}
func (d *fakeDOM) same(a, b any) bool     { return a.(*fakeEl) == b.(*fakeEl) }
func (d *fakeDOM) newChip(key string) any { return &fakeEl{} }
func (d *fakeDOM) discard(el any)         { d.detach(el.(*fakeEl)) }
func (d *fakeDOM) draw(el any, p snapshot.Pod, selected bool) {
	d.draws++
	el.(*fakeEl).shows, el.(*fakeEl).selected = p, selected
}

func (d *fakeDOM) detach(el *fakeEl) {
	if p := el.parent; p != nil {
		i := slices.Index(p.children, el)
		p.children = slices.Delete(p.children, i, i+1)
		el.parent = nil
	}
}

func (d *fakeDOM) insert(container, el, before any) {
	d.inserts++
	c, e := container.(*fakeEl), el.(*fakeEl)
	d.detach(e)
	i := len(c.children)
	if before != nil {
		i = slices.Index(c.children, before.(*fakeEl))
		if i < 0 {
			panic("insert before an element that is not a child")
		}
	}
	c.children = slices.Insert(c.children, i, e)
	e.parent = c
}

func (d *fakeDOM) clear(container any) {
	c := container.(*fakeEl)
	for len(c.children) > 0 {
		d.detach(c.children[0])
	}
}

// shown is what a list element shows: its chips' pod names, "*" marking the selected one.
func shown(el *fakeEl) []string {
	var names []string
	for _, c := range el.children {
		n := c.shows.Name
		if c.selected {
			n += "*"
		}
		names = append(names, n)
	}
	return names
}

func pods(names ...string) []snapshot.Pod {
	var ps []snapshot.Pod
	for _, n := range names {
		ps = append(ps, snapshot.Pod{Namespace: "default", Name: n, Status: "Pending"})
	}
	return ps
}

func TestPodChips(t *testing.T) {
	dom := &fakeDOM{byID: map[string]*fakeEl{"pending": {}, "a": {}, "b": {}}}
	pc := newChips(dom)
	check := func(id string, want ...string) {
		t.Helper()
		if got := shown(dom.byID[id]); !slices.Equal(got, want) {
			t.Fatalf("list %s shows %v, want %v", id, got, want)
		}
	}

	pc.Sync([]List{{"pending", pods("p1", "p3", "p5")}, {"a", nil}, {"b", nil}}, snapshot.Ref{})
	check("pending", "p1", "p3", "p5")

	// Pods created in the middle of the order cost an insert each, nothing else.
	dom.draws, dom.inserts = 0, 0
	pc.Sync([]List{{"pending", pods("p1", "p2", "p3", "p4", "p5")}, {"a", nil}, {"b", nil}}, snapshot.Ref{})
	check("pending", "p1", "p2", "p3", "p4", "p5")
	if dom.draws != 2 || dom.inserts != 2 {
		t.Fatalf("two new pods: %d draws, %d inserts", dom.draws, dom.inserts)
	}

	// Bound to nodes: chips move, and only the pods that changed are drawn again.
	bound := pods("p2", "p4")
	bound[0].Status = "ContainerCreating"
	dom.draws, dom.inserts = 0, 0
	pc.Sync([]List{{"pending", pods("p5")}, {"a", append(pods("p1"), bound[0])}, {"b", append(pods("p3"), bound[1])}}, snapshot.Ref{Kind: "Pod", Namespace: "default", Name: "p3"})
	check("pending", "p5")
	check("a", "p1", "p2")
	check("b", "p3*", "p4")
	if dom.draws != 2 {
		t.Fatalf("one status and one selection changed: %d draws", dom.draws)
	}

	// go-app reuses node a's list element for node b and makes a new one for a (a card
	// added before them); the pending lane goes away with its element.
	dom.byID["b"], dom.byID["a"] = dom.byID["a"], &fakeEl{}
	delete(dom.byID, "pending")
	pc.Sync([]List{{"a", pods("p1", "p5")}, {"b", pods("p3", "p4")}}, snapshot.Ref{})
	check("a", "p1", "p5")
	check("b", "p3", "p4")

	// Deleted pods leave; a list the view no longer renders is forgotten.
	delete(dom.byID, "b")
	pc.Sync([]List{{"a", pods("p5")}}, snapshot.Ref{})
	check("a", "p5")
	if len(pc.chips) != 1 || len(pc.lists) != 1 {
		t.Fatalf("%d chips and %d lists kept for one pod in one list", len(pc.chips), len(pc.lists))
	}
}

// Whatever the order of changes, every list shows exactly its pods in order, and no chip is
// left in a list it does not belong to.
func TestPodChipsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ids := []string{"pending", "n1", "n2", "n3"}
	dom := &fakeDOM{byID: map[string]*fakeEl{}}
	for _, id := range ids {
		dom.byID[id] = &fakeEl{}
	}
	pc := newChips(dom)
	var prev []List
	for round := 0; round < 2000; round++ {
		// Sometimes go-app makes an element anew, swaps two lists' elements, or has not
		// rendered one yet.
		for _, id := range ids {
			if dom.byID[id] == nil {
				dom.byID[id] = &fakeEl{}
			}
		}
		switch r.IntN(12) {
		case 0:
			dom.byID[ids[r.IntN(len(ids))]] = &fakeEl{}
		case 1:
			a, b := ids[r.IntN(len(ids))], ids[r.IntN(len(ids))]
			dom.byID[a], dom.byID[b] = dom.byID[b], dom.byID[a]
		case 2:
			delete(dom.byID, ids[r.IntN(len(ids))])
		}
		var lists []List
		if prev != nil && r.IntN(2) == 0 {
			// Some lists are given again as they were (the very slices), the pods of the
			// others are dealt among them anew, some gone, some with another status.
			lists = slices.Clone(prev)
			var redo []int
			var pool []snapshot.Pod
			for i := range lists {
				switch r.IntN(3) {
				case 0:
					redo = append(redo, i)
					pool = append(pool, lists[i].Pods...)
					lists[i].Pods = nil
				case 1: // the same pods, some with another status
					lists[i].Pods = slices.Clone(lists[i].Pods)
					for j := range lists[i].Pods {
						if r.IntN(3) == 0 {
							lists[i].Pods[j].Status = []string{"Pending", "Running", "Terminating"}[r.IntN(3)]
						}
					}
				}
			}
			for _, p := range pool {
				if r.IntN(6) == 0 {
					continue
				}
				if r.IntN(4) == 0 {
					p.Status = []string{"Pending", "Running", "Terminating"}[r.IntN(3)]
				}
				l := &lists[redo[r.IntN(len(redo))]]
				l.Pods = append(l.Pods, p)
			}
		} else {
			for _, id := range ids {
				lists = append(lists, List{ID: id})
			}
			for i := 0; i < 30; i++ {
				if r.IntN(3) == 0 {
					continue
				}
				l := &lists[r.IntN(len(lists))]
				l.Pods = append(l.Pods, pods(fmt.Sprintf("p%02d", i))...)
			}
			for i := range lists {
				if r.IntN(2) == 0 {
					slices.SortFunc(lists[i].Pods, func(a, b snapshot.Pod) int { return -compareName(a, b) })
				}
			}
		}
		prev = lists
		sel := snapshot.Ref{}
		if r.IntN(4) == 0 {
			sel = snapshot.Ref{Kind: "Pod", Namespace: "default", Name: fmt.Sprintf("p%02d", r.IntN(30))}
		}
		pc.Sync(lists, sel)
		total := 0
		for _, l := range lists {
			var want []string
			for _, p := range l.Pods {
				n := p.Name
				if sel.Name == n {
					n += "*"
				}
				want = append(want, n)
			}
			el := dom.byID[l.ID]
			if el == nil {
				continue
			}
			if got := shown(el); !slices.Equal(got, want) {
				t.Fatalf("round %d: list %s shows %v, want %v", round, l.ID, got, want)
			}
			for i, p := range l.Pods {
				if el.children[i].shows != p {
					t.Fatalf("round %d: list %s shows %+v, want %+v", round, l.ID, el.children[i].shows, p)
				}
			}
			total += len(l.Pods)
		}
		if len(pc.chips) > total {
			t.Fatalf("round %d: %d chips kept for %d pods", round, len(pc.chips), total)
		}

	}
}

func compareName(a, b snapshot.Pod) int {
	switch {
	case a.Name < b.Name:
		return -1
	case a.Name > b.Name:
		return 1
	}
	return 0
}

// appendJSONString writes what encoding/json reads back as the same string.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "kubia-x7z", `say "hi" \ bye`, "tab\tnew\nline\x00\x1f", "<img src=x>", "ünï \u2028 😀", "bad \xff utf-8"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want {
			t.Errorf("%q came back as %q", s, got)
		}
	}
}

func TestPodStatusClass(t *testing.T) {
	for status, want := range map[string]string{
		"Running": "st-running", "Completed": "st-done", "Pending": "st-pending", "ContainerCreating": "st-pending",
		"Init:0/1": "st-pending", "Init:CrashLoopBackOff": "st-failing", "CrashLoopBackOff": "st-failing",
		"Error": "st-failing", "Terminating": "st-terminating", "Unknown": "st-unknown", "ErrImagePull": "st-failing",
	} {
		if got := StatusClass(status); got != want {
			t.Errorf("%s: %s, want %s", status, got, want)
		}
	}
}
