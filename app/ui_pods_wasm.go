//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
)

// jsChipDOM is chipDOM through window.kubetabChips (public/web/chips.js): a sync costs two
// calls into the page, one to number the list elements and one with all its changes.
type jsChipDOM struct {
	api     js.Value
	numbers map[string]int // list id → its element's number, for this sync
	ops     []any
}

// jsList is a list element as jsChipDOM names it.
type jsList struct {
	id     string
	number int
}

// jsChipView is what a chip shows (the "d" operation).
type jsChipView struct {
	ClassName string `json:"className"`
	Pressed   string `json:"pressed"`
	Label     string `json:"label"`
	Title     string `json:"title"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Status    string `json:"status"`
	Owner     string `json:"owner"`
	Ready     string `json:"ready"`
	Restarts  string `json:"restarts"`
}

func newChipDOM() chipDOM {
	api := js.Global().Get("kubetabChips")
	if api.Type() != js.TypeObject {
		return nil
	}
	return &jsChipDOM{api: api}
}

func (d *jsChipDOM) begin(ids []string) {
	b, _ := json.Marshal(ids)
	var numbers []int
	json.Unmarshal([]byte(d.api.Call("lists", string(b)).String()), &numbers)
	d.numbers = make(map[string]int, len(ids))
	for i, id := range ids {
		if i < len(numbers) {
			d.numbers[id] = numbers[i]
		}
	}
}

func (d *jsChipDOM) end() {
	if len(d.ops) > 0 {
		b, _ := json.Marshal(d.ops)
		d.api.Call("apply", string(b))
	}
	d.ops = d.ops[:0]
}

func (d *jsChipDOM) op(args ...any) { d.ops = append(d.ops, args) }

func (d *jsChipDOM) container(id string) any {
	if n := d.numbers[id]; n != 0 {
		return jsList{id: id, number: n}
	}
	return nil
}

func (d *jsChipDOM) same(a, b any) bool { return a.(jsList).number == b.(jsList).number }

func (d *jsChipDOM) newChip(key string) any {
	d.op("n", key)
	return key
}

func (d *jsChipDOM) draw(el any, p podView, selected bool) {
	v := jsChipView{ClassName: "pod " + podStatusClass(p.Status), Pressed: "false", Label: podChipLabel(p), Title: podChipTitle(p),
		Name: p.Name, Namespace: p.Namespace, Status: p.Status, Owner: p.Owner, Ready: p.Ready, Restarts: p.Restarts}
	if selected {
		v.ClassName += " selected"
		v.Pressed = "true"
	}
	d.op("d", el, v)
}

func (d *jsChipDOM) insert(container, el, before any) {
	next := ""
	if before != nil {
		next = before.(string)
	}
	d.op("i", container.(jsList).id, el, next)
}

func (d *jsChipDOM) remove(el any)       { d.op("r", el) }
func (d *jsChipDOM) discard(el any)      { d.op("x", el) }
func (d *jsChipDOM) clear(container any) { d.op("c", container.(jsList).id) }
