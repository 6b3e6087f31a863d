package gqlhttp

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

func opContext(kind ast.Operation) context.Context {
	return graphql.WithOperationContext(context.Background(), &graphql.OperationContext{Operation: &ast.OperationDefinition{Operation: kind}})
}

// TestAdmission: at most the bound of operations execute at once, a
// waiting one gives up at its deadline, and subscriptions hold no slot.
func TestAdmission(t *testing.T) {
	a := admission{slots: make(chan struct{}, 2)}
	var running, peak atomic.Int32
	release := make(chan struct{})
	next := func(ctx context.Context) *graphql.Response {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		running.Add(-1)
		return &graphql.Response{}
	}
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := a.InterceptResponse(opContext(ast.Query), next); len(r.Errors) != 0 {
				t.Errorf("errors: %v", r.Errors)
			}
		}()
	}
	// Two take the slots (more would show in peak below); the others wait.
	for deadline := time.Now().Add(5 * time.Second); running.Load() < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d operations run after 5s, want 2", running.Load())
		}
	}

	// Both slots are taken: one more gives up at its deadline.
	ctx, cancel := context.WithTimeout(opContext(ast.Query), 20*time.Millisecond)
	defer cancel()
	r := a.InterceptResponse(ctx, func(context.Context) *graphql.Response { t.Error("ran without a slot"); return nil })
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "REQUEST_TIMEOUT" {
		t.Errorf("over the deadline: %v", r.Errors)
	}
	// A subscription does not wait for a slot.
	if r := a.InterceptResponse(opContext(ast.Subscription), func(context.Context) *graphql.Response { return &graphql.Response{} }); r == nil || len(r.Errors) != 0 {
		t.Errorf("subscription: %v", r)
	}
	close(release)
	wg.Wait()
	if peak.Load() != 2 {
		t.Errorf("peak %d, want 2", peak.Load())
	}
}
