package main

import (
	"unicode/utf8"

	"github.com/kubetab/kubetab/app/internal/snapshot"
)

// podChips draws the cluster view's pods, one <li class="pod"> each, straight into the
// lists the view renders empty (<ul class="pods" id="pods-…">), keyed by pod rather than
// through go-app components. go-app matches children by position: a pod created in the
// middle of a sorted list, or bound from the pending lane to its node, re-rendered or
// re-mounted every chip after it, and mounting a thousand chips (each with its own event
// listeners) held the page for more than a second. Here a sync costs DOM work only for the
// pods that came, went, moved or changed. Clicks reach the chips through the cluster
// view's listener (clusterView.onPodClick); Enter and Space become clicks in chips.js.
//
// Chips show only text: names, statuses and owners are set as text and attributes, never
// as markup.
type podChips struct {
	dom   chipDOM
	chips map[string]*chip     // by namespace/name
	lists map[string]*chipList // by the list element's id
	gen   uint64               // counts syncs, to find the chips of pods that are gone
}

// chip is one pod's element and what it shows.
type chip struct {
	el       any
	view     snapshot.Pod
	selected bool
	list     *chipList // the list it is in; nil while in none
	seen     uint64
}

// chipList is one list element and the chips in it, in order.
type chipList struct {
	el   any
	keys []string
}

// podList is a list as the cluster view renders it: its element's id and its pods in order.
type podList struct {
	id   string
	pods []snapshot.Pod
}

// chipDOM is what podChips does to the document: in the browser through a script on the
// page (ui_pods_wasm.go), a fake in tests. A sync is framed by begin, with the ids of the
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
	remove(el any)
	// discard removes el for good: its pod is gone.
	discard(el any)
	// clear empties a list element that podChips did not fill (go-app made it anew or gave
	// it to another list).
	clear(container any)
}

func newPodChips(dom chipDOM) *podChips {
	return &podChips{dom: dom, chips: map[string]*chip{}, lists: map[string]*chipList{}}
}

func chipKey(p snapshot.Pod) string { return p.Namespace + "/" + p.Name }

// sync makes the lists show these pods, in this order, with sel highlighted. Lists whose
// element is not in the document are left for a later sync.
func (pc *podChips) sync(lists []podList, sel snapshot.Ref) {
	pc.gen++
	ids := make([]string, len(lists))
	for i, l := range lists {
		ids[i] = l.id
	}
	pc.dom.begin(ids)
	defer pc.dom.end()
	for _, l := range lists {
		for _, p := range l.pods {
			k := chipKey(p)
			selected := sel == snapshot.Ref{Kind: "Pod", Namespace: p.Namespace, Name: p.Name}
			c := pc.chips[k]
			if c == nil {
				c = &chip{el: pc.dom.newChip(k)}
				pc.chips[k] = c
				pc.dom.draw(c.el, p, selected)
			} else if c.view != p || c.selected != selected {
				pc.dom.draw(c.el, p, selected)
			}
			c.view, c.selected, c.seen = p, selected, pc.gen
		}
	}
	for k, c := range pc.chips {
		if c.seen != pc.gen {
			pc.dom.discard(c.el)
			delete(pc.chips, k)
		}
	}
	// A list the view no longer renders went with its element; its chips are free.
	wanted := make(map[string]bool, len(lists))
	for _, id := range ids {
		wanted[id] = true
	}
	for id, cl := range pc.lists {
		if !wanted[id] {
			pc.release(cl)
			delete(pc.lists, id)
		}
	}
	for _, l := range lists {
		pc.place(l)
	}
}

// release forgets which chips a list holds (they stay wherever the DOM has them until a
// list takes them).
func (pc *podChips) release(cl *chipList) {
	for _, k := range cl.keys {
		if c := pc.chips[k]; c != nil && c.list == cl {
			c.list = nil
		}
	}
	cl.keys, cl.el = nil, nil
}

// place makes one list element hold its chips in order: chips already there in the right
// order stay, others are inserted (moved from other lists) before the next one that stays,
// and the ones that belong elsewhere or nowhere leave.
func (pc *podChips) place(l podList) {
	el := pc.dom.container(l.id)
	if el == nil {
		if cl := pc.lists[l.id]; cl != nil {
			pc.release(cl)
			delete(pc.lists, l.id)
		}
		return
	}
	cl := pc.lists[l.id]
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
		pc.lists[l.id] = cl
	}
	keys := make([]string, len(l.pods))
	want := make(map[string]bool, len(l.pods))
	for i, p := range l.pods {
		keys[i] = chipKey(p)
		want[keys[i]] = true
	}
	// here tells whether cur's chip is still in this element and belongs here, in which
	// case it is a chip others can be inserted before.
	cur, j := cl.keys, 0
	placed := make(map[string]bool, len(keys))
	here := func(k string) bool {
		c := pc.chips[k]
		return c != nil && c.list == cl && want[k] && !placed[k]
	}
	for _, k := range keys {
		for j < len(cur) && !here(cur[j]) {
			j++
		}
		c := pc.chips[k]
		if j < len(cur) && cur[j] == k {
			j++
		} else {
			var before any
			if j < len(cur) {
				before = pc.chips[cur[j]].el
			}
			pc.dom.insert(el, c.el, before)
		}
		c.list = cl
		placed[k] = true
	}
	for _, k := range cur {
		if c := pc.chips[k]; c != nil && c.list == cl && !want[k] {
			pc.dom.remove(c.el)
			c.list = nil
		}
	}
	cl.keys = keys
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
