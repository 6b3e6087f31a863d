package events_test

import (
	"context"
	"testing"
	"time"

	"estafette/content"
	"estafette/events"
	"estafette/internal/collections"
	"estafette/seed"
	"estafette/sqlite"
)

// Two buses on one store stand for two replicas: a write through either
// reaches the subscribers of both, once each.
func TestBusAcrossReplicas(t *testing.T) {
	s, err := sqlite.Open(context.Background(), t.TempDir(), collections.All())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cat := content.NewCatalog(s)
	if _, err := seed.Load(context.Background(), cat); err != nil {
		t.Fatal(err)
	}
	cat.SetOutbox(events.Outbox{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var subs []<-chan events.Event
	for range 2 {
		bus := events.NewBus(s, 20*time.Millisecond)
		go bus.Run(ctx)
		ch, stop := bus.Subscribe(func(e events.Event) bool { return e.Data.RecordType == "theme" })
		defer stop()
		subs = append(subs, ch)
	}
	time.Sleep(100 * time.Millisecond) // let both start after the seed
	editor := content.WithViewer(ctx, content.Viewer{Actor: "redactie", Role: content.RoleEditor})
	for i := range 3 {
		_, err := content.Create(editor, cat, &content.Theme{Meta: content.Meta{Slug: "t" + string(rune('a'+i)),
			Sources: []content.Source{{Title: "x"}}}, Name: content.NLText("T")})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, ch := range subs {
		seen := map[string]int{}
		deadline := time.After(3 * time.Second)
		for len(seen) < 3 {
			select {
			case e := <-ch:
				seen[e.ID]++
				if e.Type != "theme.created" || e.Data.Status != "draft" || e.Data.Actor != "redactie" || len(e.Data.SurrogateKeys) == 0 {
					t.Errorf("event %+v", e)
				}
			case <-deadline:
				t.Fatalf("replica %d saw %d of 3 events", i, len(seen))
			}
		}
		select {
		case e := <-ch:
			t.Errorf("replica %d got an extra event %s", i, e.ID)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func TestMatches(t *testing.T) {
	e := events.Event{Type: "activity.published"}
	for p, want := range map[string]bool{"*": true, "activity.*": true, "*.published": true, "activity.published": true,
		"recap.*": false, "activity.created": false} {
		if got := e.Matches([]string{p}); got != want {
			t.Errorf("%s matches %s: %v", p, e.Type, got)
		}
	}
	for p, want := range map[string]bool{"*": true, "recap.updated": true, "theme.*": true, "*.deleted": true, "activity.exploded": false, "nonsense": false, "": false} {
		if got := events.ValidPattern(p); got != want {
			t.Errorf("ValidPattern(%q) = %v", p, got)
		}
	}
}
