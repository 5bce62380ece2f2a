// Package bad uses, once each at least, everything the engine rules forbid. A line the
// rules must report says so in a want comment that names each rule it breaks.
package bad

import (
	crand "crypto/rand" // want "import crypto/rand"
	"fmt"
	"hash/maphash" // want "import hash/maphash"
	"io/ioutil"    // want "import io/ioutil"
	"log/slog"     // want "import log/slog"
	"math/rand"    // its members are checked below
	r2 "math/rand/v2"
	"net/http"      // want "import net/http"
	"os"            // want "import os"
	"os/exec"       // want "import os/exec"
	"path/filepath" // want "import path/filepath"
	"plugin"        // want "import plugin"
	"runtime"       // want "import runtime"
	t "time"
	_ "time/tzdata" // want "import time/tzdata"
	"unsafe"        // want "import unsafe"

	"github.com/robfig/cron/v3"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/apimachinery/pkg/util/wait" // want "import k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/clock"                // want "import k8s.io/utils/clock"
)

var (
	_ = crand.Reader
	_ maphash.Seed
	_ = ioutil.Discard
	_ = slog.Default
	_ = http.StatusOK
	_ = os.Args
	_ = exec.Command
	_ = filepath.Join
	_ = plugin.Open
	_ = runtime.GOOS
	_ = unsafe.Sizeof(0)
	_ = wait.Forever
	_ clock.Clock
)

func clockAndTimers() {
	_ = t.Now()                      // want "time.Now"
	now := t.Now                     // want "time.Now"
	_ = t.Since(now())               // want "time.Since"
	_ = t.Until(now())               // want "time.Until"
	t.Sleep(t.Second)                // want "time.Sleep"
	<-t.After(t.Second)              // want "time.After"
	t.AfterFunc(t.Second, func() {}) // want "time.AfterFunc"
	_ = t.Tick(t.Second)             // want "time.Tick"
	_ = t.NewTimer(t.Second)         // want "time.NewTimer"
	_ = t.NewTicker(t.Second)        // want "time.NewTicker"
	_ = metav1.Now()                 // want "k8s.io/apimachinery/pkg/apis/meta/v1.Now"
	_ = metav1.NowMicro()            // want "k8s.io/apimachinery/pkg/apis/meta/v1.NowMicro"
}

func hostZone() {
	_, _ = t.LoadLocation("Europe/Berlin")                  // want "time.LoadLocation"
	_ = t.Date(2026, 1, 1, 0, 0, 0, 0, t.Local)             // want "time.Local"
	_, _ = t.Parse(t.RFC3339, "2026-01-01T09:00:00+01:00")  // want "time.Parse"
	_ = t.Unix(0, 0)                                        // want "time.Unix"
	_ = t.UnixMilli(0).Add(t.Second)                        // want "time.UnixMilli"
	_ = t.UnixMicro(0)                                      // want "time.UnixMicro"
	_, _ = cron.ParseStandard("TZ=Europe/Berlin 0 9 * * *") // want "github.com/robfig/cron/v3.ParseStandard"
	_ = cron.NewParser(cron.Minute | cron.Hour)             // want "github.com/robfig/cron/v3.NewParser"
	_ = cron.New()                                          // want "github.com/robfig/cron/v3.New"
}

func globalRandom() {
	_ = rand.Intn(3)                 // want "math/rand.Intn"
	_ = r2.IntN(3)                   // want "math/rand/v2.IntN"
	r2.Shuffle(3, func(i, j int) {}) // want "math/rand/v2.Shuffle"
	_ = utilrand.String(5)           // want "k8s.io/apimachinery/pkg/util/rand.String"
}

func hostIO() {
	fmt.Println("hello")   // want "fmt.Println"
	fmt.Printf("%d\n", 1)  // want "fmt.Printf"
	fmt.Print("hello")     // want "fmt.Print"
	_, _ = fmt.Scan()      // want "fmt.Scan"
	_, _ = fmt.Scanf("%d") // want "fmt.Scanf"
	_, _ = fmt.Scanln()    // want "fmt.Scanln"
	go hostIO()            // want "go statement"
}
