package mongodb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"estafette/content"
)

// DefaultConnectTimeout is how long Open waits for a connection and for a
// server to answer when Options.ConnectTimeout is zero.
const DefaultConnectTimeout = 5 * time.Second

// DefaultDatabase is the database of the store when none is configured.
const DefaultDatabase = "estafette"

// Options tune the client. The zero value is the default.
type Options struct {
	// ConnectTimeout bounds connecting to a server and selecting one
	// (DefaultConnectTimeout when zero). Open fails within about this
	// time when no server answers. It overrides connectTimeoutMS and
	// serverSelectionTimeoutMS of the URI.
	ConnectTimeout time.Duration
	// MaxPoolSize is the most connections per server (the URI's
	// maxPoolSize, else the driver's 100, when zero).
	MaxPoolSize uint64
	// NoTransactions makes the store use the fallback without
	// multi-document transactions even where the deployment has them
	// (for engines whose transactions cannot span collections).
	NoTransactions bool
	// CheckOnly opens the store without creating or dropping indexes, so
	// that Check reports them as they are ("estafette check").
	CheckOnly bool
	// OnCommand, when set, is called after every command the driver sends
	// (not for the monitoring heartbeats), for metrics.
	OnCommand func(CommandEvent)
}

// CommandEvent describes one finished driver command.
type CommandEvent struct {
	Command    string        // the command name: find, aggregate, insert, update, delete, …
	Collection string        // the collection it addressed, "" for commands without one
	Duration   time.Duration // round trip
	Failed     bool          // the command failed (a network error or a server error)
}

// OptionsFromEnv reads the options from the environment:
// MONGODB_CONNECT_TIMEOUT (a duration such as 5s, or seconds),
// MONGODB_MAX_POOL_SIZE (connections per server) and
// MONGODB_TRANSACTIONS (false to use the fallback without transactions).
func OptionsFromEnv(getenv func(string) string) (Options, error) {
	var o Options
	if v := getenv("MONGODB_CONNECT_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			n, nerr := strconv.ParseFloat(v, 64)
			if nerr != nil {
				return o, fmt.Errorf("MONGODB_CONNECT_TIMEOUT=%q is not a duration such as 5s", v)
			}
			d = time.Duration(n * float64(time.Second))
		}
		if d <= 0 {
			return o, fmt.Errorf("MONGODB_CONNECT_TIMEOUT=%q must be more than zero", v)
		}
		o.ConnectTimeout = d
	}
	if v := getenv("MONGODB_MAX_POOL_SIZE"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			return o, fmt.Errorf("MONGODB_MAX_POOL_SIZE=%q is not a number of connections (1 or more)", v)
		}
		o.MaxPoolSize = n
	}
	if v := getenv("MONGODB_TRANSACTIONS"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return o, fmt.Errorf("MONGODB_TRANSACTIONS=%q is not true or false", v)
		}
		o.NoTransactions = !on
	}
	return o, nil
}

// Store is a content.Store on a MongoDB database. It is safe for
// concurrent use; the driver pools connections.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	colls  map[content.Kind]*coll
	handle map[content.Kind]*mongo.Collection
	locks  *mongo.Collection // the write locks of the fallback (lock.go)
	tx     bool
	ferret bool // the server is FerretDB (see sameIndex)
	hosts  string
}

var _ content.Store = (*Store)(nil)

