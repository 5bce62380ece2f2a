//go:build !wasm

// A throwaway explorer: open pages in headless Chromium, run JS, take screenshots.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8099/", "")
	w := flag.Int("w", 1280, "")
	h := flag.Int("h", 900, "")
	out := flag.String("out", "/tmp/shot.png", "")
	script := flag.String("js", "", "JS steps separated by ;; (each awaited)")
	profile := flag.String("profile", "", "")
	dark := flag.Bool("dark", false, "")
	flag.Parse()
	if *profile == "" {
		*profile, _ = os.MkdirTemp("", "prof")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(*profile), chromedp.WindowSize(*w, *h),
	}
	actx, c1 := chromedp.NewExecAllocator(context.Background(), opts...)
	defer c1()
	ctx, c2 := chromedp.NewContext(actx)
	defer c2()
	chromedp.Do(ctx)
	ctx, c3 := context.WithTimeout(ctx, 300*time.Second)
	defer c3()
	scheme := "light"
	if *dark {
		scheme = "dark"
	}
	if err := chromedp.Do(ctx, chromedp.Steps(
		chromedp.EmulateViewport(int64(*w), int64(*h)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}),
		chromedp.Navigate(*url),
	)); err != nil {
		fmt.Println("nav:", err)
		return
	}
	chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => { const w = () => window.kubetab ? window.kubetab.ready.then(() => r(true)) : setTimeout(w, 10); w(); })`, chromedp.EvalAwaitPromise))
	time.Sleep(1500 * time.Millisecond)
	for _, step := range strings.Split(*script, ";;") {
		step = strings.TrimSpace(step)
		switch {
		case step == "":
		case strings.HasPrefix(step, "sleep "):
			d, _ := time.ParseDuration(strings.TrimPrefix(step, "sleep "))
			time.Sleep(d)
		case strings.HasPrefix(step, "shot "):
			buf, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			os.WriteFile(strings.TrimPrefix(step, "shot "), buf, 0o644)
		case strings.HasPrefix(step, "tab "):
			n, _ := strconv.Atoi(strings.TrimPrefix(step, "tab "))
			for range n {
				chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab))
			}
		case step == "enter":
			chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter))
		case strings.HasPrefix(step, "key "):
			err := chromedp.Do(ctx, chromedp.KeyEvent(strings.TrimPrefix(step, "key ")))
			fmt.Println("key", err)
		default:
			res, err := chromedp.Run(ctx, chromedp.Evaluate[any](step, chromedp.EvalAwaitPromise))
			fmt.Printf("> %.100s\n  = %.2000v %v\n", step, res, err)
		}
	}
	buf, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	os.WriteFile(*out, buf, 0o644)
}
