package store

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// recordedEvent is an Event as the recorder writes one about a pod's container (and the
// API server stores it, its creationTimestamp in seconds).
func recordedEvent() *corev1.Event {
	at := metav1.NewTime(time.Date(2026, 1, 1, 9, 0, 3, 120_000_000, time.UTC))
	return &corev1.Event{
		TypeMeta: metav1.TypeMeta{Kind: "Event", APIVersion: "v1"},
		ObjectMeta: metav1.ObjectMeta{Name: "kubia-x7k2p.18868fd79cbef823", Namespace: "default",
			UID: "0f3c2a4e-9b1d-4c8e-a7f6-5d2e1b0c9a8f", ResourceVersion: "4711", CreationTimestamp: metav1.NewTime(at.Truncate(time.Second))},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "default", Name: "kubia-x7k2p",
			UID: "5e1a2b3c-4d5e-4f60-8172-839405a6b7c8", APIVersion: "v1", ResourceVersion: "4702", FieldPath: "spec.containers{kubia}"},
		Reason: "Pulling", Message: `Pulling image "luksa/kubia"`,
		Source:         corev1.EventSource{Component: "kubelet", Host: "kubetab-worker"},
		FirstTimestamp: at, LastTimestamp: at, Count: 1, Type: corev1.EventTypeNormal,
		ReportingController: "kubelet", ReportingInstance: "kubetab-worker",
	}
}

// roundTrip stores ev and reads it back, reporting whether it was kept packed.
func roundTrip(p *eventPacker, ev *corev1.Event) (*corev1.Event, bool) {
	v := p.packObject(ev)
	_, packed := v.(*packedEvent)
	return stored(v, ev.Name).(*corev1.Event), packed
}

func TestPackedEventReadsBackEqual(t *testing.T) {
	p := &eventPacker{}
	ev := recordedEvent()
	got, packed := roundTrip(p, ev)
	if !packed {
		t.Fatal("a recorder's event is not packed")
	}
	if !reflect.DeepEqual(got, ev) {
		t.Fatalf("read back\n%#v\nstored\n%#v", got, ev)
	}
	// A second event of the same shape shares it and the message.
	ev2 := recordedEvent()
	ev2.Name, ev2.Message = "kubia-x7k2p.18868fd79cbef824", strings.Clone(ev.Message)
	pe := p.packObject(ev2).(*packedEvent)
	first := p.packObject(ev).(*packedEvent)
	if len(p.shapes) != 1 || pe.shape != first.shape || unsafe.StringData(pe.message) != unsafe.StringData(first.message) {
		t.Fatalf("%d shapes: want one, shared with its message", len(p.shapes))
	}
}

