package insights

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"estafette/content"
)

// The charts are drawn here as SVG text: no script, no external asset. Each
// SVG has role="img" with a <title> and a <desc> that screen readers read;
// the numbers are also in the data table next to the chart. Colours are
// never the only carrier of meaning: bars carry their numbers and legends
// their names, and every fill has a contrast of at least 3:1 against white
// (WCAG 1.4.11), text on fills at least 4.5:1.

// Colours of the charts.
const (
	colorText   = "#1a1a1a"
	colorMuted  = "#595959" // 7:1 on white
	colorGrid   = "#d0d0d0"
	colorAxis   = "#6b6b6b"
	colorGrey   = "#6e6e6e" // unknown; 5.1:1 on white, white text 5.1:1
	colorFaded  = "#c9d3e3" // other editions on a year page; dark text on it
	colorHeatLo = "#eef3fa"
	colorHeatHi = "#1f4e8c"
)

// seriesColors are the colours of series in order: blue, orange, green,
// purple, wine, teal; each with white text of at least 4.5:1.
var seriesColors = []string{"#1f5fa8", "#b34700", "#00795c", "#7b3f9e", "#a3214f", "#006d77"}

// series is one named row of values, drawn in one colour.
type series struct {
	name   string
	color  string
	values []int
}

type svgWriter struct{ b strings.Builder }

func (w *svgWriter) p(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// open starts an SVG with its accessible name and description.
func (w *svgWriter) open(id string, width, height int, title, desc string) {
	w.p(`<svg viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title %s-desc" class="chart">`,
		width, height, width, height, id, id)
	w.p(`<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, id, esc(title), id, esc(desc))
}

func (w *svgWriter) close() template.HTML {
	w.b.WriteString(`</svg>`)
	return template.HTML(w.b.String()) //nolint:gosec // every text is escaped with esc
}

// text writes a text element; anchor is start, middle or end.
func (w *svgWriter) text(x, y float64, anchor, fill string, size int, weight, s string) {
	if weight == "" {
		weight = "normal"
	}
	w.p(`<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s" font-size="%d" font-weight="%s">%s</text>`, x, y, anchor, fill, size, weight, esc(s))
}

func esc(s string) string { return html.EscapeString(s) }

// niceStep returns a step of 1, 2 or 5 times a power of ten that divides
// 0..max into at most 5 intervals.
func niceStep(max int) int {
	if max <= 5 {
		return 1
	}
	raw := float64(max) / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			return int(m * pow)
		}
	}
	return int(10 * pow)
}

func maxOf(ss []series) int {
	m := 0
	for _, s := range ss {
		for _, v := range s.values {
			m = max(m, v)
		}
	}
	return m
}

// legend draws the series names with their colours from (x, y), wrapping
// at width; it returns the height used.
func (w *svgWriter) legend(ss []series, x, y, width float64) float64 {
	cx, cy := x, y
	for _, s := range ss {
		item := 18 + float64(len([]rune(s.name)))*7.2 + 20
		if cx+item > x+width && cx > x {
			cx, cy = x, cy+22
		}
		w.p(`<rect x="%.1f" y="%.1f" width="14" height="14" fill="%s"/>`, cx, cy-11, s.color)
		w.text(cx+19, cy, "start", colorText, 13, "", s.name)
		cx += item
	}
	return cy - y + 22
}

