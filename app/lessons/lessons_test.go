package lessons

import (
	"reflect"
	"testing"
)

func TestTracks(t *testing.T) {
	a := Info{Name: "01-a", Title: "A", Track: "Book"}
	b := Info{Name: "02-b", Title: "B"}
	c := Info{Name: "basics-1", Title: "C", Track: "Basics"}
	d := Info{Name: "basics-2", Title: "D", Track: "Basics"}
	e := Info{Name: "x", Title: "E", Track: "Book"}
	got := Tracks([]Info{a, b, c, d, e})
	want := []Track{{"Book", []Info{a, e}}, {"", []Info{b}}, {"Basics", []Info{c, d}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if Tracks(nil) != nil {
		t.Error("no lessons, no tracks")
	}
}
