package kubelet

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// perl is the perl image. It runs one program, the Kubernetes docs' pi Job:
// `perl -Mbignum=bpi -wle 'print bpi(2000)'` prints π rounded to 2000 significant digits
// (Math::BigFloat's bpi) after a few seconds of virtual time and exits 0. The image's
// default command (the debugger without a terminal) exits 0 at once. Anything else is
// beyond kubetab: it says so on stderr and exits 2, as perl does for a usage error.
type perl struct {
	ctr     *Container
	started bool
	out     string // the line printed when done; "" for none
	code    int
	doneAt  time.Time
	exited  bool
}

// MaxPiDigits bounds bpi(N) so that a typo cannot hang the tab.
const MaxPiDigits = 10_000

var bpiScript = regexp.MustCompile(`^\s*print\s*\(?\s*bpi\s*\(\s*(\d+)\s*\)\s*\)?\s*;?\s*$`)

func isPerl(program string) bool { return program == "perl" || strings.HasPrefix(program, "perl5") }

func newPerl(ctr *Container) Program { return &perl{ctr: ctr} }

// perlScript finds the -e script and whether bpi was imported (-Mbignum=bpi,
// -Mbigrat=bpi, -MMath::BigFloat...).
func perlScript(argv []string) (script string, hasE, bpi bool) {
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		if strings.HasPrefix(a, "-M") || strings.HasPrefix(a, "-m") {
			bpi = bpi || strings.Contains(a, "bpi")
			continue
		}
		if strings.ContainsAny(a[1:], "eE") {
			if i+1 < len(argv) {
				script, hasE = argv[i+1], true
			}
			i++
		}
	}
	return script, hasE, bpi
}

func (p *perl) start() {
	now := p.ctr.StartedAt()
	argv := p.ctr.Argv
	script, hasE, bpi := perlScript(argv)
	switch m := bpiScript.FindStringSubmatch(script); {
	case len(argv) >= 2 && argv[1] == "-de0":
		p.doneAt = now
	case m != nil && bpi:
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > MaxPiDigits {
			p.out, p.code = "kubetab: bpi("+m[1]+") is beyond kubetab's perl (1 to "+strconv.Itoa(MaxPiDigits)+" digits)", 2
			p.doneAt = now
			return
		}
		p.out = piDigits(n)
		// Math::BigFloat takes seconds for 2000 digits; the work grows with the square.
		p.doneAt = now.Add(2*time.Second + time.Duration(n)*time.Duration(n)*time.Microsecond)
	case m != nil:
		p.out, p.code = `Undefined subroutine &main::bpi called at -e line 1.`, 255
		p.doneAt = now
	default:
		what := "this command"
		if hasE {
			what = "the script " + strconv.Quote(script)
		}
		p.out, p.code = "kubetab: the simulated perl only runs the Kubernetes docs' pi example (perl -Mbignum=bpi -wle 'print bpi(2000)'); it cannot run "+what, 2
		p.doneAt = now
	}
}

func (p *perl) Run(now time.Time) Result {
	if !p.started {
		p.started = true
		p.start()
	}
	if p.exited {
		return Result{Exited: true, ExitCode: p.code}
	}
	if now.Before(p.doneAt) {
		return Result{WakeAt: p.doneAt}
	}
	if p.out != "" {
		p.ctr.Log(p.doneAt, p.out)
	}
	p.exited = true
	return Result{Exited: true, ExitCode: p.code}
}

// Signal: perl installs no handler and runs as PID 1, and the kernel does not apply a
// default-action signal to a PID namespace's init: SIGTERM is ignored, and the kubelet's
// SIGKILL at the end of the grace period ends it (137).
func (p *perl) Signal(now time.Time, sig Signal) {}

func (p *perl) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }

// piDigits is π rounded to n significant digits, written as Math::BigFloat prints it
// ("3.14159" for 6). Machin's formula π = 16·atan(1/5) − 4·atan(1/239) in fixed point
// with guard digits; π being irrational, the rounding never meets a tie.
func piDigits(n int) string {
	const guard = 12
	prec := n + guard
	unity := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(prec)), nil)
	pi := new(big.Int).Mul(big.NewInt(16), arctanInv(5, unity))
	pi.Sub(pi, new(big.Int).Mul(big.NewInt(4), arctanInv(239, unity)))
	// pi ≈ π·10^prec; keep n-1 decimals, rounding half up.
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(prec-n+1)), nil)
	q, rem := new(big.Int).QuoRem(pi, div, new(big.Int))
	if rem.Mul(rem, big.NewInt(2)).Cmp(div) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	s := q.String()
	if len(s) == 1 {
		return s
	}
	return s[:1] + "." + s[1:]
}

// arctanInv is atan(1/x)·unity by its Taylor series.
func arctanInv(x int64, unity *big.Int) *big.Int {
	sum := new(big.Int)
	xx := big.NewInt(x * x)
	term := new(big.Int).Quo(unity, big.NewInt(x)) // unity / x^(2k+1)
	t := new(big.Int)
	for k := int64(0); term.Sign() != 0; k++ {
		t.Quo(term, big.NewInt(2*k+1))
		if k%2 == 0 {
			sum.Add(sum, t)
		} else {
			sum.Sub(sum, t)
		}
		term.Quo(term, xx)
	}
	return sum
}