// Open connects to the deployment at uri (mongodb:// or mongodb+srv://),
// pings it, checks once whether it supports multi-document transactions,
// and creates the indexes of colls in database (DefaultDatabase when
// empty). colls are the collections the store holds (pass the program's
// full list, estafette/internal/collections.All); a kind that is not in
// colls cannot be read or written. When the URI is malformed or no server answers within the
// connect timeout, the error is one line: "cannot reach MongoDB at
// host:port: …", without credentials.
func Open(ctx context.Context, uri, database string, colls []content.Collection, opts Options) (*Store, error) {
	if database == "" {
		database = DefaultDatabase
	}
	timeout := opts.ConnectTimeout
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	hosts := Hosts(uri)
	unreachable := func(err error) error {
		return fmt.Errorf("cannot reach MongoDB at %s: %s", hosts, reason(err, uri))
	}
	// Defaults first, so that the URI's own settings (w=, retryWrites=,
	// maxPoolSize=, appName=) win over them; then what Options say.
	co := options.Client().
		SetAppName("estafette").
		SetRetryWrites(true).
		SetWriteConcern(writeconcern.Majority()).
		ApplyURI(uri).
		SetConnectTimeout(timeout).
		SetServerSelectionTimeout(timeout)
	if opts.MaxPoolSize > 0 {
		co.SetMaxPoolSize(opts.MaxPoolSize)
	}
	if opts.OnCommand != nil {
		co.SetMonitor(commandMonitor(opts.OnCommand))
	}
	client, err := mongo.Connect(co)
	if err != nil {
		return nil, unreachable(err)
	}
	s := &Store{client: client, hosts: hosts, colls: map[content.Kind]*coll{}, handle: map[content.Kind]*mongo.Collection{}}
	fail := func(err error) (*Store, error) {
		dctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = client.Disconnect(dctx)
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := client.Ping(pctx, nil); err != nil {
		return fail(unreachable(err))
	}
	s.db = client.Database(database)
	s.locks = s.db.Collection(lockCollection)
	if s.tx, err = transactions(ctx, client); err != nil {
		return fail(fmt.Errorf("mongodb: %s: %w", hosts, err))
	}
	if opts.NoTransactions {
		s.tx = false
	}
	s.ferret = isFerretDB(ctx, client)
	if err := checkCollations(ctx, s.db, colls); err != nil {
		return fail(fmt.Errorf("mongodb: %s: %w", hosts, err))
	}
	for _, c := range colls {
		t, err := newColl(c)
		if err != nil {
			return fail(fmt.Errorf("mongodb: %w", err))
		}
		if t.name == lockCollection {
			return fail(fmt.Errorf("mongodb: kind %q is the name of the store's lock collection", c.Kind))
		}
		if s.colls[c.Kind] != nil {
			return fail(fmt.Errorf("mongodb: kind %q described twice", c.Kind))
		}
		s.colls[c.Kind] = t
		s.handle[c.Kind] = s.db.Collection(t.name)
		if opts.CheckOnly {
			continue
		}
		if err := ensureIndexes(ctx, s.handle[c.Kind], t.indexes(), s.ferret); err != nil {
			return fail(fmt.Errorf("mongodb: %s: %w", hosts, err))
		}
	}
	return s, nil
}

// transactions reports whether the deployment runs multi-document
// transactions: a replica set member or a mongos, with sessions.
func transactions(ctx context.Context, client *mongo.Client) (bool, error) {
	var hello struct {
		SetName        string `bson:"setName"`
		Msg            string `bson:"msg"`
		SessionTimeout *int64 `bson:"logicalSessionTimeoutMinutes"`
		MaxWireVersion int32  `bson:"maxWireVersion"`
	}
	admin := client.Database("admin")
	err := admin.RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello)
	if err != nil {
		// Engines that predate "hello" know its old name.
		if err2 := admin.RunCommand(ctx, bson.D{{Key: "isMaster", Value: 1}}).Decode(&hello); err2 != nil {
			return false, fmt.Errorf("hello: %w", err)
		}
	}
	if hello.SessionTimeout == nil {
		return false, nil
	}
	switch {
	case hello.SetName != "":
		return hello.MaxWireVersion >= 7, nil // 4.0: replica set transactions
	case hello.Msg == "isdbgrid":
		return hello.MaxWireVersion >= 8, nil // 4.2: sharded transactions
	}
	return false, nil
}

// isFerretDB reports whether the server is FerretDB, which names its own
// version in buildInfo. Only index bookkeeping depends on it (see
// sameIndex): every query and write is the same on every engine.
func isFerretDB(ctx context.Context, client *mongo.Client) bool {
	var info struct {
		FerretDB string `bson:"ferretdbVersion"`
	}
	err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info)
	return err == nil && info.FerretDB != ""
}

