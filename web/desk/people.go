package desk

import (
	"context"
	"net/http"
	"strings"
	"time"

	"estafette/content"
	"estafette/people"
)

// PeopleAdmin is what the admin pages of people need from package people
// (*people.People has it): every method checks that the caller of ctx is
// an admin and writes its audit entry under the caller's name.
type PeopleAdmin interface {
	List(ctx context.Context) ([]*people.Person, error)
	LastSeen(ctx context.Context) (map[string]time.Time, error)
	Invite(ctx context.Context, email, name string, role content.Role) (*people.Person, string, error)
	NewInvitation(ctx context.Context, id string) (string, error)
	SetRole(ctx context.Context, id string, role content.Role) (*people.Person, error)
	Disable(ctx context.Context, id string) (*people.Person, error)
	Enable(ctx context.Context, id string) (*people.Person, error)
}

// peopleView is the page of people.
type peopleView struct {
	People []personRow
	Roles  []string
	// Invite is the one-time link of the person just invited, shown on
	// this answer only (the page is never cached), as users create
	// prints it.
	Invite     string
	InviteName string
	Problem    string
	Email      string
	Name       string
	Role       string
	Hours      int
	Self       string
}

type personRow struct {
	*people.Person
	LastSeen *time.Time
}

func (d *Desk) peoplePage(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	d.showPeople(w, r, http.StatusOK, peopleView{})
}

func (d *Desk) showPeople(w http.ResponseWriter, r *http.Request, status int, pv peopleView) {
	pv.Roles = []string{string(content.RoleReader), string(content.RoleEditor), string(content.RoleAdmin)}
	pv.Hours = int(people.InviteValidity.Hours())
	pv.Self = session(r).Person.ID
	if pv.Role == "" {
		pv.Role = string(content.RoleEditor)
	}
	list, err := d.opts.People.List(r.Context())
	if err != nil {
		d.fail(w, r, err)
		return
	}
	seen, err := d.opts.People.LastSeen(r.Context())
	if err != nil {
		d.fail(w, r, err)
		return
	}
	for _, p := range list {
		row := personRow{Person: p}
		if t, ok := seen[p.ID]; ok {
			row.LastSeen = &t
		}
		pv.People = append(pv.People, row)
	}
	d.render(w, r, status, "people", langOf(r).T("people"), pv)
}

// invitePerson adds a person with a one-time link to set a password.
func (d *Desk) invitePerson(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	email, name, role := r.PostFormValue("email"), r.PostFormValue("name"), r.PostFormValue("role")
	p, token, err := d.opts.People.Invite(r.Context(), email, name, content.Role(role))
	if code := content.ErrorCode(err); code == content.EINVALID || code == content.ECONFLICT {
		d.showPeople(w, r, statusOf(err), peopleView{Problem: content.ErrorMessage(err), Email: email, Name: name, Role: role})
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	d.showPeople(w, r, http.StatusCreated, peopleView{Invite: d.inviteLink(r, token), InviteName: p.Name})
}

// reinvitePerson gives a person a new one-time link (an expired
// invitation, a forgotten password).
func (d *Desk) reinvitePerson(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	id := r.PathValue("id")
	token, err := d.opts.People.NewInvitation(r.Context(), id)
	if content.ErrorCode(err) == content.ECONFLICT {
		d.showPeople(w, r, http.StatusConflict, peopleView{Problem: content.ErrorMessage(err)})
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	name := ""
	if list, err := d.opts.People.List(r.Context()); err == nil {
		for _, p := range list {
			if p.ID == id {
				name = p.Name
			}
		}
	}
	d.showPeople(w, r, http.StatusCreated, peopleView{Invite: d.inviteLink(r, token), InviteName: name})
}

// inviteLink is the address of an invitation: on PUBLIC_URL, else on the
// request's own origin.
func (d *Desk) inviteLink(r *http.Request, token string) string {
	base := strings.TrimRight(d.opts.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/desk/invite/" + token
}

// changePerson changes a person's role, or disables or enables them.
func (d *Desk) changePerson(w http.ResponseWriter, r *http.Request) {
	if !d.requireAdmin(w, r) {
		return
	}
	id, ctx := r.PathValue("id"), r.Context()
	var err error
	switch r.PathValue("action") {
	case "role":
		_, err = d.opts.People.SetRole(ctx, id, content.Role(r.PostFormValue("role")))
	case "disable":
		_, err = d.opts.People.Disable(ctx, id)
	case "enable":
		_, err = d.opts.People.Enable(ctx, id)
	default:
		d.notFound(w, r)
		return
	}
	if code := content.ErrorCode(err); code == content.EINVALID || code == content.ECONFLICT {
		d.showPeople(w, r, statusOf(err), peopleView{Problem: content.ErrorMessage(err)})
		return
	}
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if r.PathValue("action") == "disable" && id == session(r).Person.ID {
		// Disabling oneself ended one's own session.
		http.Redirect(w, r, "/desk/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/desk/people?done=saved", http.StatusSeeOther)
}
