package kubectl

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// flagKind is the type of a flag's value, which decides how the parser reads it.
type flagKind int

const (
	boolFlag flagKind = iota
	stringFlag
	// arrayFlag may repeat (`-f a -f b`); sliceFlag also splits on commas (`-L a,b`).
	arrayFlag
	sliceFlag
	intFlag
	durationFlag
)

// flagSpec describes one flag the way pflag would: a long name, an optional one-letter
// shorthand, and, for string flags, the value taken when the flag is given without `=`
// (`--cascade` alone means background).
type flagSpec struct {
	name, short string
	kind        flagKind
	noOptDef    string
	def         string
}

// flagError is a command-line error kubectl reports with a pointer to --help.
type flagError struct{ msg string }

func (e *flagError) Error() string { return e.msg }

// flagValues holds what the command line set.
type flagValues struct {
	specs   map[string]*flagSpec
	values  map[string][]string
	changed map[string]bool
}

func (f *flagValues) isSet(name string) bool { return f.changed[name] }

func (f *flagValues) str(name string) string {
	if v := f.values[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	if s := f.specs[name]; s != nil {
		return s.def
	}
	return ""
}

func (f *flagValues) boolean(name string) bool {
	b, _ := strconv.ParseBool(f.str(name))
	return b
}

func (f *flagValues) list(name string) []string { return f.values[name] }

func (f *flagValues) integer(name string) int64 {
	n, _ := strconv.ParseInt(f.str(name), 10, 64)
	return n
}

func (f *flagValues) duration(name string) time.Duration {
	d, _ := time.ParseDuration(f.str(name))
	return d
}

// displayName is how pflag names a flag in errors: `-n, --namespace` or `--replicas`.
func (s *flagSpec) displayName() string {
	if s.short != "" {
		return "-" + s.short + ", --" + s.name
	}
	return "--" + s.name
}

// parseFlags splits args into flags and positional arguments, pflag-style: flags may come
// anywhere, `--` ends them, `--x=v`, `--x v`, `-x v`, `-xv` and `-x=v` all set a value.
// Positional arguments after `--` are returned separately (`kubectl run ... -- args`).
func parseFlags(specs []flagSpec, args []string) (fv *flagValues, positional, afterDash []string, err error) {
	fv = &flagValues{specs: map[string]*flagSpec{}, values: map[string][]string{}, changed: map[string]bool{}}
	short := map[string]*flagSpec{}
	for i := range specs {
		s := &specs[i]
		fv.specs[s.name] = s
		if s.short != "" {
			short[s.short] = s
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			afterDash = append(afterDash, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--") && len(a) > 2:
			name, val, hasVal := strings.Cut(a[2:], "=")
			s := fv.specs[name]
			if s == nil {
				return nil, nil, nil, &flagError{fmt.Sprintf("unknown flag: --%s", name)}
			}
			if !hasVal {
				switch {
				case s.kind == boolFlag:
					val = "true"
				case s.noOptDef != "":
					val = s.noOptDef
				case i+1 < len(args):
					i++
					val = args[i]
				default:
					return nil, nil, nil, &flagError{fmt.Sprintf("flag needs an argument: --%s", name)}
				}
			}
			if err := fv.set(s, val); err != nil {
				return nil, nil, nil, err
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			rest := a[1:]
			for len(rest) > 0 {
				c := rest[:1]
				s := short[c]
				if s == nil {
					return nil, nil, nil, &flagError{fmt.Sprintf("unknown shorthand flag: %q in -%s", rune(c[0]), a[1:])}
				}
				rest = rest[1:]
				if s.kind == boolFlag {
					val := "true"
					if strings.HasPrefix(rest, "=") {
						val, rest = rest[1:], ""
					}
					if err := fv.set(s, val); err != nil {
						return nil, nil, nil, err
					}
					continue
				}
				var val string
				switch {
				case strings.HasPrefix(rest, "="):
					val = rest[1:]
				case rest != "":
					val = rest
				case s.noOptDef != "":
					val = s.noOptDef
				case i+1 < len(args):
					i++
					val = args[i]
				default:
					return nil, nil, nil, &flagError{fmt.Sprintf("flag needs an argument: %q in -%s", rune(c[0]), a[1:])}
				}
				if err := fv.set(s, val); err != nil {
					return nil, nil, nil, err
				}
				rest = ""
			}
		default:
			positional = append(positional, a)
		}
	}
	return fv, positional, afterDash, nil
}

func (f *flagValues) set(s *flagSpec, val string) error {
	bad := func(err error) error {
		return &flagError{fmt.Sprintf("invalid argument %q for %q flag: %v", val, s.displayName(), err)}
	}
	switch s.kind {
	case boolFlag:
		if _, err := strconv.ParseBool(val); err != nil {
			return bad(err)
		}
	case intFlag:
		if _, err := strconv.ParseInt(val, 0, 64); err != nil {
			return bad(err)
		}
	case durationFlag:
		if _, err := time.ParseDuration(val); err != nil {
			return bad(err)
		}
	}
	f.changed[s.name] = true
	switch s.kind {
	case arrayFlag:
		f.values[s.name] = append(f.values[s.name], val)
	case sliceFlag:
		f.values[s.name] = append(f.values[s.name], strings.Split(val, ",")...)
	default:
		f.values[s.name] = []string{val}
	}
	return nil
}
