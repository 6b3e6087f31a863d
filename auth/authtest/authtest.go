// Package authtest holds tests of package auth that every store must pass:
// the auth tests run them on SQLite, the MongoDB tests on a server.
package authtest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"estafette/auth"
	"estafette/content"
)

// RevokeWhileInUse creates a key and revokes it while another goroutine
// uses it as fast as it can (recording its last use on every call), rounds
// times. Every revocation must hold: afterwards the stored key is revoked
// and a replica that never saw the key (no cache) refuses it. store must
// hold the collections of package auth and the audit log.
func RevokeWhileInUse(t *testing.T, store content.Store, rounds int) {
	ctx := auth.CommandLine(context.Background(), "test")
	keys := auth.New(store)
	keys.SetTouchInterval(0)
	for round := range rounds {
		secret, key, err := keys.Create(ctx, "race", content.RoleEditor)
		if err != nil {
			t.Fatal(err)
		}
		// The user authenticates until the key stops working, or a
		// bounded number of times; each success records the use.
		used := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		wg.Go(func() {
			defer once.Do(func() { close(used) })
			for i := range 200 {
				if _, err := keys.Authenticate(context.Background(), secret); err != nil {
					return
				}
				if i == 0 {
					once.Do(func() { close(used) })
				}
			}
		})
		<-used
		if _, err := keys.Revoke(ctx, key.ID); err != nil {
			t.Fatalf("round %d: revoke: %v", round, err)
		}
		wg.Wait()
		docs, err := store.Get(ctx, auth.KindAPIKey, []string{key.ID})
		if err != nil {
			t.Fatal(err)
		}
		var stored auth.Key
		if err := json.Unmarshal(docs[key.ID].Body, &stored); err != nil || stored.Active() {
			t.Fatalf("round %d: the revoked key is active again in the store (a use overwrote the revocation): %v", round, err)
		}
		if _, err := auth.New(store).Authenticate(context.Background(), secret); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Fatalf("round %d: a revoked key authenticates on another replica: %v", round, err)
		}
	}
}