// groupedBars draws vertical bars: one group per label, one bar per series.
func groupedBars(id, title, desc string, groups []string, ss []series, l content.Locale) template.HTML {
	const width, left, right, top = 880, 56, 16, 16
	var w svgWriter
	// The legend first, to know how much room it takes.
	var lg svgWriter
	lh := lg.legend(ss, left, top+12, width-left-right)
	plotTop := top + lh + 8
	plotH := 260.0
	height := int(plotTop + plotH + 44)
	w.open(id, width, height, title, desc)
	w.b.WriteString(lg.b.String())
	m := maxOf(ss)
	step := niceStep(max(m, 1))
	top2 := float64(((max(m, 1) + step - 1) / step) * step)
	y := func(v float64) float64 { return plotTop + plotH - v/top2*plotH }
	for v := 0; v <= int(top2); v += step {
		w.p(`<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, left, width-right, y(float64(v)), y(float64(v)), colorGrid)
		w.text(left-8, y(float64(v))+4, "end", colorMuted, 12, "", number(v, l))
	}
	groupW := float64(width-left-right) / float64(max(len(groups), 1))
	barW := math.Min(36, (groupW-24)/float64(max(len(ss), 1)))
	for gi, g := range groups {
		gx := float64(left) + float64(gi)*groupW
		start := gx + (groupW-barW*float64(len(ss)))/2
		for si, s := range ss {
			v := s.values[gi]
			bx := start + float64(si)*barW
			h := float64(v) / top2 * plotH
			w.p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %s</title></rect>`,
				bx+1, y(float64(v)), barW-2, h, s.color, esc(g), esc(s.name), number(v, l))
			if v > 0 {
				w.text(bx+barW/2, y(float64(v))-4, "middle", colorText, 11, "", number(v, l))
			}
		}
		w.text(gx+groupW/2, plotTop+plotH+22, "middle", colorText, 14, "bold", g)
	}
	w.p(`<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5"/>`, left, width-right, y(0), y(0), colorAxis)
	return w.close()
}

// item is one bar of a horizontal bar chart.
type item struct {
	label string
	value int
	color string
}

// hbars draws horizontal bars with their labels on the left and their
// values at their end.
func hbars(id, title, desc string, items []item, l content.Locale) template.HTML {
	const width, labelW, right, rowH, top = 880, 300, 70, 30, 8
	height := top*2 + rowH*max(len(items), 1)
	var w svgWriter
	w.open(id, width, height, title, desc)
	m := 1
	for _, it := range items {
		m = max(m, it.value)
	}
	plotW := float64(width - labelW - right)
	for i, it := range items {
		y := float64(top + i*rowH)
		w.text(labelW-10, y+rowH/2+5, "end", colorText, 14, "", truncate(it.label, 38))
		bw := float64(it.value) / float64(m) * plotW
		w.p(`<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s: %s</title></rect>`,
			labelW, y+5, math.Max(bw, 1), rowH-10, it.color, esc(it.label), number(it.value, l))
		w.text(float64(labelW)+bw+6, y+rowH/2+5, "start", colorText, 13, "bold", number(it.value, l))
	}
	w.p(`<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="1.5"/>`, labelW, labelW, top, height-top, colorAxis)
	return w.close()
}

