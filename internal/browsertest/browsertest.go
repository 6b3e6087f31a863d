// Package browsertest starts Debian's headless Chromium for the tests of
// the pages people look at, with the flags every such test wants, and
// skips the test where no Chromium is installed or in short mode.
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser (the
// one .ci/run installs).
const ChromiumPath = "/usr/bin/chromium"

// Start starts a headless Chromium that lives until the test ends and
// returns the context of its first tab; chromedp.NewContext on it opens
// more tabs of the same browser. extra adds flags (such as the browser's
// language). It skips the test when Chromium is not installed or -short is
// set.
func Start(tb testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		tb.Skipf("%s not installed", ChromiumPath)
	}
	if testing.Short() {
		tb.Skip("skipping browser test in short mode")
	}
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(tb.TempDir()),
	}, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	tb.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(browser); err != nil {
		tb.Fatalf("chromium does not start: %v", err)
	}
	return browser
}
