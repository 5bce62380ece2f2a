//go:build js && wasm

package podchips

import (
	"encoding/json"
	"syscall/js"

	"github.com/kubetab/kubetab/app/snapshot"
)

// jsChipDOM is chipDOM through window.kubetabChips (public/web/chips.js): a sync costs two
// calls into the page, one to number the list elements and one with all its changes, a
// JSON list of operations written here without reflection (a thousand chips' worth took
// encoding/json as long as the page took to draw them).
type jsChipDOM struct {
	api     js.Value
	numbers map[string]int // list id → its element's number, for this sync
	ops     []byte         // the operations so far, a JSON array being written
}

// jsList is a list element as jsChipDOM names it.
type jsList struct {
	id     string
	number int
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
	d.ops = append(d.ops[:0], '[')
}

func (d *jsChipDOM) end() {
	if len(d.ops) > 1 {
		d.ops = append(d.ops, ']')
		d.api.Call("apply", string(d.ops))
	}
	d.ops = d.ops[:0]
}

// op appends an operation: its name and string arguments.
func (d *jsChipDOM) op(name string, args ...string) {
	if len(d.ops) > 1 {
		d.ops = append(d.ops, ',')
	}
	d.ops = append(d.ops, '[', '"')
	d.ops = append(d.ops, name...)
	d.ops = append(d.ops, '"')
	for _, a := range args {
		d.ops = append(d.ops, ',')
		d.ops = appendJSONString(d.ops, a)
	}
	d.ops = append(d.ops, ']')
}

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

// draw sends what the chip shows, in the order chips.js's "d" takes it.
func (d *jsChipDOM) draw(el any, p snapshot.Pod, selected bool) {
	className, pressed := "pod "+StatusClass(p.Status), "false"
	if selected {
		className += " selected"
		pressed = "true"
	}
	d.op("d", el.(string), className, pressed, chipTitle(p), p.Name, p.Namespace, p.Status, p.Owner, p.Ready, p.Restarts)
}

func (d *jsChipDOM) insert(container, el, before any) {
	next := ""
	if before != nil {
		next = before.(string)
	}
	d.op("i", container.(jsList).id, el.(string), next)
}

func (d *jsChipDOM) discard(el any)      { d.op("x", el.(string)) }
func (d *jsChipDOM) clear(container any) { d.op("c", container.(jsList).id) }
