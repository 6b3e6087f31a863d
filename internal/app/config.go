package app

import (
	"log/slog"
	"time"

	"estafette/mail"
	"estafette/mongodb"
	"estafette/web/deskauth"
	"estafette/web/gqlhttp/limits"
	"estafette/web/ratelimit"
	"estafette/webhooks"
)

// Config is the configuration of the program. ConfigFromEnv reads it once
// from the environment at start; nothing else reads the environment.
type Config struct {
	Addr            string   // listen address: LISTEN_ADDR, else :PORT (default :8080)
	DataDir         string   // where the embedded store keeps its files; DATA_DIR (default ./data)
	CORSOrigins     []string // CORS_ALLOWED_ORIGINS, comma-separated (default *)
	LogLevel        slog.Level
	Production      bool          // ENV=production: introspection and suggestions off
	ShutdownTimeout time.Duration // how long in-flight requests may finish
	NoSeed          bool          // SEED=false: do not load the seed into an empty store

	PublicURL           string   // PUBLIC_URL: origin of absolute links (embeds, feeds); empty: the request's
	EmbedAllowedParents []string // EMBED_ALLOWED_PARENTS: who may frame the embed pages (default *)

	Limits         limits.Config    // MAX_QUERY_DEPTH, MAX_QUERY_COST, MAX_QUERY_ALIASES
	RateLimit      ratelimit.Config // RATE_LIMIT (per second per client, 0 = off), RATE_LIMIT_BURST, TRUSTED_PROXIES
	RequestTimeout time.Duration    // REQUEST_TIMEOUT (default 10s)

	PersistedOnly     bool             // PERSISTED_QUERIES=only: run registered queries only
	Webhooks          webhooks.Options // WEBHOOK_BASE_BACKOFF, WEBHOOK_POLL: tuning of deliveries
	ResponseCacheSize int              // RESPONSE_CACHE_SIZE: responses kept in memory (default 5000, 0 = off)
	// RevisionsKeep is REVISIONS_KEEP: the revisions kept per record (the
	// last N and every published one); 0 (the default, or "all") keeps all.
	RevisionsKeep int
	// SchedulePoll is SCHEDULE_POLL: how often each replica looks for due
	// scheduled publications (default 1s).
	SchedulePoll time.Duration

	ResponseCacheBytes         int64 // RESPONSE_CACHE_BYTES: bytes of responses kept (default 64 MiB)
	DocumentCacheBytes         int64 // DOCUMENT_CACHE_BYTES: bytes of parsed documents kept (default 32 MiB)
	PersistedMax               int   // PERSISTED_QUERIES_MAX: automatic persisted queries kept (default 10,000)
	HeavyRequests              int   // HEAVY_REQUESTS: exports, feeds and insights built at once (default: processors)
	SubscriptionsPerConnection int   // SUBSCRIPTIONS_PER_CONNECTION (default 20)
	SubscriptionsPerClient     int   // SUBSCRIPTIONS_PER_CLIENT (default 100)
	MetricsPublic              bool  // METRICS_PUBLIC: /metrics on the public listener also when ADMIN_ADDR is set

	AdminAddr          string        // ADMIN_ADDR: listen address of pprof and /metrics for operators (default off)
	SlowQueryThreshold time.Duration // SLOW_QUERY_THRESHOLD: log GraphQL operations slower than this (default 500ms, off: none)
	Tracing            bool          // OTEL_EXPORTER_OTLP_ENDPOINT (or …_TRACES_ENDPOINT) is set: export traces over OTLP/HTTP
	NoBatching         bool          // LOADER_BATCHING=off: switch the loaders' batching off (only to measure what it saves)

	// SMTPURL is SMTP_URL: the mail server the outbox sends through
	// (smtp://user:pass@host:587, STARTTLS); empty, mails stay in the
	// outbox. It holds a password: never log it.
	SMTPURL string
	// MailFrom is MAIL_FROM: the sender of every mail, an address with an
	// optional name ("Estafette <noreply@example.nl>").
	MailFrom string
	// Mail tunes the outbox (backoff, poll, attempts); no variable sets
	// it, tests shorten the waits. Its clock is the App's (WithClock).
	Mail mail.Options

	// ProposalContactRetention is PROPOSAL_CONTACT_RETENTION: how long
	// after an edition's end the contacts of its proposals are kept.
	ProposalContactRetention time.Duration
	// ProposalFormSecret is PROPOSAL_FORM_SECRET: the key that signs the
	// proposal forms' tokens (empty: random per process). Never log it.
	ProposalFormSecret string

	// OIDC is sign-in to the desk through an identity provider:
	// OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_AUTO_CREATE_ROLE.
	OIDC deskauth.OIDC

	MongoURI      string          // MONGODB_URI: serve from MongoDB instead of the embedded store
	MongoDatabase string          // MONGODB_DATABASE (default: the URI's database, else estafette)
	Mongo         mongodb.Options // MONGODB_CONNECT_TIMEOUT, MONGODB_MAX_POOL_SIZE, MONGODB_TRANSACTIONS
}

// DefaultConfig returns the configuration of an empty environment.
func DefaultConfig() Config {
	return Config{
		Addr:               ":8080",
		DataDir:            "./data",
		ShutdownTimeout:    10 * time.Second,
		RateLimit:          ratelimit.Config{PerSecond: 50, Burst: 100},
		RequestTimeout:     10 * time.Second,
		ResponseCacheSize:  5000,
		SlowQueryThreshold: 500 * time.Millisecond,
		SchedulePoll:       time.Second,
	}
}

// ConfigFromEnv reads the configuration from environment variables (see
// README.md), one area at a time. The first value that is not valid stops
// it: the error is one line that names the variable and what it accepts.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	for _, read := range []func(*Config, func(string) string) error{
		readServer, readHTTP, readLimits, readRateLimit, readCaches, readWebhooks, readObservability, readStore, readHistory, readDesk, readMail, readSubmissions,
	} {
		if err := read(&c, getenv); err != nil {
			return c, err
		}
	}
	return c, nil
}
