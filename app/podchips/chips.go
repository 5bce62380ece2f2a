package podchips

import (
	"strings"
	"unicode/utf8"

	"github.com/kubetab/kubetab/app/snapshot"
)

// Chips draws the cluster view's pods, one <li><button class="pod"> each, straight into the
// lists the view renders empty (<ul class="pods" id="pods-…">), keyed by pod rather than
// through go-app components. go-app matches children by position: a pod created in the
// middle of a sorted list, or bound from the pending lane to its node, re-rendered or
// re-mounted every chip after it, and mounting a thousand chips (each with its own event
// listeners) held the page for more than a second. Here a sync costs DOM work only for the
// pods that came, went, moved or changed. Clicks reach the chips through the cluster
// view's listener (app/ui's clusterView.onPodClick); being buttons, they take Enter and Space.
//
// Chips show only text: names, statuses and owners are set as text and attributes, never
// as markup.
type Chips struct {
	dom   chipDOM
	chips map[string]*chip     // by namespace/name
	lists map[string]*chipList // by the list element's id
	gen   uint64               // counts syncs, to find the chips of pods that are gone
	sel   snapshot.Ref         // the selection the last sync drew
}

// chip is one pod's element and what it shows.
type chip struct {
	el       any
	view     snapshot.Pod
	selected bool
	list     *chipList // the list it is in; nil while in none
	idx      int       // its place in list
	// seen is the last sync that found its pod, in the list target; placed, the last
	// sync that put it in place.
	seen, placed uint64
	target       *chipList
}

// chipList is one list element and the chips in it, in order.
type chipList struct {
	el    any
	chips []*chip
	// pods is the slice it was last placed from, and kept the last sync that found it
	// given again (see Sync).
	pods []snapshot.Pod
	kept uint64
}

// List is a list as the cluster view renders it: its element's id and its pods in order.
type List struct {
	ID   string
	Pods []snapshot.Pod
}

// chipDOM is what Chips does to the document: in the browser through a script on the
// page (dom_wasm.go), a fake in tests. A sync is framed by begin, with the ids of the
// lists it may look up, and end, by which its changes must be in the document.
type chipDOM interface {
	begin(listIDs []string)
	end()
	// container returns the element with this id, or nil.
	container(id string) any
	same(a, b any) bool
	// newChip makes the element of the pod with this key (chipKey).
	newChip(key string) any
	// draw makes a chip show p, selected or not.
	draw(el any, p snapshot.Pod, selected bool)
	// insert puts el into container before before (at the end for nil), taking it from
	// wherever it was.
	insert(container, el, before any)
	// discard removes el for good: its pod is gone, or in no list shown.
	discard(el any)
	// clear empties a list element that Chips did not fill (go-app made it anew or gave
	// it to another list).
	clear(container any)
}

// New returns the chips of the page's document, or nil where there is none (natively, or a
// page without chips.js).
func New() *Chips {
	dom := newChipDOM()
	if dom == nil {
		return nil
	}
	return newChips(dom)
}

func newChips(dom chipDOM) *Chips {
	return &Chips{dom: dom, chips: map[string]*chip{}, lists: map[string]*chipList{}}
}

func chipKey(p snapshot.Pod) string { return p.Namespace + "/" + p.Name }

// Sync makes the lists show these pods, in this order, with sel highlighted. Lists whose
// element is not in the document are left for a later sync. A list costs the chips of the
// pods that came, went, moved or changed in it (a burst changes a few pods of each node
// per frame): its chips are matched with its pods in order, and only a pod out of place is
// looked up by its key. One given with the very slice of pods it was given last time (the
// snapshot hands on the lists that did not change) costs nothing; a caller must not
// change a slice it gave.
func (pc *Chips) Sync(lists []List, sel snapshot.Ref) {
	pc.gen++
	ids := make([]string, len(lists))
	wanted := make(map[string]bool, len(lists))
	for i, l := range lists {
		ids[i] = l.ID
		wanted[l.ID] = true
	}
	pc.dom.begin(ids)
	defer pc.dom.end()
	redraw := sel != pc.sel
	pc.sel = sel
	// A list the view no longer renders went with its element; its chips are free.
	for id, cl := range pc.lists {
		if !wanted[id] {
			pc.release(cl)
			delete(pc.lists, id)
		}
	}
	want := 0
	for _, l := range lists {
		el := pc.dom.container(l.ID)
		if el == nil {
			if cl := pc.lists[l.ID]; cl != nil {
				pc.release(cl)
				delete(pc.lists, l.ID)
			}
			continue
		}
		want += len(l.Pods)
		if redraw || !pc.keep(l, el) {
			pc.place(l, el, sel)
		}
	}
	// Only when there are more chips than pods are some pods gone.
	if len(pc.chips) > want {
		for k, c := range pc.chips {
			if c.seen != pc.gen && (c.list == nil || c.list.kept != pc.gen) {
				pc.dom.discard(c.el)
				delete(pc.chips, k)
			}
		}
	}
}

