package content

import (
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Cliënten":      "clienten",
		"Fryslân":       "fryslan",
		"Straße":        "strasse",
		"BeterDichtbij": "beterdichtbij",
		"ÉÈÊË":          "eeee",
		"":              "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	got := Tokens("Tour de BeterDichtbij", "e-health voor cliënten", "Innovatie-Route")
	for _, want := range []string{"tour", "de", "beterdichtbij", "beter", "dichtbij", "e", "health", "ehealth", "clienten", "innovatie", "route", "innovatieroute"} {
		if !slices.Contains(got, want) {
			t.Errorf("Tokens misses %q; got %v", want, got)
		}
	}
	seen := map[string]bool{}
	for _, tok := range got {
		if seen[tok] {
			t.Errorf("token %q appears twice", tok)
		}
		seen[tok] = true
	}
}

func TestQueryTokens(t *testing.T) {
	cases := map[string][]string{
		"Tour de BeterDichtbij": {"tour", "beterdichtbij"},
		"de":                    {"de"},
		"  e-Health  ":          {"ehealth"},
		"cliënten cliënten":     {"clienten"},
		"!!!":                   nil,
	}
	for in, want := range cases {
		if got := QueryTokens(in); !slices.Equal(got, want) {
			t.Errorf("QueryTokens(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSortKeyOf(t *testing.T) {
	if a, b := SortKeyOf("Ärzte"), SortKeyOf("Beter"); a >= b {
		t.Errorf("SortKeyOf(Ärzte)=%q should sort before SortKeyOf(Beter)=%q", a, b)
	}
	if got := SortKeyOf("  GOOD   FOOD! "); got != "good food" {
		t.Errorf("SortKeyOf = %q, want %q", got, "good food")
	}
	if got := SortKeyOf("!!"); got != nullLast {
		t.Errorf("SortKeyOf of no letters = %q, want the null key", got)
	}
}

func TestTextFallsBackToDutch(t *testing.T) {
	tx := Text{NL: "Hallo"}
	if tx.In(EN) != "Hallo" || tx.Has(EN) {
		t.Errorf("English of a Dutch-only text: In=%q Has=%v", tx.In(EN), tx.Has(EN))
	}
	if (Text{}).Ptr(NL) != nil {
		t.Error("an absent text must be null")
	}
}
