package export

import (
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"estafette/content"
)

// contentTypes are the media types of the formats.
var contentTypes = map[Format]string{
	CSV:    "text/csv; charset=utf-8; header=present",
	NDJSON: "application/x-ndjson; charset=utf-8",
	JSON:   "application/json; charset=utf-8",
	// The media type registered for Parquet (IANA, 2024).
	Parquet: "application/vnd.apache.parquet",
}

// Handler serves exports at /export/{entity}.{format}, such as
// /export/activities.csv?edition=2023&excel=1; mount it on "GET
// /export/{file}". A bad parameter is answered 400 with a message in plain
// text, an unknown file 404. The download is named by Content-Disposition
// (Request.Filename). Exports of published content may be cached for five
// minutes; exports that include drafts are not cached.
func Handler(cat *content.Catalog, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file := r.PathValue("file")
		if file == "" {
			file = r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		}
		name, ext, _ := strings.Cut(file, ".")
		e, f := Entity(name), Format(ext)
		if !slices.Contains(Entities, e) || !slices.Contains(Formats, f) {
			http.Error(w, "There is no export "+file+"; try activities, initiatives or organizations with .csv, .ndjson, .json or .parquet, such as /export/activities.csv?edition=2023.", http.StatusNotFound)
			return
		}
		req, err := ParseRequest(e, f, r.URL.Query())
		if err != nil {
			http.Error(w, content.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		lw := &lazyWriter{w: w, start: func() {
			h := w.Header()
			h.Set("Content-Type", contentTypes[f])
			h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": req.Filename()}))
			h.Set("X-Content-Type-Options", "nosniff")
			if content.ViewerFrom(r.Context()).Drafts {
				h.Set("Cache-Control", "private, no-store")
			} else {
				h.Set("Cache-Control", "public, max-age=300")
			}
			w.WriteHeader(http.StatusOK)
		}}
		n, err := Write(r.Context(), cat, lw, req, nil)
		switch {
		case err == nil:
			if !lw.started { // an NDJSON export without rows
				lw.started = true
				lw.start()
			}
		case !lw.started && content.ErrorCode(err) == content.EINVALID:
			http.Error(w, content.ErrorMessage(err), http.StatusBadRequest)
		case !lw.started:
			log.ErrorContext(r.Context(), "export failed", "file", file, "err", err)
			http.Error(w, "The export failed; try again later.", http.StatusInternalServerError)
		default:
			// The status is sent: the truncated body (a JSON array without
			// its end, a CSV without its last rows) is all we can say.
			log.ErrorContext(r.Context(), "export broke off", "file", file, "rows", n, "err", err)
			panic(http.ErrAbortHandler)
		}
	})
}

// lazyWriter sends the response header on the first write, so that an
// error before any row can still choose the status.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(b)
}

// Flush sends what is written so far to the client, and gives the
// response another minute: a long export keeps going as long as it keeps
// writing, whatever the server's write timeout.
func (l *lazyWriter) Flush() error {
	if !l.started {
		return nil
	}
	rc := http.NewResponseController(l.w)
	_ = rc.SetWriteDeadline(time.Now().Add(time.Minute)) // not every writer supports it
	return rc.Flush()
}
