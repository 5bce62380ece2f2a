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

// flag is one flag the way pflag declares it: a long name, an optional one-letter shorthand,
// and the field of a command's options that its value goes to. A command declares each of
// its flags once, on a flagSet, with a pointer to that field; it then reads the field, so a
// misspelt flag is a compile error rather than an empty value.
type flag struct {
	name, short string
	kind        flagKind
	// noOptDef is the value taken when the flag is given without `=` (`--cascade` alone means
	// background); bool flags take "true".
	noOptDef string
	// parse reads a value into the field.
	parse func(val string) error
	// changed tells whether the command line set the flag (pflag's Flag.Changed), for the
	// few commands to which an explicit default differs from none.
	changed bool
	// value is the flag's value as text: its default until the command line sets it.
	value string
	// removed marks a flag kubectl no longer has that kubetab accepts out of kindness to
	// learners (the book's `get -a`, `run --generator`): in strict mode it is unknown.
	removed bool
}

// removedFromKubectl marks the flag as one kubectl no longer has (flag.removed).
func (f *flag) removedFromKubectl() *flag {
	f.removed = true
	return f
}

// noOpt sets the value the flag takes when given without one.
func (f *flag) noOpt(val string) *flag {
	f.noOptDef = val
	return f
}

// displayName is how pflag names a flag in errors: `-n, --namespace` or `--replicas`.
func (f *flag) displayName() string {
	if f.short != "" {
		return "-" + f.short + ", --" + f.name
	}
	return "--" + f.name
}

// flagSet is the flags one command line may set: the command's own, then the global ones.
// Declaring a flag stores its default in the field.
type flagSet struct {
	flags []*flag
	// strict leaves out the flags kubectl no longer has (flag.removed).
	strict bool
	// given are the flags the command line set, each time in the order given, with the
	// value it gave (what --record writes into the change-cause).
	given []givenFlag
}

type givenFlag struct {
	f   *flag
	val string
}

func (s *flagSet) add(f *flag) *flag {
	s.flags = append(s.flags, f)
	return f
}

// lookup finds a flag by its long name; nil when the command has none of that name.
func (s *flagSet) lookup(name string) *flag {
	for _, f := range s.flags {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (s *flagSet) String(p *string, name, short, def string) *flag {
	*p = def
	return s.add(&flag{name: name, short: short, kind: stringFlag, value: def,
		parse: func(v string) error { *p = v; return nil }})
}

func (s *flagSet) Bool(p *bool, name, short string, def bool) *flag {
	*p = def
	return s.add(&flag{name: name, short: short, kind: boolFlag, value: strconv.FormatBool(def),
		parse: func(v string) error {
			b, err := strconv.ParseBool(v)
			*p = b
			return err
		}})
}

func (s *flagSet) Int(p *int, name, short string, def int) *flag {
	*p = def
	return s.add(&flag{name: name, short: short, kind: intFlag, value: strconv.Itoa(def),
		parse: func(v string) error {
			n, err := strconv.ParseInt(v, 0, 64)
			*p = int(n)
			return err
		}})
}

func (s *flagSet) Int64(p *int64, name, short string, def int64) *flag {
	*p = def
	return s.add(&flag{name: name, short: short, kind: intFlag, value: strconv.FormatInt(def, 10),
		parse: func(v string) error {
			n, err := strconv.ParseInt(v, 0, 64)
			*p = n
			return err
		}})
}

func (s *flagSet) Duration(p *time.Duration, name, short string, def time.Duration) *flag {
	*p = def
	return s.add(&flag{name: name, short: short, kind: durationFlag, value: def.String(),
		parse: func(v string) error {
			d, err := time.ParseDuration(v)
			*p = d
			return err
		}})
}

// StringSlice is a flag that may repeat and whose values also split on commas (`-L a,b`).
func (s *flagSet) StringSlice(p *[]string, name, short string) *flag {
	*p = nil
	return s.add(&flag{name: name, short: short, kind: sliceFlag,
		parse: func(v string) error { *p = append(*p, strings.Split(v, ",")...); return nil }})
}

// StringArray is a flag that may repeat, each value kept whole (`--env A=1,2`).
func (s *flagSet) StringArray(p *[]string, name, short string) *flag {
	*p = nil
	return s.add(&flag{name: name, short: short, kind: arrayFlag,
		parse: func(v string) error { *p = append(*p, v); return nil }})
}

// flagError is a command-line error kubectl reports with a pointer to --help.
type flagError struct{ msg string }

func (e *flagError) Error() string { return e.msg }

// parseFlags sets the flags of s from args and returns the positional arguments, pflag-style:
// flags may come anywhere, `--` ends them, `--x=v`, `--x v`, `-x v`, `-xv` and `-x=v` all set
// a value. Positional arguments after `--` are returned separately (`kubectl run ... -- args`).
func parseFlags(s *flagSet, args []string) (positional, afterDash []string, err error) {
	long := make(map[string]*flag, len(s.flags))
	short := map[string]*flag{}
	for _, f := range s.flags {
		if f.removed && s.strict {
			continue
		}
		long[f.name] = f
		if f.short != "" {
			short[f.short] = f
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
			f := long[name]
			if f == nil {
				return nil, nil, &flagError{fmt.Sprintf("unknown flag: --%s", name)}
			}
			if !hasVal {
				switch {
				case f.kind == boolFlag:
					val = "true"
				case f.noOptDef != "":
					val = f.noOptDef
				case i+1 < len(args):
					i++
					val = args[i]
				default:
					return nil, nil, &flagError{fmt.Sprintf("flag needs an argument: --%s", name)}
				}
			}
			if err := s.set(f, val); err != nil {
				return nil, nil, err
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			rest := a[1:]
			for len(rest) > 0 {
				c := rest[:1]
				f := short[c]
				if f == nil {
					return nil, nil, &flagError{fmt.Sprintf("unknown shorthand flag: %q in -%s", rune(c[0]), a[1:])}
				}
				rest = rest[1:]
				if f.kind == boolFlag {
					val := "true"
					if strings.HasPrefix(rest, "=") {
						val, rest = rest[1:], ""
					}
					if err := s.set(f, val); err != nil {
						return nil, nil, err
					}
					continue
				}
				var val string
				switch {
				case strings.HasPrefix(rest, "="):
					val = rest[1:]
				case rest != "":
					val = rest
				case f.noOptDef != "":
					val = f.noOptDef
				case i+1 < len(args):
					i++
					val = args[i]
				default:
					return nil, nil, &flagError{fmt.Sprintf("flag needs an argument: %q in -%s", rune(c[0]), a[1:])}
				}
				if err := s.set(f, val); err != nil {
					return nil, nil, err
				}
				rest = ""
			}
		default:
			positional = append(positional, a)
		}
	}
	return positional, afterDash, nil
}

// set gives f a value from the command line and notes that it was given.
func (s *flagSet) set(f *flag, val string) error {
	if err := f.set(val); err != nil {
		return err
	}
	s.given = append(s.given, givenFlag{f, val})
	return nil
}

// set gives the flag a value from the command line, with pflag's error for one its type
// cannot hold.
func (f *flag) set(val string) error {
	if err := f.parse(val); err != nil {
		return &flagError{fmt.Sprintf("invalid argument %q for %q flag: %v", val, f.displayName(), err)}
	}
	f.changed = true
	f.value = val
	return nil
}
