package kubelet

import (
	"hash/fnv"
	"strconv"
	"strings"
	"time"
)

// fortuneLoop is the book's chapter 6 and 7 images, luksa/fortune, luksa/fortune:args and
// luksa/fortune:env: fortuneloop.sh, a bash loop as PID 1 (a trap for SIGINT only, so
// SIGTERM is ignored and the container is killed at the end of its grace period):
//
//	echo Configured to generate new fortune every $INTERVAL seconds
//	mkdir -p /var/htdocs
//	while :; do
//	  echo $(date) Writing fortune to /var/htdocs/index.html
//	  /usr/games/fortune > /var/htdocs/index.html
//	  sleep $INTERVAL
//	done
//
// :args takes INTERVAL from its first argument (the image's CMD is 10), :env from the
// environment; the plain image is :args's loop with its CMD. An INTERVAL that sleep does
// not take makes the real loop spin as fast as it can, with sleep's error on every turn;
// kubetab runs such a loop once a second.
type fortuneLoop struct {
	ctr      *Container
	interval string
	every    time.Duration
	turns    int // turns of the loop run so far
	started  bool
}

func newFortune(ctr *Container) Program {
	f := &fortuneLoop{ctr: ctr}
	if ctr.Image().Tag == "env" {
		f.interval = ctr.Env()["INTERVAL"]
	} else if len(ctr.Argv) > 1 {
		f.interval = ctr.Argv[1]
	}
	f.every = time.Second
	if f.sleepError() == nil {
		// `sleep $INTERVAL` is unquoted: its words are the operands, and sleep sums them.
		var total float64
		for _, w := range strings.Fields(f.interval) {
			n, _ := strconv.ParseFloat(w, 64)
			total += n
		}
		f.every = time.Duration(total * float64(time.Second))
	}
	return f
}

// sleepError is what coreutils sleep says of operands it cannot take, or nil.
func (f *fortuneLoop) sleepError() []string {
	words := strings.Fields(f.interval)
	if len(words) == 0 {
		return []string{"sleep: missing operand", "Try 'sleep --help' for more information."}
	}
	for _, w := range words {
		if n, err := strconv.ParseFloat(w, 64); err != nil || n < 0 {
			return []string{"sleep: invalid time interval '" + w + "'", "Try 'sleep --help' for more information."}
		}
	}
	return nil
}

func (f *fortuneLoop) Run(now time.Time) Result {
	start := f.ctr.StartedAt()
	fs := f.ctr.FS()
	if !f.started {
		f.started = true
		// echo's unquoted words: an empty INTERVAL leaves no double space.
		f.ctr.Log(start, strings.Join(strings.Fields("Configured to generate new fortune every "+f.interval+" seconds"), " "))
		_ = fs.MkdirAll("/var/htdocs")
	}
	for {
		at := start.Add(time.Duration(f.turns) * f.every)
		if at.After(now) {
			return Result{WakeAt: at}
		}
		f.ctr.Log(at, strings.Join(strings.Fields(busyboxDate(at)), " ")+" Writing fortune to /var/htdocs/index.html")
		_ = fs.WriteFile("/var/htdocs/index.html", f.fortune(f.turns))
		_ = fs.SetModTime("/var/htdocs/index.html", at)
		for _, l := range f.sleepError() {
			f.ctr.Log(at, l)
		}
		f.turns++
		if f.every == 0 {
			// `sleep 0` returns at once: the loop would spin without time passing.
			f.every = time.Second
		}
	}
}

func (f *fortuneLoop) Signal(time.Time, Signal) {}

func (f *fortuneLoop) ServeHTTP(time.Time, *Request) (Response, bool) { return Response{}, false }

// fortune is the n-th fortune the pod writes: the real program picks one at random; kubetab
// picks one from the pod's uid and the turn, so that reruns agree.
func (f *fortuneLoop) fortune(n int) string {
	h := fnv.New32a()
	h.Write([]byte(f.ctr.Pod().UID))
	h.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16)})
	return fortunes[h.Sum32()%uint32(len(fortunes))] + "\n"
}

// fortunes are old sayings in the spirit of the fortune database.
var fortunes = []string{
	"A journey of a thousand miles begins with a single step.",
	"Fortune favors the bold.",
	"The early bird catches the worm.",
	"You will be successful in your work.",
	"Look before you leap.",
	"A watched pot never boils.",
	"Don't count your chickens before they hatch.",
	"Every cloud has a silver lining.",
	"Many hands make light work.",
	"Actions speak louder than words.",
	"Where there's a will, there's a way.",
	"Better late than never.",
	"Practice makes perfect.",
	"Rome wasn't built in a day.",
	"Time and tide wait for no man.",
	"You will soon be in a position to help someone.",
}
