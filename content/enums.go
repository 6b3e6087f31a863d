package content

// Mode says where an activity takes place.
type Mode string

// The modes of an activity.
const (
	ModeOnsite Mode = "onsite"
	ModeOnline Mode = "online"
	ModeHybrid Mode = "hybrid"
)

// Modes lists every Mode.
var Modes = []Mode{ModeOnsite, ModeOnline, ModeHybrid}

// Format is the kind of an activity.
type Format string

// The formats of an activity.
const (
	FormatOpening       Format = "opening"       // a kick-off of an edition or a regional week
	FormatClosing       Format = "closing"       // the closing meeting of an edition
	FormatWorkshop      Format = "workshop"      // hands-on session
	FormatPresentation  Format = "presentation"  // talk or lecture
	FormatMeeting       Format = "meeting"       // gathering, discussion or network meeting
	FormatWebinar       Format = "webinar"       // online talk
	FormatPitch         Format = "pitch"         // pitch event
	FormatDemonstration Format = "demonstration" // technology shown or tried out
	FormatVisit         Format = "visit"         // a visit to a care organisation
	FormatExperience    Format = "experience"    // an experience lab or try-out
	FormatOther         Format = "other"         // none of the above
)

// Formats lists every Format.
var Formats = []Format{FormatOpening, FormatClosing, FormatWorkshop, FormatPresentation, FormatMeeting,
	FormatWebinar, FormatPitch, FormatDemonstration, FormatVisit, FormatExperience, FormatOther}

// Audience is a group an activity is meant for.
type Audience string

// The audiences of an activity.
const (
	AudienceCareProfessionals Audience = "care_professionals"
	AudienceClients           Audience = "clients"
	AudienceStudents          Audience = "students"
	AudienceManagers          Audience = "managers"
	AudiencePolicyMakers      Audience = "policy_makers"
	AudienceResearchers       Audience = "researchers"
	AudienceInnovators        Audience = "innovators"
	AudienceGeneralPublic     Audience = "general_public"
)

// Audiences lists every Audience.
var Audiences = []Audience{AudienceCareProfessionals, AudienceClients, AudienceStudents, AudienceManagers,
	AudiencePolicyMakers, AudienceResearchers, AudienceInnovators, AudienceGeneralPublic}

// OrganizationKind classifies an organisation.
type OrganizationKind string

// The kinds of organisation.
const (
	OrgMinistry     OrganizationKind = "ministry"
	OrgFunder       OrganizationKind = "funder"
	OrgHospital     OrganizationKind = "hospital"
	OrgEducation    OrganizationKind = "education"
	OrgCompany      OrganizationKind = "company"
	OrgNetwork      OrganizationKind = "network"
	OrgCareProvider OrganizationKind = "care_provider"
	OrgPublisher    OrganizationKind = "publisher"
	OrgInsurer      OrganizationKind = "insurer"
)

// OrganizationKinds lists every OrganizationKind.
var OrganizationKinds = []OrganizationKind{OrgMinistry, OrgFunder, OrgHospital, OrgEducation, OrgCompany,
	OrgNetwork, OrgCareProvider, OrgPublisher, OrgInsurer}

// Status says whether a record is visible to the public.
type Status string

// The statuses of a record.
const (
	StatusPublished Status = "published"
	StatusDraft     Status = "draft"
)

// StatusDeleted is the index value of "status" for a deleted record; it is
// not a Status a record has, and no reader ever sees such a record.
const StatusDeleted = "deleted"

// Statuses lists every Status.
var Statuses = []Status{StatusPublished, StatusDraft}

// Each enum is stored in lower case. The API shows it as its upper-case name
// (ONSITE, ORGANIZATION_KIND): that mapping belongs to the API, not to the
// domain, and lives in gqlgen.yml (enum_values).
