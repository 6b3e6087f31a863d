package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"estafette/content"
)

// formView is an edit form.
type formView struct {
	KindPath  string
	KindLabel string
	ID        string
	New       bool
	Version   int64
	Status    string
	Published bool
	Action    string
	Heading   string
	Groups    []groupView
	Problems  []problemView
	MissingEN int
	Preview   string
	Slug      string
}

type groupView struct {
	Legend string
	Fields []ctrlView
}

// ctrlView is one field of the form as the template draws it.
type ctrlView struct {
	Name, ID, Label, Kind, Hint string
	Required                    bool
	Value                       string
	Options                     []optView
	Problems                    []string
	Local                       bool
	NL, EN                      langInput
	MissingEN                   bool
	Markdown                    bool
	Picker                      bool
}

type langInput struct {
	Name, ID, Value string
	Problems        []string
}

type optView struct {
	Value, Label string
	Selected     bool
}

type problemView struct {
	Target, Label, Message string
}

// inputID is the id of the input for a form name.
func inputID(name string) string {
	return "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name)
}

// problemMap files problems under the input (or field) they belong to;
// "" holds those that belong to none.
func problemMap(k *kindDesk, errs []*content.Error) map[string][]string {
	out := map[string][]string{}
	for _, e := range errs {
		owner := k.ownerOf(e.Field)
		out[owner] = append(out[owner], e.Message)
	}
	return out
}

// buildForm lays out the form of kind k with values v and problems errs.
func (d *Desk) buildForm(ctx context.Context, k *kindDesk, l lang, v url.Values, errs []*content.Error, isNew bool) (formView, error) {
	rd, err := loadRefs(ctx, d.cat)
	if err != nil {
		return formView{}, err
	}
	pm := problemMap(k, errs)
	fv := formView{KindPath: k.Path, KindLabel: l.T(k.One), New: isNew}
	groups := map[string]int{}
	for _, f := range k.Fields {
		if f.Create && !isNew {
			continue
		}
		c := ctrlView{Name: f.Name, ID: inputID(f.Name), Label: l.T(f.Label), Kind: string(f.Kind), Required: f.Required,
			Value: v.Get(f.Name), Problems: pm[f.Name], Markdown: f.Kind == fMarkdown}
		if f.Hint != "" {
			c.Hint = l.T(f.Hint)
		}
		if f.Kind.localized() {
			c.Local = true
			c.NL = langInput{Name: f.Name + ".nl", ID: inputID(f.Name + ".nl"), Value: v.Get(f.Name + ".nl"), Problems: pm[f.Name+".nl"]}
			c.EN = langInput{Name: f.Name + ".en", ID: inputID(f.Name + ".en"), Value: v.Get(f.Name + ".en"), Problems: pm[f.Name+".en"]}
			c.MissingEN = strings.TrimSpace(c.NL.Value) != "" && strings.TrimSpace(c.EN.Value) == ""
			if c.MissingEN {
				fv.MissingEN++
			}
		}
		if f.Options != nil {
			for _, o := range f.Options(rd, l) {
				c.Options = append(c.Options, optView{o.Value, o.Label, slices.Contains(v[f.Name], o.Value)})
			}
			c.Picker = len(c.Options) > 8
		}
		if f.Kind == fTri {
			for _, o := range []option{{"", l.T("unknown")}, {"yes", l.T("yes")}, {"no", l.T("no")}} {
				c.Options = append(c.Options, optView{o.Value, o.Label, v.Get(f.Name) == o.Value})
			}
		}
		i, ok := groups[f.Group]
		if !ok || f.Group == "" {
			legend := ""
			if f.Group != "" {
				legend = l.T(f.Group)
			}
			fv.Groups = append(fv.Groups, groupView{Legend: legend})
			i = len(fv.Groups) - 1
			if f.Group != "" {
				groups[f.Group] = i
			}
		}
		fv.Groups[i].Fields = append(fv.Groups[i].Fields, c)
	}
	// The summary lists the problems in the order of the form.
	for _, f := range k.Fields {
		for _, name := range append([]string{f.Name}, f.inputs()...) {
			if name == f.Name && f.Kind.localized() && len(pm[name]) == 0 {
				continue
			}
			for _, m := range pm[name] {
				label := l.T(f.Label)
				if strings.HasSuffix(name, ".en") {
					label += " (" + l.T("english") + ")"
				} else if strings.HasSuffix(name, ".nl") {
					label += " (" + l.T("dutch") + ")"
				}
				target := inputID(name)
				if f.Kind.localized() && name == f.Name {
					target = inputID(name + ".nl")
				}
				fv.Problems = append(fv.Problems, problemView{target, label, m})
			}
			pm[name] = nil
		}
	}
	for _, m := range pm[""] {
		fv.Problems = append(fv.Problems, problemView{"", l.T("general"), m})
	}
	return fv, nil
}

