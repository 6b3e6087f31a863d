package mongodb

import (
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"estafette/content"
)

// Writes that fail for lack of space are EUNAVAILABLE; other failures keep
// their code. (No server needed: the errors are the driver's types.)
func TestFaultClassifiesDiskFull(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{mongo.CommandError{Code: codeOutOfDiskSpace, Message: "Cannot write: out of disk space"}, content.EUNAVAILABLE},
		{mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 1, Message: "WiredTiger error: No space left on device"}}}, content.EUNAVAILABLE},
		{mongo.CommandError{Code: 8000, Name: "AtlasError", Message: "you are over your space quota, using 513 MB of 512 MB"}, content.EUNAVAILABLE},
		{mongo.CommandError{Code: 11000, Message: "E11000 duplicate key error"}, content.EINTERNAL},
		{errors.New("connection reset"), content.EINTERNAL},
		{content.Errorf(content.ECONFLICT, "no space left on device in the title"), content.ECONFLICT},
	} {
		err := fault(fmt.Errorf("mongodb: put activity: %w", c.err))
		if got := content.ErrorCode(err); got != c.want {
			t.Errorf("%v: code %q, want %q", c.err, got, c.want)
		}
		var se mongo.ServerError
		if c.want == content.EUNAVAILABLE && !errors.As(err, &se) {
			t.Errorf("%v: the driver's error is not wrapped", c.err)
		}
	}
}