// heatmap draws a grid of counts: rows by columns, darker for more.
func heatmap(id, title, desc string, rows, cols []string, values [][]int, l content.Locale) template.HTML {
	const labelW, cellW, cellH, top = 330, 130, 32, 36
	width := labelW + cellW*max(len(cols), 1) + 10
	height := top + cellH*max(len(rows), 1) + 10
	var w svgWriter
	w.open(id, width, height, title, desc)
	// The shades run from the fewest (light) to the most (dark) in the
	// grid, so that differences show; the numbers are in the cells.
	lo, hi := math.MaxInt, 0
	for _, r := range values {
		for _, v := range r {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	shade := func(v int) float64 {
		if hi <= lo {
			return 0.6
		}
		return 0.1 + 0.9*float64(v-lo)/float64(hi-lo)
	}
	for ci, c := range cols {
		w.text(float64(labelW+ci*cellW+cellW/2), top-12, "middle", colorText, 14, "bold", c)
	}
	for ri, r := range rows {
		y := top + ri*cellH
		w.text(labelW-10, float64(y+cellH/2+5), "end", colorText, 14, "", truncate(r, 40))
		for ci := range cols {
			v := values[ri][ci]
			t := shade(v)
			fill := mix(colorHeatLo, colorHeatHi, t)
			fg := colorText
			if t > 0.45 {
				fg = "#ffffff"
			}
			w.p(`<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="2"><title>%s, %s: %s</title></rect>`,
				labelW+ci*cellW, y, cellW, cellH, fill, esc(r), esc(cols[ci]), number(v, l))
			w.text(float64(labelW+ci*cellW+cellW/2), float64(y+cellH/2+5), "middle", fg, 13, "bold", number(v, l))
		}
	}
	return w.close()
}

// mix blends two #rrggbb colours; t = 0 gives a, 1 gives b.
func mix(a, b string, t float64) string {
	var ar, ag, ab, br, bg, bb int
	fmt.Sscanf(a, "#%02x%02x%02x", &ar, &ag, &ab)
	fmt.Sscanf(b, "#%02x%02x%02x", &br, &bg, &bb)
	c := func(x, y int) int { return int(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return fmt.Sprintf("#%02x%02x%02x", c(ar, br), c(ag, bg), c(ab, bb))
}

// span is one bar of a timeline: a leg.
type span struct {
	label      string
	color      string
	from, to   int // day of the year, to inclusive
	first, end string
}

// timelineRow is one edition on the timeline.
type timelineRow struct {
	label     string
	spans     []span
	note      string // shown when there are no spans
	highlight bool
}

// timeline draws rows of spans over days of the year, with a tick on the
// first of every month and every Monday-aligned week.
func timeline(id, title, desc string, rows []timelineRow, from, to int, ticks []tick) template.HTML {
	const width, labelW, right, rowH, top = 880, 90, 16, 44, 30
	height := top + rowH*max(len(rows), 1) + 12
	var w svgWriter
	w.open(id, width, height, title, desc)
	plotW := float64(width - labelW - right)
	x := func(day float64) float64 { return float64(labelW) + (day-float64(from))/float64(to-from+1)*plotW }
	for _, t := range ticks {
		w.p(`<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s" stroke-width="1"/>`, x(float64(t.day)), x(float64(t.day)), top-6, height-8, colorGrid)
		w.text(x(float64(t.day)), top-12, "middle", colorMuted, 12, "", t.label)
	}
	for ri, r := range rows {
		y := float64(top + ri*rowH)
		weight := "normal"
		if r.highlight {
			weight = "bold"
		}
		w.text(labelW-10, y+rowH/2+5, "end", colorText, 14, weight, r.label)
		if len(r.spans) == 0 {
			w.text(float64(labelW)+8, y+rowH/2+5, "start", colorMuted, 13, "", r.note)
		}
		for _, s := range r.spans {
			x0, x1 := x(float64(s.from)), x(float64(s.to+1))
			w.p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s" rx="3"><title>%s: %s – %s</title></rect>`,
				x0+1, y+6, x1-x0-2, rowH-12, s.color, esc(r.label+", "+s.label), esc(s.first), esc(s.end))
			fg := "#ffffff"
			if s.color == colorFaded {
				fg = colorText
			}
			w.text((x0+x1)/2, y+rowH/2+5, "middle", fg, 12, "bold", truncate(s.label, int((x1-x0)/7.5)))
		}
	}
	return w.close()
}

// tick is a labelled day on a timeline.
type tick struct {
	day   int
	label string
}

// stacked100 draws one horizontal bar per row, split into the shares of
// the series.
func stacked100(id, title, desc string, rows []string, ss []series, l content.Locale) template.HTML {
	const width, labelW, right, rowH = 880, 190, 16, 36
	var lg svgWriter
	lh := lg.legend(ss, labelW, 20, width-labelW-right)
	top := int(lh) + 16
	height := top + rowH*max(len(rows), 1) + 8
	var w svgWriter
	w.open(id, width, height, title, desc)
	w.b.WriteString(lg.b.String())
	plotW := float64(width - labelW - right)
	for ri, r := range rows {
		y := float64(top + ri*rowH)
		total := 0
		for _, s := range ss {
			total += s.values[ri]
		}
		w.text(labelW-10, y+rowH/2+5, "end", colorText, 14, "", truncate(r, 24))
		if total == 0 {
			w.text(labelW+6, y+rowH/2+5, "start", colorMuted, 13, "", "—")
			continue
		}
		x := float64(labelW)
		for _, s := range ss {
			v := s.values[ri]
			if v == 0 {
				continue
			}
			share := float64(v) / float64(total)
			bw := share * plotW
			w.p(`<rect x="%.1f" y="%.1f" width="%.1f" height="%d" fill="%s"><title>%s, %s: %s (%s)</title></rect>`,
				x, y+4, bw, rowH-8, s.color, esc(r), esc(s.name), number(v, l), percent(share, l))
			if bw >= 40 {
				w.text(x+bw/2, y+rowH/2+5, "middle", "#ffffff", 12, "bold", percent(share, l))
			}
			x += bw
		}
	}
	return w.close()
}

// truncate shortens s to n characters with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if n < 2 {
		return ""
	}
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
