package content_test

import (
	"fmt"
	"testing"

	"estafette/content"
)

// BenchmarkWriteRevision measures what the revision adds to a write: an
// update of a seeded activity (with its audit entry, on the embedded
// store) without and with the revision in the same Apply. The revision is
// one more document of the record's size with six index values, against a
// record with dozens of search terms, so it should cost well under 1.3
// times the write without it:
//
//	go test ./content -run '^$' -bench WriteRevision -benchtime 2000x
func BenchmarkWriteRevision(b *testing.B) {
	for _, c := range []struct {
		name      string
		revisions bool
	}{{"without", false}, {"with", true}} {
		b.Run(c.name+"-revision", func(b *testing.B) {
			cat := seeded(b)
			if !c.revisions {
				cat = cat.WithoutRevisions()
			}
			a, err := content.Create(editor, cat, newActivity("bench-revisie"))
			if err != nil {
				b.Fatal(err)
			}
			v := a.Version
			b.ResetTimer()
			for i := range b.N {
				a, err = content.Update(editor, cat, a.ID, v, func(x *content.Activity) error {
					x.Summary = content.NLText(fmt.Sprintf("Samenvatting, versie %d, over robotzorg in de wijk en wat die vraagt van zorgverleners", i))
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				v = a.Version
			}
		})
	}
}
