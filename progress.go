package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a progress bar on a terminal stream (stderr), redrawn at
// most ten times a second.
type progress struct {
	w     io.Writer
	label string
	total int
	last  time.Time
	start time.Time
}

func newProgress(w io.Writer, label string, total int) *progress {
	return &progress{w: w, label: label, total: total, start: time.Now()}
}

// Set reports that done of total items are finished.
func (p *progress) Set(done, total int) {
	if total > 0 {
		p.total = total
	}
	if time.Since(p.last) < 100*time.Millisecond && done < p.total {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := 1.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %3.0f%%", p.label, strings.Repeat("#", n), strings.Repeat(".", width-n), done, p.total, frac*100)
}

// Done ends the bar with the elapsed time.
func (p *progress) Done() {
	p.Set(p.total, p.total)
	fmt.Fprintf(p.w, " in %s\n", time.Since(p.start).Round(time.Millisecond))
}