// checkCollations refuses collections of the database that have a default
// collation other than "simple": their strings would compare by language
// rules, not byte-wise as content's index values need. (The store creates
// its collections implicitly, without one.)
func checkCollations(ctx context.Context, db *mongo.Database, colls []content.Collection) error {
	specs, err := db.ListCollectionSpecifications(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	for _, sp := range specs {
		if _, ok := content.LookupCollection(colls, content.Kind(sp.Name)); !ok || sp.Options == nil {
			continue
		}
		if locale, ok := sp.Options.Lookup("collation", "locale").StringValueOK(); ok && locale != "simple" {
			return fmt.Errorf("collection %s has the default collation %q; the store needs byte-wise (simple) string order: recreate it without a collation", sp.Name, locale)
		}
	}
	return nil
}

// Transactions reports whether Put and Apply run in multi-document
// transactions; false means the documented fallback.
func (s *Store) Transactions() bool { return s.tx }

// Database returns the name of the store's database.
func (s *Store) Database() string { return s.db.Name() }

// Ping asks the deployment for an answer, as /readyz does.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("mongodb: ping %s: %w", s.hosts, err)
	}
	return nil
}

// Drop removes the store's database with everything in it. It is for
// tests and for starting over; the store cannot be used afterwards except
// to Close it.
func (s *Store) Drop(ctx context.Context) error {
	if err := s.db.Drop(ctx); err != nil {
		return fmt.Errorf("mongodb: drop database %s: %w", s.db.Name(), err)
	}
	return nil
}

// Close disconnects the client, waiting up to five seconds for operations
// in flight.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil && !errors.Is(err, mongo.ErrClientDisconnected) {
		return fmt.Errorf("mongodb: close: %w", err)
	}
	return nil
}

// Hosts returns the host:port list of a MongoDB URI for messages, without
// scheme, credentials, database or options; for a malformed URI, its best
// guess.
func Hosts(uri string) string {
	rest := strings.TrimSpace(uri)
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return "(no host in the URI)"
	}
	return rest
}

// reason says in one line why a connection failed: the last error of a
// server when selection timed out, else the driver's message, with
// anything that could be the URI (and so a password) removed.
func reason(err error, uri string) string {
	msg := err.Error()
	var sse topology.ServerSelectionError
	if errors.As(err, &sse) {
		for _, srv := range sse.Desc.Servers {
			if srv.LastError != nil {
				msg = srv.LastError.Error()
				break
			}
		}
		if msg == err.Error() {
			msg = "no server answered"
		}
		if !strings.Contains(msg, "timed out") && !strings.Contains(msg, "deadline") {
			msg += " (server selection timed out)"
		}
	} else if strings.Contains(msg, "error parsing uri") || strings.Contains(msg, "scheme must be") {
		msg = "the URI is not valid: " + strings.TrimPrefix(msg, "error parsing uri: ")
	}
	if uri != "" {
		msg = strings.ReplaceAll(msg, uri, "<uri>")
		if u, perr := url.Parse(uri); perr == nil && u.User != nil {
			if p, ok := u.User.Password(); ok && p != "" {
				msg = strings.ReplaceAll(msg, p, "<password>")
			}
		}
	}
	return strings.Join(strings.Fields(msg), " ")
}

// commandMonitor reports every finished command to fn, with the
// collection it addressed (read from the started command, whose first
// element names the collection of CRUD commands).
func commandMonitor(fn func(CommandEvent)) *event.CommandMonitor {
	var inFlight sync.Map // request id → collection
	collection := func(cmd bson.Raw) string {
		e, err := cmd.IndexErr(0)
		if err != nil {
			return ""
		}
		if s, ok := e.Value().StringValueOK(); ok {
			return s
		}
		if s, ok := cmd.Lookup("collection").StringValueOK(); ok { // getMore
			return s
		}
		return ""
	}
	finish := func(id int64, name string, d time.Duration, failed bool) {
		c, _ := inFlight.LoadAndDelete(id)
		coll, _ := c.(string)
		fn(CommandEvent{Command: name, Collection: coll, Duration: d, Failed: failed})
	}
	return &event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			inFlight.Store(e.RequestID, collection(e.Command))
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			finish(e.RequestID, e.CommandName, e.Duration, false)
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			finish(e.RequestID, e.CommandName, e.Duration, true)
		},
	}
}