// problemsOf returns the validation problems err carries, or nil when err
// is not about the input.
func problemsOf(err error) []*content.Error {
	var ps content.Problems
	if errors.As(err, &ps) {
		return ps
	}
	var e *content.Error
	if errors.As(err, &e) && e.Code == content.EINVALID {
		return []*content.Error{e}
	}
	return nil
}

func (d *Desk) kind(w http.ResponseWriter, r *http.Request) *kindDesk {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/desk/"), "/", 2)
	k := kindByPath(parts[0])
	if k == nil {
		d.notFound(w, r)
	}
	return k
}

func (d *Desk) newForm(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	d.showForm(w, r, k, http.StatusOK, k.toForm(k.ops.blank()), nil, nil)
}

func (d *Desk) editForm(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	rec, err := k.ops.get(r.Context(), d.cat, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if rec == nil {
		d.notFound(w, r)
		return
	}
	d.showForm(w, r, k, http.StatusOK, k.toForm(rec), rec, nil)
}

// showForm renders the form of k; rec is the stored record (nil for a
// new one).
func (d *Desk) showForm(w http.ResponseWriter, r *http.Request, k *kindDesk, status int, v url.Values, rec content.Record, errs []*content.Error) {
	l := langOf(r)
	fv, err := d.buildForm(r.Context(), k, l, v, errs, rec == nil)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	fv.Action = "/desk/" + k.Path + "/new"
	fv.Heading = fmt.Sprintf(l.T("newOf"), strings.ToLower(l.T(k.One)))
	if rec != nil {
		m := content.MetaOf(rec)
		fv.ID, fv.Version, fv.Status, fv.Published, fv.Slug = m.ID, m.Version, l.T(string(m.Status)), m.IsPublished(), m.Slug
		fv.Action = "/desk/" + k.Path + "/" + m.ID
		fv.Preview = fv.Action + "/preview"
		fv.Heading = k.title(rec)
		if v := r.PostFormValue("version"); v != "" && status != http.StatusOK {
			fv.Version, _ = strconv.ParseInt(v, 10, 64) // the version the form was opened at
		}
	}
	d.render(w, r, status, "form", fv.Heading, fv)
}

// action is what a save asks for besides saving: "publish" to publish too.
func saveAction(r *http.Request) string { return r.PostFormValue("action") }

func (d *Desk) create(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	ctx, l := r.Context(), langOf(r)
	v := r.PostForm
	rec := k.ops.blank()
	if errs := k.fromForm(v, rec, l); len(errs) > 0 {
		d.showForm(w, r, k, http.StatusUnprocessableEntity, v, nil, withDomainProblems(ctx, d.cat, rec, errs))
		return
	}
	if saveAction(r) == "publish" {
		content.MetaOf(rec).Status = content.StatusPublished
	}
	out, err := k.ops.create(ctx, d.cat, rec)
	if errs := problemsOf(err); errs != nil {
		d.showForm(w, r, k, http.StatusUnprocessableEntity, v, nil, errs)
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	done := "created"
	if content.MetaOf(out).IsPublished() {
		done = "published"
	}
	http.Redirect(w, r, "/desk/"+k.Path+"/"+content.MetaOf(out).ID+"?done="+done, http.StatusSeeOther)
}

// withDomainProblems adds the domain's own problems with rec to those of
// reading the form, so that every problem shows at once.
func withDomainProblems(ctx context.Context, c *content.Catalog, rec content.Record, errs []*content.Error) []*content.Error {
	if err := c.Validate(ctx, rec); err != nil {
		for _, e := range problemsOf(err) {
			if !slices.ContainsFunc(errs, func(x *content.Error) bool { return x.Field == e.Field }) {
				errs = append(errs, e)
			}
		}
	}
	return errs
}

func (d *Desk) save(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	ctx, l := r.Context(), langOf(r)
	id := r.PathValue("id")
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		d.fail(w, r, content.Invalidf("version", "the form has no version; open it again"))
		return
	}
	if r.PostFormValue("resolve") == "theirs" {
		// Take theirs in full: nothing of mine is written.
		http.Redirect(w, r, "/desk/"+k.Path+"/"+id, http.StatusSeeOther)
		return
	}
	v := resolved(r)
	var formErrs []*content.Error
	out, err := k.ops.update(ctx, d.cat, id, version, func(rec content.Record) error {
		if errs := k.fromForm(v, rec, l); len(errs) > 0 {
			formErrs = withDomainProblems(ctx, d.cat, rec, errs)
			return content.Problems(formErrs)
		}
		return nil
	})
	if content.ErrorCode(err) == content.ECONFLICT && content.ErrorField(err) == "expectedVersion" {
		d.conflict(w, r, k, id, version, v)
		return
	}
	if errs := problemsOf(err); errs != nil {
		cur, gerr := k.ops.get(ctx, d.cat, id)
		if gerr != nil || cur == nil {
			d.fail(w, r, err)
			return
		}
		r.PostForm.Set("version", strconv.FormatInt(version, 10))
		d.showForm(w, r, k, http.StatusUnprocessableEntity, v, cur, errs)
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	done := "saved"
	if saveAction(r) == "publish" {
		pub, err := k.ops.setStatus(ctx, d.cat, id, content.StatusPublished)
		if errs := problemsOf(err); errs != nil {
			r.PostForm.Set("version", strconv.FormatInt(content.MetaOf(out).Version, 10))
			d.showForm(w, r, k, http.StatusUnprocessableEntity, v, out, errs)
			return
		}
		if err != nil {
			d.fail(w, r, err)
			return
		}
		out, done = pub, "published"
	}
	http.Redirect(w, r, "/desk/"+k.Path+"/"+content.MetaOf(out).ID+"?done="+done, http.StatusSeeOther)
}

// status publishes, unpublishes, deletes or restores a record.
func (d *Desk) status(w http.ResponseWriter, r *http.Request) {
	k := d.kind(w, r)
	if k == nil {
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	var err error
	done := ""
	switch r.PostFormValue("op") {
	case "publish":
		_, err = k.ops.setStatus(ctx, d.cat, id, content.StatusPublished)
		done = "published"
	case "unpublish":
		_, err = k.ops.setStatus(ctx, d.cat, id, content.StatusDraft)
		done = "unpublished"
	case "delete":
		_, err = k.ops.remove(ctx, d.cat, id)
		if err == nil {
			http.Redirect(w, r, "/desk/"+k.Path+"?done=deleted", http.StatusSeeOther)
			return
		}
	case "restore":
		_, err = k.ops.restore(ctx, d.cat, id)
		done = "restored"
	default:
		err = content.Invalidf("op", "unknown action %q", r.PostFormValue("op"))
	}
	if errs := problemsOf(err); errs != nil && content.ErrorField(err) != "op" {
		// Publishing a draft that breaks a rule: show the rules with the form.
		cur, gerr := k.ops.get(ctx, d.cat, id)
		if gerr == nil && cur != nil {
			d.showForm(w, r, k, http.StatusUnprocessableEntity, k.toForm(cur), cur, errs)
			return
		}
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/desk/"+k.Path+"/"+id+"?done="+done, http.StatusSeeOther)
}
