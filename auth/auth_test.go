package auth

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"estafette/content"
	"estafette/sqlite"
)

func newKeys(t *testing.T) (*Keys, context.Context) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), t.TempDir(), slices.Concat(content.Collections, Collections))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(s), CommandLine(context.Background(), "test")
}

func TestKeys(t *testing.T) {
	k, ctx := newKeys(t)
	secret, key, err := k.Create(ctx, "ZonMw redactie", content.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, Prefix))
	if err != nil || len(raw) < 16 {
		t.Fatalf("the key holds %d random bytes, want at least 16 (128 bits): %v", len(raw), err)
	}
	other, _, _ := k.Create(ctx, "ander", content.RoleReader)
	if other == secret {
		t.Fatal("two keys are equal")
	}
	docs, _ := k.store.Get(ctx, KindAPIKey, []string{key.ID})
	if strings.Contains(string(docs[key.ID].Body), secret) || strings.Contains(string(docs[key.ID].Body), secret[len(Prefix)+6:]) {
		t.Fatal("the store holds the key itself")
	}
	got, err := k.Authenticate(context.Background(), secret)
	if err != nil || got.ID != key.ID || got.Role != content.RoleEditor {
		t.Fatalf("authenticate: %+v %v", got, err)
	}
	for _, bad := range []string{"", "sze_", secret + "x", strings.ToUpper(secret), "Bearer " + secret} {
		if _, err := k.Authenticate(context.Background(), bad); content.ErrorCode(err) != content.EUNAUTHORIZED {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// Last used is recorded.
	list, _ := k.List(ctx)
	var used bool
	for _, l := range list {
		if l.ID == key.ID && l.LastUsedAt != nil {
			used = true
		}
	}
	if !used {
		t.Error("last-used time not recorded")
	}
	// Revocation is immediate on this replica, and within the cache time on
	// another one.
	elsewhere := New(k.store)
	if _, err := elsewhere.Authenticate(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Revoke(ctx, key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Authenticate(context.Background(), secret); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Errorf("a revoked key still works here: %v", err)
	}
	later := time.Now().Add(cacheTTL + time.Second)
	elsewhere.now = func() time.Time { return later }
	if _, err := elsewhere.Authenticate(context.Background(), secret); content.ErrorCode(err) != content.EUNAUTHORIZED {
		t.Errorf("a revoked key still works on another replica after the cache time: %v", err)
	}
	// Only admins manage keys.
	editorCtx := content.WithViewer(context.Background(), content.Viewer{Actor: "x", Role: content.RoleEditor})
	if _, _, err := k.Create(editorCtx, "y", content.RoleAdmin); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Errorf("an editor created a key: %v", err)
	}
	if _, _, err := k.Create(ctx, " ", content.RoleAdmin); content.ErrorCode(err) != content.EINVALID {
		t.Errorf("a key without a name: %v", err)
	}
}