// keep tells whether a list is given with the very slice of pods it was placed from last
// time, in the element it filled.
func (pc *Chips) keep(l List, el any) bool {
	cl := pc.lists[l.ID]
	if cl == nil || cl.el == nil || len(cl.pods) != len(l.Pods) || len(l.Pods) > 0 && &cl.pods[0] != &l.Pods[0] || !pc.dom.same(cl.el, el) {
		return false
	}
	cl.kept = pc.gen
	return true
}

// release forgets which chips a list holds (they stay wherever the DOM has them until a
// list takes them).
func (pc *Chips) release(cl *chipList) {
	for _, c := range cl.chips {
		if c.list == cl {
			c.list = nil
		}
	}
	cl.chips, cl.el, cl.pods = nil, nil, nil
}

// place makes one list element hold its pods' chips in order, drawing those whose pod
// changed: chips already there in the right order stay, others are inserted (moved from
// other lists) before the next one that stays. The ones that belong elsewhere leave when
// their list takes them, those of pods gone or in no list shown when Sync discards them.
func (pc *Chips) place(l List, el any, sel snapshot.Ref) {
	cl := pc.lists[l.ID]
	if cl == nil || cl.el == nil || !pc.dom.same(cl.el, el) {
		// An element this list never filled: go-app made it, or reused another list's
		// element for this one (it matches node cards by position too).
		for _, other := range pc.lists {
			if other.el != nil && pc.dom.same(other.el, el) {
				pc.release(other)
			}
		}
		if cl != nil {
			pc.release(cl)
		}
		pc.dom.clear(el)
		cl = &chipList{el: el}
		pc.lists[l.ID] = cl
	}
	// Each pod's chip: the list's next one when it shows the pod, else looked up by key
	// (a pod new here, or further on: the list goes on from there).
	cur := cl.chips
	chips := make([]*chip, len(l.Pods))
	next := 0
	for i, p := range l.Pods {
		var c *chip
		if next < len(cur) && cur[next].list == cl && cur[next].view.Name == p.Name && cur[next].view.Namespace == p.Namespace {
			c = cur[next]
			next++
		} else {
			k := chipKey(p)
			if c = pc.chips[k]; c == nil {
				c = &chip{el: pc.dom.newChip(k)}
				pc.chips[k] = c // drawn below: it shows no pod yet
			} else if c.list == cl && c.idx >= next && c.idx < len(cur) && cur[c.idx] == c {
				next = c.idx + 1
			}
		}
		selected := sel.Kind == "Pod" && sel.Namespace == p.Namespace && sel.Name == p.Name
		if c.view != p || c.selected != selected {
			pc.dom.draw(c.el, p, selected)
		}
		c.view, c.selected, c.seen, c.target = p, selected, pc.gen, cl
		chips[i] = c
	}
	// here tells whether a chip of the list is still in its element and belongs there, in
	// which case it is a chip others can be inserted before.
	here := func(c *chip) bool {
		return c.list == cl && c.target == cl && c.seen == pc.gen && c.placed != pc.gen
	}
	j := 0
	for _, c := range chips {
		for j < len(cur) && !here(cur[j]) {
			j++
		}
		if j < len(cur) && cur[j] == c {
			j++
		} else {
			var before any
			if j < len(cur) {
				before = cur[j].el
			}
			pc.dom.insert(el, c.el, before)
		}
		c.list, c.placed = cl, pc.gen
	}
	for i, c := range chips {
		c.idx = i
	}
	cl.chips, cl.pods = chips, l.Pods
}

// StatusClass maps a STATUS cell to a colour class. STATUS is what kubectl prints, so
// the class follows its families: running, done, waiting, failing, going away, unknown.
func StatusClass(status string) string {
	switch {
	case status == "Running":
		return "st-running"
	case status == "Completed" || status == "Succeeded":
		return "st-done"
	case status == "Terminating":
		return "st-terminating"
	case status == "Unknown" || status == "NodeLost":
		return "st-unknown"
	case status == "Pending" || status == "ContainerCreating" || status == "PodInitializing" || strings.HasPrefix(status, "Init:") && !strings.Contains(status, "BackOff") && !strings.Contains(status, "Error"):
		return "st-pending"
	}
	return "st-failing" // CrashLoopBackOff, Error, ErrImagePull, ImagePullBackOff, OOMKilled, Evicted, ...
}

// chipTitle is a pod chip's tooltip: what its text (its accessible name) leaves out.
func chipTitle(p snapshot.Pod) string {
	t := "pod " + p.Namespace + "/" + p.Name + " · " + p.Status + " · ready " + p.Ready + " · restarts " + p.Restarts
	if p.Owner != "" {
		t += " · owned by " + p.Owner
	}
	return t
}

// appendJSONString appends s as a JSON string: quotes, backslashes and control characters
// escaped; invalid UTF-8 becomes U+FFFD, as encoding/json makes it.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
