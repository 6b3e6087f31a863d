package mongodb

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// DatabaseName returns the database of a store at uri: override when it
// is not empty (MONGODB_DATABASE), else the database named in the URI's
// path (mongodb://host/otherdb), else DefaultDatabase. The URI is parsed
// by the driver's own parser, so a URI the driver would refuse is an
// error here, in the one-line form of Open's errors ("cannot reach
// MongoDB at host:port: the URI is not valid: …"), without credentials.
// It never looks anything up in DNS.
func DatabaseName(uri, override string) (string, error) {
	cs, err := parseURI(uri)
	if err != nil {
		return "", fmt.Errorf("cannot reach MongoDB at %s: %s", Hosts(uri), reason(err, uri))
	}
	switch {
	case override != "":
		return override, nil
	case cs.Database != "":
		return cs.Database, nil
	}
	return DefaultDatabase, nil
}

// srvOnly are the options the driver accepts on mongodb+srv URIs only
// (lower case, as the driver compares them).
var srvOnly = map[string]bool{"srvmaxhosts": true, "srvservicename": true}

// parseURI parses uri with the driver's parser, without its DNS lookups:
// the parser resolves a mongodb+srv URI's SRV and TXT records, which only
// add hosts and options, never a database. Such a URI is parsed as the
// mongodb URI of its one host, without the options that only SRV URIs
// take.
func parseURI(uri string) (*connstring.ConnString, error) {
	rest, srv := strings.CutPrefix(uri, connstring.SchemeMongoDBSRV+"://")
	if !srv {
		return connstring.Parse(uri)
	}
	if base, query, ok := strings.Cut(rest, "?"); ok {
		var keep []string
		for _, kv := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' }) {
			k, _, _ := strings.Cut(kv, "=")
			if !srvOnly[strings.ToLower(k)] {
				keep = append(keep, kv)
			}
		}
		rest = base + "?" + strings.Join(keep, "&")
	}
	return connstring.Parse(connstring.SchemeMongoDB + "://" + rest)
}