// TestPackedEventKeepsEveryField sets each field of an Event in turn, and odd forms of the
// ones packed as numbers: what the store reads back is always what was stored, packed or not.
func TestPackedEventKeepsEveryField(t *testing.T) {
	p := &eventPacker{}
	berlin := time.FixedZone("CET", 3600)
	cases := map[string]func(ev *corev1.Event){
		"uid upper case":       func(ev *corev1.Event) { ev.UID = "0F3C2A4E-9B1D-4C8E-A7F6-5D2E1B0C9A8F" },
		"uid not a uuid":       func(ev *corev1.Event) { ev.UID = "my-uid" },
		"uid without dashes":   func(ev *corev1.Event) { ev.UID = "0f3c2a4e09b1d04c8e0a7f605d2e1b0c9a8f" },
		"uid empty":            func(ev *corev1.Event) { ev.UID = "" },
		"rv leading zero":      func(ev *corev1.Event) { ev.ResourceVersion = "04711" },
		"rv empty":             func(ev *corev1.Event) { ev.ResourceVersion = "" },
		"rv not a number":      func(ev *corev1.Event) { ev.ResourceVersion = "abc" },
		"name of its own":      func(ev *corev1.Event) { ev.Name = "my-event" },
		"name suffix upper":    func(ev *corev1.Event) { ev.Name = "kubia-x7k2p.18868FD79CBEF823" },
		"name suffix zero pad": func(ev *corev1.Event) { ev.Name = "kubia-x7k2p.0188" },
		"name of another":      func(ev *corev1.Event) { ev.Name = "kubia.18868fd79cbef823" },
		"involved name empty":  func(ev *corev1.Event) { ev.InvolvedObject.Name = ""; ev.Name = ".1" },
		"time elsewhere":       func(ev *corev1.Event) { ev.LastTimestamp = metav1.NewTime(ev.LastTimestamp.In(berlin)) },
		"time local zero":      func(ev *corev1.Event) { ev.FirstTimestamp = metav1.Time{Time: time.Time{}.In(berlin)} },
		"time zero":            func(ev *corev1.Event) { ev.CreationTimestamp = metav1.Time{} },
		"time far":             func(ev *corev1.Event) { ev.LastTimestamp = metav1.NewTime(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)) },
		"event time":           func(ev *corev1.Event) { ev.EventTime = metav1.NewMicroTime(ev.LastTimestamp.Time) },
		"empty labels":         func(ev *corev1.Event) { ev.Labels = map[string]string{} },
		"count zero":           func(ev *corev1.Event) { ev.Count = 0 },
		"involved rv empty":    func(ev *corev1.Event) { ev.InvolvedObject.ResourceVersion = "" },
		"involved rv zero pad": func(ev *corev1.Event) { ev.InvolvedObject.ResourceVersion = "04702" },
	}
	// Every field, set to a value of its type.
	var walk func(path string, typ reflect.Type, set func(ev *corev1.Event) reflect.Value)
	walk = func(path string, typ reflect.Type, at func(ev *corev1.Event) reflect.Value) {
		switch {
		case typ == reflect.TypeOf(metav1.Time{}) || typ == reflect.TypeOf(metav1.MicroTime{}):
			cases[path] = func(ev *corev1.Event) {
				v := at(ev)
				v.Field(0).Set(reflect.ValueOf(time.Date(2027, 2, 3, 4, 5, 6, 7000, time.UTC)))
			}
			return
		case typ.Kind() == reflect.Struct:
			for i := range typ.NumField() {
				f := typ.Field(i)
				if !f.IsExported() {
					continue
				}
				walk(path+"."+f.Name, f.Type, func(ev *corev1.Event) reflect.Value { return at(ev).Field(i) })
			}
			return
		case typ.Kind() == reflect.Pointer:
			cases[path] = func(ev *corev1.Event) { at(ev).Set(reflect.New(typ.Elem())) }
			walk(path+"*", typ.Elem(), func(ev *corev1.Event) reflect.Value {
				v := at(ev)
				if v.IsNil() {
					v.Set(reflect.New(typ.Elem()))
				}
				return v.Elem()
			})
			return
		}
		cases[path] = func(ev *corev1.Event) {
			v := at(ev)
			switch typ.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Int32, reflect.Int64:
				v.SetInt(v.Int() + 7)
			case reflect.Bool:
				v.SetBool(true)
			case reflect.Map:
				v.Set(reflect.MakeMap(typ))
			case reflect.Slice:
				v.Set(reflect.MakeSlice(typ, 1, 1))
			default:
				t.Fatalf("%s: a field of kind %s the test does not set", path, typ.Kind())
			}
		}
	}
	walk("Event", reflect.TypeOf(corev1.Event{}), func(ev *corev1.Event) reflect.Value { return reflect.ValueOf(ev).Elem() })
	if len(cases) < 50 {
		t.Fatalf("only %d cases: the walk missed fields", len(cases))
	}
	packedCount := 0
	for name, change := range cases {
		ev := recordedEvent()
		change(ev)
		got, packed := roundTrip(p, ev)
		if packed {
			packedCount++
		}
		if !reflect.DeepEqual(got, ev) {
			t.Errorf("%s (packed %v): read back\n%#v\nstored\n%#v", name, packed, got, ev)
		}
	}
	if packedCount == 0 {
		t.Error("no variant was packed")
	}
}

