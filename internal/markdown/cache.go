package markdown

import (
	"crypto/sha256"
	"strings"
	"sync/atomic"

	"estafette/internal/bytelru"
)

// CacheBytes bounds the renderings the package keeps: HTML, plain text,
// running text and word count of each body and Options, about 4 times the
// HTML. 32 MiB hold the renderings of some thousand long recaps.
const CacheBytes = 32 << 20

// cacheEntries bounds the number of renderings, so that many tiny bodies
// cannot make the bookkeeping outgrow the bytes counted.
const cacheEntries = 20000

// entryOverhead is what an entry costs besides its strings: the key, the
// list element and the map slot.
const entryOverhead = 256

// renderKey identifies a rendering: a hash of the text, so that the same
// text renders once whichever record, version or replica it comes from,
// and the options it was rendered with.
type renderKey struct {
	sum [sha256.Size]byte
	o   Options
}

// rendering is everything the package derives from a body.
type rendering struct {
	html    string // sanitized HTML
	text    string // PlainText
	running string // the running text Excerpt cuts
	words   int    // Words(text)
}

var (
	cache = bytelru.New[renderKey, *rendering](CacheBytes, cacheEntries)
	// renders counts the renderings made (not taken from the cache), for
	// the tests.
	renders atomic.Int64
)

// rendered returns the rendering of src with o, from the cache when it was
// made before.
func rendered(src string, o Options) *rendering {
	if strings.TrimSpace(src) == "" {
		return &rendering{}
	}
	k := renderKey{sum: sha256.Sum256([]byte(src)), o: o}
	if r, ok := cache.Get(k); ok {
		return r
	}
	renders.Add(1)
	h := render(src, o)
	r := &rendering{html: h}
	body := strings.TrimPrefix(h, notePara) // the note is not text of the body
	r.text = strings.Join(blocks(body, false), "\n")
	r.running = strings.Join(blocks(body, true), " ")
	r.words = Words(r.text)
	cache.Add(k, r, int64(len(r.html)+len(r.text)+len(r.running)+entryOverhead))
	return r
}
