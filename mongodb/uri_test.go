package mongodb

import (
	"strings"
	"testing"
)

func TestDatabaseName(t *testing.T) {
	for _, tc := range []struct{ uri, override, want string }{
		{"mongodb://localhost", "", "estafette"},
		{"mongodb://localhost/", "", "estafette"},
		{"mongodb://localhost:27017/?replicaSet=rs0", "", "estafette"},
		{"mongodb://u:p@a:1,b:2/sze?replicaSet=rs0", "", "sze"},
		{"mongodb://h/with%20space", "", "with space"},
		{"mongodb+srv://u:p%2F@cluster0.x.net/prod?w=1", "", "prod"},
		{"mongodb+srv://u:p@cluster0.x.net/?retryWrites=true&srvMaxHosts=2", "", "estafette"},
		{"mongodb+srv://cluster0.x.net/db?srvServiceName=custom", "", "db"},
		{"mongodb://h/fromuri", "fromenv", "fromenv"},
		{"mongodb://h", "fromenv", "fromenv"},
	} {
		got, err := DatabaseName(tc.uri, tc.override)
		if err != nil || got != tc.want {
			t.Errorf("DatabaseName(%q, %q) = %q, %v; want %q", tc.uri, tc.override, got, err, tc.want)
		}
	}
}

func TestDatabaseNameMalformed(t *testing.T) {
	for _, tc := range []struct{ uri, host string }{
		{"postgres://db.example:5432/x", "db.example:5432"},
		{"mongodb://admin:pa55word@localhost:notaport/db", "localhost:notaport"},
		{"mongodb://127.0.0.1:27017/?maxPoolSize=many", "127.0.0.1:27017"},
		{"mongodb://u:pa55word@h?w=1", "h"},
		{"mongodb://h:1/db?srvMaxHosts=2", "h:1"},
		{"", ""},
	} {
		for _, override := range []string{"", "fromenv"} {
			db, err := DatabaseName(tc.uri, override)
			if err == nil {
				t.Errorf("DatabaseName(%q, %q) = %q, want an error", tc.uri, override, db)
				continue
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cannot reach MongoDB at "+tc.host) || !strings.Contains(msg, "not valid") ||
				strings.Contains(msg, "pa55word") || strings.Contains(msg, "\n") {
				t.Errorf("DatabaseName(%q): error %q", tc.uri, msg)
			}
		}
	}
}