// EventLastTimestamp reads a packed event's lastTimestamp and an unpacked one's alike.
func TestEventLastTimestamp(t *testing.T) {
	s, w := New()
	s.PackEventsFrom = 0
	events := eventsResource
	packed, repeated := recordedEvent(), recordedEvent()
	repeated.Name, repeated.Count = "kubia-x7k2p.1", 2
	repeated.LastTimestamp = metav1.NewTime(repeated.LastTimestamp.Add(time.Minute))
	for _, ev := range []*corev1.Event{packed, repeated} {
		if err := w.Insert(events, ev); err != nil {
			t.Fatal(err)
		}
		got, ok := s.EventLastTimestamp(ev.Namespace, []byte(ev.Name))
		if !ok || !got.Equal(ev.LastTimestamp.Time) {
			t.Errorf("%s: %v %v, want %v", ev.Name, got, ok, ev.LastTimestamp)
		}
	}
	if _, ok := s.EventLastTimestamp("default", []byte("gone")); ok {
		t.Error("a missing event has a lastTimestamp")
	}
}

// packUint takes exactly the strings that strconv.FormatUint gives back.
func TestPackUintCanonical(t *testing.T) {
	for _, base := range []int{10, 16} {
		for _, s := range []string{"", "0", "00", "01", "1", "4711", "+1", "-1", "1_000", " 1", "1 ",
			"a", "A", "ff", "FF", "0x1f", "18868fd79cbef823", "18868FD79CBEF823", "ffffffffffffffff",
			"10000000000000000", "18446744073709551615", "18446744073709551616", "99999999999999999999", "g"} {
			n, err := strconv.ParseUint(s, base, 64)
			want := err == nil && strconv.FormatUint(n, base) == s
			got, ok := packUint(s, base)
			if ok != want || ok && got != n {
				t.Errorf("packUint(%q, %d) = %d, %v; want %v", s, base, got, ok, want)
			}
		}
	}
}

// An event packs when its firstTimestamp is its lastTimestamp and its creationTimestamp that
// truncated to the second, as the recorder's first write of an event has them, before 1970
// too; other times keep it unpacked, and every one reads back as stored.
func TestPackedEventTimes(t *testing.T) {
	p := &eventPacker{}
	at := func(ev *corev1.Event, last time.Time) {
		ev.FirstTimestamp, ev.LastTimestamp = metav1.NewTime(last), metav1.NewTime(last)
		ev.CreationTimestamp = metav1.NewTime(last.Truncate(time.Second))
	}
	cases := []struct {
		name   string
		change func(ev *corev1.Event)
		packed bool
	}{
		{"recorded", func(ev *corev1.Event) {}, true},
		{"before 1970", func(ev *corev1.Event) { at(ev, time.Date(1969, 12, 31, 23, 59, 58, 700_000_000, time.UTC)) }, true},
		{"at a second", func(ev *corev1.Event) { at(ev, time.Date(2026, 1, 1, 9, 0, 3, 0, time.UTC)) }, true},
		{"all zero", func(ev *corev1.Event) { at(ev, time.Time{}) }, true},
		{"first earlier", func(ev *corev1.Event) { ev.FirstTimestamp = metav1.NewTime(ev.FirstTimestamp.Add(-time.Second)) }, false},
		{"created with nanos", func(ev *corev1.Event) { ev.CreationTimestamp = ev.LastTimestamp }, false},
		{"created a second later", func(ev *corev1.Event) {
			ev.CreationTimestamp = metav1.NewTime(ev.CreationTimestamp.Add(time.Second))
		}, false},
	}
	for _, c := range cases {
		ev := recordedEvent()
		c.change(ev)
		got, packed := roundTrip(p, ev)
		if packed != c.packed || !reflect.DeepEqual(got, ev) {
			t.Errorf("%s: packed %v, want %v; read back\n%#v\nstored\n%#v", c.name, packed, c.packed, got, ev)
		}
	}
}
