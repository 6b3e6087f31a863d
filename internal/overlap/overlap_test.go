package overlap

import (
	"slices"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	got := Words("Cliënten in Fryslân: regio’s, t/m 10.00 uur — É-health!")
	want := []string{"clienten", "in", "fryslan", "regio", "s", "t", "m", "10", "00", "uur", "e", "health"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSentences(t *testing.T) {
	got := Sentences("Een eerste zin. Een tweede\nzin over twee regels!\n\n## Kop\n- punt een\n• punt twee\nOm 10.00 uur.")
	want := []string{"Een eerste zin.", "Een tweede zin over twee regels!", "## Kop", "- punt een", "• punt twee Om 10.00 uur."}
	if !slices.Equal(got, want) {
		t.Errorf("got %q,\nwant %q", got, want)
	}
}

// source is an invented source text for the tests.
const source = "De fietsers van de club reden op zondag samen door het groene dal naar de oude molen. Daarna dronken zij koffie."

func TestCheck(t *testing.T) {
	fps := []Fingerprint{NewFingerprint("club.txt", source)}
	if strings.Contains(strings.Join(fps[0].Runs, " "), "molen") {
		t.Fatal("the fingerprint holds source words")
	}
	cases := []struct {
		name, text string
		runs       int
		sentences  int
	}{
		{"own words", "Op zondag ging de club op de fiets naar een molen, en koffie volgde.", 0, 0},
		{"a run of 8, folded", "Gisteren reden op ZONDAG samen door het groene dál de kinderen, met veel wind en regen onderweg en pas laat thuis.", 1, 0},
		{"a run of 7 only", "Zij reden op zondag samen door het groene bos, met veel wind en regen onderweg.", 0, 0},
		{"the words of a source sentence reordered", "Naar de oude molen reden de fietsers van de club op zondag door het dal.", 0, 1},
		{"a short sentence is not measured", "Daarna dronken zij koffie.", 0, 0},
	}
	for _, c := range cases {
		var runs, sentences int
		for _, f := range Check(c.text, fps) {
			if f.Run != "" {
				runs++
			} else {
				sentences++
			}
		}
		if runs != c.runs || sentences != c.sentences {
			t.Errorf("%s: got %d runs and %d sentences, want %d and %d", c.name, runs, sentences, c.runs, c.sentences)
		}
	}
}
