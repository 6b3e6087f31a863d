package graph

import (
	"context"
	"strings"

	"estafette/content"
	"estafette/graph/model"
	"estafette/submissions"
	"estafette/web/ratelimit"
)

// proposalView is a proposal as the API shows it; withContact tells
// whether the caller may see its contact (an editor, or the holder of
// its link).
func proposalView(p *submissions.Proposal, withContact bool) *model.Proposal {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := &model.Proposal{ID: submissions.GlobalID(p.ID), RawID: p.ID,
		State: model.ProposalState(strings.ToUpper(string(p.State))), EditionID: p.EditionID, RegionID: p.RegionID,
		ThemeIDs: p.ThemeIDs, ActivityID: p.ActivityID, Title: p.Title.NL, TitleEn: opt(p.Title.EN),
		Summary: opt(p.Summary.NL), SummaryEn: opt(p.Summary.EN), Date: p.Date, StartTime: p.StartTime, EndTime: p.EndTime,
		Mode: p.Mode, VenueName: p.VenueName, City: p.City, Province: opt(p.ProvinceSlug), Format: p.Format,
		Audiences: p.Audiences, Interactive: p.Interactive, CoOrganisers: p.CoOrganisers, RegistrationURL: p.RegistrationURL,
		Organisation: p.Organisation, Reason: opt(p.Reason), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		ConfirmedAt: p.ConfirmedAt, DecidedAt: p.DecidedAt, Version: p.Version}
	if out.Audiences == nil {
		out.Audiences = []content.Audience{}
	}
	if out.CoOrganisers == nil {
		out.CoOrganisers = []string{}
	}
	if withContact && !p.ContactErased && p.Contact.Email != "" {
		out.Contact = &model.ProposalContact{Name: p.Contact.Name, Email: p.Contact.Email, Phone: p.Contact.Phone}
	}
	return out
}

// proposalResult shows the result of a call through a link's token.
func proposalResult(p *submissions.Proposal, err error) (*model.Proposal, error) {
	if err != nil {
		return nil, err
	}
	return proposalView(p, true), nil
}

// proposalInput resolves the references of a proposal's activity.
func proposalInput(ctx context.Context, cat *content.Catalog, in *model.ProposalActivityInput) (submissions.Input, error) {
	rf := &refs{ctx: ctx, cat: cat}
	out := submissions.Input{EditionID: rf.edition(&in.Edition, "edition"), RegionID: rf.one(content.KindRegion, &in.Region, "region"),
		Title: toText(in.Title), Summary: toText(in.Summary), Date: in.Date, StartTime: in.StartTime, EndTime: in.EndTime,
		Mode: in.Mode, VenueName: in.VenueName, City: in.City, ProvinceSlug: str(in.Province), Format: in.Format,
		ThemeIDs: rf.many(content.KindTheme, in.Themes, "themes"), Audiences: in.Audiences, Interactive: in.Interactive,
		CoOrganisers: in.CoOrganisers, RegistrationURL: in.RegistrationURL, Organisation: in.Organisation}
	return out, rf.err
}

// proposalID reads the id of a proposal from its global ID.
func proposalID(gid string) (string, error) {
	return submissions.ParseID(gid)
}

// client names the caller for the limits of proposals: the rate
// limiter's name of it ("" when rate limiting is off).
func client(ctx context.Context) string { return ratelimit.Client(ctx) }

// submissions returns the handler of proposals, or an error when the
// program has none.
func (r *Resolver) submissions() (*submissions.Submissions, error) {
	if r.Submissions == nil {
		return nil, content.Errorf(content.EFORBIDDEN, "this server takes no proposals")
	}
	return r.Submissions, nil
}
