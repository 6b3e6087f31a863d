package content

import "context"

// The names of the store operations an Observer is told of.
const (
	StoreGet    = "get"
	StoreFind   = "find"
	StoreCount  = "count"
	StoreGroup  = "group"
	StorePut    = "put"
	StoreApply  = "apply"
	StoreDelete = "delete"
	StorePing   = "ping"
)

// StoreOp describes one operation of an instrumented store to its
// observers. Observers must not change it.
type StoreOp struct {
	Name   string   // StoreGet, StoreFind, …
	Kind   Kind     // the kind addressed; for put and apply the first document's, "" when there is none and for ping
	IDs    []string // get and delete: the ids
	Query  *Query   // find: the query
	Where  *Cond    // count and group: the condition
	By     []string // group: the grouped fields
	Docs   []Doc    // put: the documents
	Writes []Write  // apply: the writes
	Rows   int      // get and find: the documents returned, set before done is called
}

// Kinds returns the kinds the operation writes: those of the documents of
// a put or an apply (their Also documents included), the kind of a
// delete, and none for reads.
func (op *StoreOp) Kinds() []Kind {
	var out []Kind
	add := func(k Kind) {
		for _, have := range out {
			if have == k {
				return
			}
		}
		out = append(out, k)
	}
	switch op.Name {
	case StorePut:
		for _, d := range op.Docs {
			add(d.Kind)
		}
	case StoreApply:
		for _, w := range op.Writes {
			add(w.Doc.Kind)
			for _, d := range w.Also {
				add(d.Kind)
			}
		}
	case StoreDelete:
		add(op.Kind)
	}
	return out
}

// An Observer is told of every operation of an instrumented store (Close
// excepted). It is called before the operation and returns the context
// the operation runs with (ctx, or one derived from it such as a span's)
// and a function the store calls once the operation has ended, with its
// error; done may be nil.
type Observer func(ctx context.Context, op *StoreOp) (_ context.Context, done func(err error))

// Instrument returns s with observers told of every operation: metrics,
// tracing, cache invalidation and test counters are all observers, so that
// no wrapper forwards the methods of Store by hand. The observers are
// called in order before an operation (each gets the context the one
// before returned) and their done functions in reverse order after it.
// Instrumenting an instrumented store adds the observers in front of its
// own, in one layer. Unwrap returns the store underneath; use StoreAs to
// reach methods beyond Store (such as Optimize) through the decorator.
func Instrument(s Store, observers ...Observer) Store {
	if len(observers) == 0 {
		return s
	}
	if in, ok := s.(*instrumented); ok {
		return &instrumented{inner: in.inner, observers: append(append([]Observer{}, observers...), in.observers...)}
	}
	return &instrumented{inner: s, observers: append([]Observer{}, observers...)}
}

// StoreAs returns the first store that is a T among s and the stores it
// decorates (through their Unwrap methods), like errors.As for errors.
func StoreAs[T any](s Store) (T, bool) {
	for s != nil {
		if t, ok := s.(T); ok {
			return t, true
		}
		u, ok := s.(interface{ Unwrap() Store })
		if !ok {
			break
		}
		s = u.Unwrap()
	}
	var zero T
	return zero, false
}

// instrumented is the decorator Instrument returns.
type instrumented struct {
	inner     Store
	observers []Observer
}

var _ Store = (*instrumented)(nil)

// Unwrap returns the store underneath the observers.
func (s *instrumented) Unwrap() Store { return s.inner }

// begin tells the observers of op and returns the context to run it with
// and the function that tells them it ended.
func (s *instrumented) begin(ctx context.Context, op *StoreOp) (context.Context, func(error)) {
	dones := make([]func(error), 0, len(s.observers))
	for _, o := range s.observers {
		var done func(error)
		ctx, done = o(ctx, op)
		if done != nil {
			dones = append(dones, done)
		}
	}
	return ctx, func(err error) {
		for i := len(dones) - 1; i >= 0; i-- {
			dones[i](err)
		}
	}
}

func (s *instrumented) Get(ctx context.Context, kind Kind, ids []string) (docs map[string]Doc, err error) {
	op := &StoreOp{Name: StoreGet, Kind: kind, IDs: ids}
	ctx, done := s.begin(ctx, op)
	defer func() { op.Rows = len(docs); done(err) }()
	return s.inner.Get(ctx, kind, ids)
}

func (s *instrumented) Find(ctx context.Context, q Query) (docs []Doc, err error) {
	op := &StoreOp{Name: StoreFind, Kind: q.Kind, Query: &q}
	ctx, done := s.begin(ctx, op)
	defer func() { op.Rows = len(docs); done(err) }()
	return s.inner.Find(ctx, q)
}

func (s *instrumented) Count(ctx context.Context, kind Kind, where *Cond) (_ int, err error) {
	ctx, done := s.begin(ctx, &StoreOp{Name: StoreCount, Kind: kind, Where: where})
	defer func() { done(err) }()
	return s.inner.Count(ctx, kind, where)
}

func (s *instrumented) Group(ctx context.Context, kind Kind, where *Cond, by []string) (_ []Bucket, err error) {
	ctx, done := s.begin(ctx, &StoreOp{Name: StoreGroup, Kind: kind, Where: where, By: by})
	defer func() { done(err) }()
	return s.inner.Group(ctx, kind, where, by)
}

func (s *instrumented) Put(ctx context.Context, docs ...Doc) (err error) {
	op := &StoreOp{Name: StorePut, Docs: docs}
	if len(docs) > 0 {
		op.Kind = docs[0].Kind
	}
	ctx, done := s.begin(ctx, op)
	defer func() { done(err) }()
	return s.inner.Put(ctx, docs...)
}

func (s *instrumented) Apply(ctx context.Context, writes ...Write) (err error) {
	op := &StoreOp{Name: StoreApply, Writes: writes}
	if len(writes) > 0 {
		op.Kind = writes[0].Doc.Kind
	}
	ctx, done := s.begin(ctx, op)
	defer func() { done(err) }()
	return s.inner.Apply(ctx, writes...)
}

func (s *instrumented) Delete(ctx context.Context, kind Kind, ids ...string) (err error) {
	ctx, done := s.begin(ctx, &StoreOp{Name: StoreDelete, Kind: kind, IDs: ids})
	defer func() { done(err) }()
	return s.inner.Delete(ctx, kind, ids...)
}

func (s *instrumented) Ping(ctx context.Context) (err error) {
	ctx, done := s.begin(ctx, &StoreOp{Name: StorePing})
	defer func() { done(err) }()
	return s.inner.Ping(ctx)
}

// Close closes the store underneath; observers are not told of it.
func (s *instrumented) Close() error { return s.inner.Close() }
