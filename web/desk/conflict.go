package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"estafette/content"
)

// conflictView is the screen shown when someone else saved the record
// after the form was opened: every field that differs, with the value
// when the form was opened, theirs and mine, and a choice per field.
type conflictView struct {
	KindPath, ID, Heading string
	TheirVersion          int64
	TheirBy               string
	Rows                  []conflictRow
	Hidden                []hiddenField // my values of every input
}

type conflictRow struct {
	Name, ID, Label      string
	Base, Theirs, Mine   string
	BothChanged          bool
	TakeTheirs           bool
	TheirValues          []string
	HasBase              bool
	ChooseLabel          string
	MineLabel, TheirsLbl string
}

type hiddenField struct{ Name, Value string }

// conflict shows the conflict screen for my values (v), opened at
// version, against the record as it is now.
func (d *Desk) conflict(w http.ResponseWriter, r *http.Request, k *kindDesk, id string, version int64, v url.Values) {
	ctx, l := r.Context(), langOf(r)
	cur, err := k.ops.get(ctx, d.cat, id)
	if err != nil || cur == nil {
		if err == nil {
			err = content.Errorf(content.ENOTFOUND, "%s", l.T("notFound"))
		}
		d.fail(w, r, err)
		return
	}
	theirs := k.toForm(cur)
	var base url.Values
	if rev, err := d.cat.GetRevision(ctx, k.Kind, id, version); err == nil {
		if rec, err := rev.Record(); err == nil {
			base = k.toForm(rec)
		}
	}
	m := content.MetaOf(cur)
	cv := conflictView{KindPath: k.Path, ID: id, Heading: k.title(cur), TheirVersion: m.Version}
	if rev, err := d.cat.GetRevision(ctx, k.Kind, id, m.Version); err == nil {
		cv.TheirBy = fmt.Sprintf(l.T("conflictBy"), m.Version, rev.Author, rev.At.In(content.Amsterdam).Format("2006-01-02 15:04"))
	}
	rd, err := loadRefs(ctx, d.cat)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	for _, f := range k.Fields {
		for _, name := range f.inputs() {
			mine, their := values(v, name), values(theirs, name)
			if slices.Equal(mine, their) {
				continue
			}
			label := l.T(f.Label)
			if strings.HasSuffix(name, ".en") {
				label += " (" + l.T("english") + ")"
			} else if strings.HasSuffix(name, ".nl") {
				label += " (" + l.T("dutch") + ")"
			}
			row := conflictRow{Name: name, ID: inputID(name), Label: label,
				Theirs: display(f, their, rd, l), Mine: display(f, mine, rd, l), TheirValues: their,
				ChooseLabel: fmt.Sprintf(l.T("chooseFor"), label)}
			if base != nil {
				b := values(base, name)
				row.HasBase, row.Base = true, display(f, b, rd, l)
				iChanged, theyChanged := !slices.Equal(mine, b), !slices.Equal(their, b)
				row.BothChanged = iChanged && theyChanged
				row.TakeTheirs = theyChanged && !iChanged
			} else {
				row.BothChanged = true
			}
			cv.Rows = append(cv.Rows, row)
		}
	}
	for _, f := range k.Fields {
		for _, name := range f.inputs() {
			for _, x := range v[name] {
				cv.Hidden = append(cv.Hidden, hiddenField{name, x})
			}
		}
	}
	d.render(w, r, http.StatusConflict, "conflict", l.T("conflictTitle"), cv)
}

// values returns the values of name, with an empty value as none.
func values(v url.Values, name string) []string {
	var out []string
	for _, s := range v[name] {
		if s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// display shows field values as people read them: labels of references
// and choices, not ids.
func display(f field, vs []string, rd *refData, l lang) string {
	if len(vs) == 0 {
		return l.T("empty")
	}
	var opts []option
	if f.Options != nil {
		opts = f.Options(rd, l)
	}
	if f.Kind == fTri {
		opts = []option{{"yes", l.T("yes")}, {"no", l.T("no")}}
	}
	out := make([]string, len(vs))
	for i, s := range vs {
		out[i] = s
		for _, o := range opts {
			if o.Value == s {
				out[i] = o.Label
			}
		}
	}
	return strings.Join(out, ", ")
}

// resolved returns the values a save writes: the posted form, or, from the
// conflict screen, my values with the fields where the person took
// theirs (all of them for "theirs", none for "mine").
func resolved(r *http.Request) url.Values {
	v := r.PostForm
	how := v.Get("resolve")
	if how == "" {
		return v
	}
	out := url.Values{}
	for name, vs := range v {
		if !strings.HasPrefix(name, "theirs.") && !strings.HasPrefix(name, "choose.") {
			out[name] = vs
		}
	}
	for _, name := range v["conflict"] {
		take := v.Get("choose."+name) == "theirs"
		switch how {
		case "theirs":
			take = true
		case "mine":
			take = false
		}
		if take {
			out[name] = v["theirs."+name]
		}
	}
	return out
}
