package api

import (
	"encoding/json"
	"time"

	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/eligibility"
)

// member: the ID number masked and an age band (model.AgeBand) — never the birth date or the
// exact age beside the mask, which would complete the number (an exact age left ~33 candidates).
type member struct {
	Position       int            `json:"position"`
	Relation       model.Relation `json:"relation"`
	RelationLabel  string         `json:"relationLabel"`
	Name           string         `json:"name"`
	IDNumberMasked string         `json:"idNumberMasked"`
	Gender         string         `json:"gender"`
	Age            string         `json:"age,omitempty"` // an age band: 未满18岁, 18–59岁, 60–69岁, 70–79岁, 80岁以上
}

type event struct {
	Step       string       `json:"step"`
	Action     string       `json:"action"`
	FromStatus model.Status `json:"fromStatus,omitempty"`
	ToStatus   model.Status `json:"toStatus"`
	ActorType  string       `json:"actorType"`
	AreaCode   string       `json:"areaCode,omitempty"`
	Opinion    string       `json:"opinion,omitempty"`
	At         time.Time    `json:"at"`
	// ContentFlag: review = WeChat's content check asks for a human look at the resident's text;
	// unchecked = WeChat could not be asked. Read it before anything is made public.
	ContentFlag string `json:"contentFlag,omitempty"`
}

type checklistItem struct {
	ID      uint64 `json:"id"`
	Code    string `json:"code,omitempty"`
	Name    string `json:"name"`
	Note    string `json:"note,omitempty"`
	Why     string `json:"why,omitempty"`
	Provide string `json:"provide"` // required | shared | commitment_allowed
	Source  string `json:"source,omitempty"`
	Status  string `json:"status"`
	Round   int    `json:"round"`
	// The staff review (POST /api/v1/cases/{id}/items/{itemId}/review) and the documents.
	RejectReason string         `json:"rejectReason,omitempty"`
	ReviewedAt   *time.Time     `json:"reviewedAt,omitempty"`
	Documents    []documentView `json:"documents"`
}

type documentView struct {
	ID         uint64    `json:"id"`
	FileName   string    `json:"fileName"`
	Size       int64     `json:"size"`
	Type       string    `json:"type"` // sniffed: image/jpeg, image/png or application/pdf
	SHA256     string    `json:"sha256"`
	UploadedAt time.Time `json:"uploadedAt"`
}

// suggestionView is one pre-filled opinion entry from the eligibility engine.
type suggestionView struct {
	Category       model.Category `json:"category"`
	CategoryLabel  string         `json:"categoryLabel"`
	MemberPosition *int           `json:"memberPosition,omitempty"`
	Outcome        string         `json:"outcome"` // approved | refused
	MonthlyCents   int64          `json:"monthlyCents"`
	Basis          string         `json:"basis"` // the engine's checks, staff figures
}

// consentView: whose pledge and authorisation the case holds, how and when.
type consentView struct {
	ID          uint64     `json:"id"`
	Subject     string     `json:"subject"` // member | supporter | agent
	Position    int        `json:"position"`
	Who         string     `json:"who"` // masked name
	State       string     `json:"state"`
	Method      string     `json:"method,omitempty"` // self | wechat | paper
	TextVersion string     `json:"textVersion,omitempty"`
	ConfirmedAt *time.Time `json:"confirmedAt,omitempty"`
}

type deadline struct {
	Step        string     `json:"step"`
	Round       int        `json:"round"`
	DueOn       string     `json:"dueOn"`
	Days        int        `json:"days"`
	Unit        string     `json:"unit"` // working_days | calendar_days
	Provisional bool       `json:"provisional"`
	State       string     `json:"state"` // open | met | missed | cancelled
	Overdue     bool       `json:"overdue"`
	Basis       string     `json:"basis"`
	StartedAt   time.Time  `json:"startedAt"`
	ClosedAt    *time.Time `json:"closedAt,omitempty"`
}

type dataCheck struct {
	Round       int             `json:"round"`
	Status      string          `json:"status"`
	Outcome     string          `json:"outcome,omitempty"`
	Summary     string          `json:"summary,omitempty"`
	Results     json.RawMessage `json:"results"`
	Objection   string          `json:"objection,omitempty"`
	RequestedAt time.Time       `json:"requestedAt"`
	CompletedAt *time.Time      `json:"completedAt,omitempty"`
}

// spotCheckView is the case's row in a 特困 spot-check draw and, when sampled and checked, the
// in-person check (date, place, officers by name, findings).
type spotCheckView struct {
	DrawID     uint64     `json:"drawId"`
	Sampled    bool       `json:"sampled"`
	CheckedOn  string     `json:"checkedOn,omitempty"`
	Place      string     `json:"place,omitempty"`
	Officers   []string   `json:"officers"`
	Findings   string     `json:"findings,omitempty"`
	Confirmed  bool       `json:"confirmed"`
	RecordedAt *time.Time `json:"recordedAt,omitempty"`
}

type visit struct {
	Round           int      `json:"round"`
	VisitedOn       string   `json:"visitedOn"`
	Investigators   []string `json:"investigators"`
	ByCounty        bool     `json:"byCounty"`
	Findings        string   `json:"findings"`
	FamilyConfirmed bool     `json:"familyConfirmed"`
}

type entryView struct {
	Round          int            `json:"round,omitempty"`
	Category       model.Category `json:"category"`
	CategoryLabel  string         `json:"categoryLabel"`
	MemberPosition *int           `json:"memberPosition,omitempty"`
	Outcome        string         `json:"outcome"`
	MonthlyCents   int64          `json:"monthlyCents"`
	OneOffCents    int64          `json:"oneOffCents,omitempty"`
	Reason         string         `json:"reason,omitempty"`
	EffectiveMonth string         `json:"effectiveMonth,omitempty"`
	DeciderLevel   string         `json:"deciderLevel,omitempty"`
	MeetingRef     string         `json:"meetingRef,omitempty"`
	// MeetingOn, MeetingParticipants: the rest of the 一事一议 record (decisions).
	MeetingOn           string    `json:"meetingOn,omitempty"`
	MeetingParticipants string    `json:"meetingParticipants,omitempty"`
	PolicyRef           string    `json:"policyRef,omitempty"` // decisions: the region settings in force (as-of date#fingerprint)
	Urgent              bool      `json:"urgent,omitempty"`
	At                  time.Time `json:"at"`
	// Opinions: the engine's suggestion for this entry and the officer's reason for departing.
	EngineOutcome   string `json:"engineOutcome,omitempty"`
	EngineCents     int64  `json:"engineCents,omitempty"`
	DeviationReason string `json:"deviationReason,omitempty"`
}

type noticeView struct {
	Round         int        `json:"round"`
	StartsOn      string     `json:"startsOn"`
	EndsOn        string     `json:"endsOn"`
	Status        string     `json:"status"`
	NameMasked    string     `json:"nameMasked"`
	HouseholdSize int        `json:"householdSize"`
	Categories    string     `json:"categories"`
	MonthlyCents  int64      `json:"monthlyCents"`
	ClosedAt      *time.Time `json:"closedAt,omitempty"`
}

type objectionView struct {
	ID            uint64     `json:"id"`
	Name          string     `json:"name"`
	ContactMasked string     `json:"contactMasked"`
	Content       string     `json:"content"`
	Status        string     `json:"status"`
	Resolution    string     `json:"resolution,omitempty"`
	Followup      string     `json:"followup,omitempty"`
	At            time.Time  `json:"at"`
	ResolvedAt    *time.Time `json:"resolvedAt,omitempty"`
	ContentFlag   string     `json:"contentFlag,omitempty"` // as in the history
	// Online: raised from the mini-program by an account with a verified or desk-verified
	// identity (the name is that identity's); false: recorded by staff.
	Online     bool    `json:"online"`
	MergedInto *uint64 `json:"mergedInto,omitempty"` // status merged: the objection it duplicates
}

// caseDetail is the caseworker's view. ID numbers and the phone are masked (unmask with a
// reason, audited); names are shown in full to the staff of the case's own area (they need
// them to work the case) and every read is audited.
type caseDetail struct {
	ID          string       `json:"id"`
	CaseNo      string       `json:"caseNo"`
	Status      model.Status `json:"status"`
	StatusLabel string       `json:"statusLabel"`
	Stage       model.Stage  `json:"stage"`
	Version     int          `json:"version"`
	// AllowedActions: what the officer reading the case may do on it now — the status, the
	// role, the area's level, four eyes and the facts each action needs (a pending check or
	// objection, an undelivered refusal notice); the console offers exactly these.
	AllowedActions     []model.Action `json:"allowedActions"`
	Categories         []category     `json:"categories"`
	AreaCode           string         `json:"areaCode"`
	AreaName           string         `json:"areaName"`
	Address            string         `json:"address"`
	ApplicantPhone     string         `json:"applicantPhoneMasked"`
	Reason             string         `json:"reason"`
	Round              int            `json:"round"`
	InvestigationRound int            `json:"investigationRound"`
	Urgent             bool           `json:"urgent"`
	CloseRelative      bool           `json:"closeRelative"`
	AgentCase          bool           `json:"agentCase"`
	// ApplicantIdentity and BeneficiaryIdentity: how the accounts' identities are assured —
	// verified (WeChat real-name), desk_verified (an officer saw the 身份证), unverified;
	// beneficiaryIdentity is not_linked while no account of the beneficiary sees the case.
	ApplicantIdentity     string     `json:"applicantIdentity"`
	BeneficiaryIdentity   string     `json:"beneficiaryIdentity"`
	BeneficiaryVerifiedAt *time.Time `json:"beneficiaryVerifiedAt,omitempty"`
	DeciderLevel          string     `json:"deciderLevel,omitempty"`
	SpecialReason         string     `json:"specialReason,omitempty"`
	SpotChecked           bool       `json:"spotChecked"`
	// SpotCheck: the case's place in the county's 特困 spot-check draw (absent: not drawn yet).
	SpotCheck          *spotCheckView  `json:"spotCheck,omitempty"`
	NextDueOn          string          `json:"nextDueOn,omitempty"`
	NextDueStep        string          `json:"nextDueStep,omitempty"`
	NextDueProvisional bool            `json:"nextDueProvisional"`
	SubmittedAt        time.Time       `json:"submittedAt"`
	AcceptedAt         *time.Time      `json:"acceptedAt,omitempty"`
	Members            []member        `json:"members"`
	History            []event         `json:"history"`
	Checklist          []checklistItem `json:"checklist"`
	Deadlines          []deadline      `json:"deadlines"`
	DataChecks         []dataCheck     `json:"dataChecks"`
	Visits             []visit         `json:"visits"`
	Opinions           []entryView     `json:"opinions"`
	Notices            []noticeView    `json:"notices"`
	Objections         []objectionView `json:"objections"`
	Decisions          []entryView     `json:"decisions"`
	// The household's declaration (ID numbers masked) and the engine's classification of it
	// under today's regional policy: a pre-filled basis for the opinion, rule by rule.
	DeclaredFacts   *model.HouseholdFacts `json:"declaredFacts,omitempty"`
	Eligibility     *eligibility.Report   `json:"eligibility,omitempty"`
	EligibilityNote string                `json:"eligibilityNote,omitempty"`
	// SuggestedOpinion pre-fills the preliminary opinion from the engine (entries where it
	// decides; an officer departing from one gives entries[i].deviationReason).
	SuggestedOpinion []suggestionView `json:"suggestedOpinion"`
	Consents         []consentView    `json:"consents"`
	// Today is the server's civil date (China Standard Time): the default of the console's date
	// fields (a visit, an appointment), never the browser's clock.
	Today string `json:"today"`
	// Rating: the applicant's rating once the case is finished (GET only).
	Rating *ratingView `json:"rating,omitempty"`
}

func localPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(model.China())
	return &l
}

func posPtr(p int) *int {
	if p == model.HouseholdLevel {
		return nil
	}
	return &p
}

func toDetail(r *cases.StaffRecord) caseDetail {
	f := r.File
	c := &f.Case
	loc := model.China()
	today := r.Today
	v := caseDetail{ID: c.PublicID, CaseNo: c.CaseNo, Status: c.Status, StatusLabel: c.StatusLabel(), Stage: c.Stage, Version: c.Version,
		AllowedActions: r.Allowed, Categories: toCategories(f.Categories), AreaCode: c.AreaCode, AreaName: r.AreaName,
		Address: r.Address, ApplicantPhone: r.PhoneMasked, Reason: c.Reason, Round: c.Round, InvestigationRound: c.InvestigationRound,
		Urgent: c.Urgent, CloseRelative: c.CloseRelative, AgentCase: c.AgentResidentID != nil,
		ApplicantIdentity: r.ApplicantIdentity, BeneficiaryIdentity: r.BeneficiaryIdentity, BeneficiaryVerifiedAt: localPtr(r.BeneficiaryVerifiedAt), DeciderLevel: c.DeciderLevel,
		SpecialReason: c.SpecialReason, SpotChecked: c.SpotCheckedAt != nil, NextDueOn: c.NextDueOn, NextDueStep: c.NextDueStep,
		NextDueProvisional: c.NextDueProvisional, SubmittedAt: c.SubmittedAt.In(loc), AcceptedAt: localPtr(c.AcceptedAt),
		Members: []member{}, History: []event{}, Checklist: []checklistItem{}, Deadlines: []deadline{}, DataChecks: []dataCheck{},
		Visits: []visit{}, Opinions: []entryView{}, Notices: []noticeView{}, Objections: []objectionView{}, Decisions: []entryView{}, Today: today}
	if v.AllowedActions == nil {
		v.AllowedActions = []model.Action{}
	}
	for _, m := range f.Members {
		mv := member{Position: m.Position, Relation: m.Relation, RelationLabel: m.Relation.Label(), Name: m.Name,
			IDNumberMasked: m.IDMasked, Gender: m.Gender}
		if age, ok := r.Ages[m.Position]; ok {
			mv.Age = model.AgeBand(age)
		}
		v.Members = append(v.Members, mv)
	}
	for _, e := range r.Events {
		v.History = append(v.History, event{Step: e.Step, Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus,
			ActorType: e.ActorType, AreaCode: e.AreaCode, Opinion: e.Opinion, At: e.CreatedAt.In(loc), ContentFlag: e.ContentFlag})
	}
	for _, it := range f.Checklist {
		if it.Status == model.ItemNotNeeded {
			continue
		}
		ci := checklistItem{ID: it.ID, Code: it.Code, Name: it.Name, Note: it.Note, Why: it.Why,
			Provide: it.Provide, Source: it.Source, Status: it.Status, Round: it.Round,
			RejectReason: it.RejectReason, ReviewedAt: localPtr(it.ReviewedAt), Documents: []documentView{}}
		for _, d := range f.ItemDocuments(it.ID) {
			ci.Documents = append(ci.Documents, documentView{ID: d.ID, FileName: d.FileName, Size: d.Size, Type: d.MIME, SHA256: d.SHA256,
				UploadedAt: d.CreatedAt.In(loc)})
		}
		v.Checklist = append(v.Checklist, ci)
	}
	v.DeclaredFacts, v.Eligibility, v.EligibilityNote = r.Facts, r.Eligibility, r.EligibilityNote
	v.SuggestedOpinion = []suggestionView{}
	for _, sg := range r.Suggestions {
		v.SuggestedOpinion = append(v.SuggestedOpinion, suggestionView{Category: sg.Category, CategoryLabel: sg.Category.Label(),
			MemberPosition: posPtr(sg.MemberPosition), Outcome: sg.Outcome, MonthlyCents: sg.MonthlyCents, Basis: sg.Basis})
	}
	v.Consents = []consentView{}
	for _, k := range f.Consents {
		if k.State == model.ConsentVoid {
			continue
		}
		v.Consents = append(v.Consents, consentView{ID: k.ID, Subject: k.Subject, Position: k.Position, Who: r.ConsentNames[k.ID],
			State: k.State, Method: k.Method, TextVersion: k.TextVersion, ConfirmedAt: localPtr(k.ConfirmedAt)})
	}
	for _, d := range f.Deadlines {
		unit := "working_days"
		if d.Calendar {
			unit = "calendar_days"
		}
		v.Deadlines = append(v.Deadlines, deadline{Step: d.Step, Round: d.Round, DueOn: d.DueOn, Days: d.Days, Unit: unit,
			Provisional: d.Provisional, State: d.State, Overdue: d.State == model.ClockOpen && d.DueOn < today, Basis: d.Basis,
			StartedAt: d.StartedAt.In(loc), ClosedAt: localPtr(d.MetAt)})
	}
	for _, dc := range f.DataChecks {
		res := json.RawMessage(dc.Results)
		if !json.Valid(res) {
			res = json.RawMessage("[]")
		}
		v.DataChecks = append(v.DataChecks, dataCheck{Round: dc.Round, Status: dc.Status, Outcome: dc.Outcome, Summary: dc.Summary,
			Results: res, Objection: dc.Objection, RequestedAt: dc.RequestedAt.In(loc), CompletedAt: localPtr(dc.CompletedAt)})
	}
	for _, vi := range f.Visits {
		names := []string{}
		for _, id := range model.ParseIDList(vi.Investigators) {
			names = append(names, r.Investigators[id])
		}
		v.Visits = append(v.Visits, visit{Round: vi.Round, VisitedOn: vi.VisitedOn, Investigators: names, ByCounty: vi.ByCounty,
			Findings: vi.Findings, FamilyConfirmed: vi.FamilyConfirmed})
	}
	if sc := f.SpotCheckRow(); sc != nil {
		scv := &spotCheckView{DrawID: sc.DrawID, Sampled: sc.Sampled, CheckedOn: sc.CheckedOn, Place: sc.Place, Officers: []string{},
			Findings: sc.Findings, Confirmed: sc.Confirmed, RecordedAt: localPtr(sc.RecordedAt)}
		for _, id := range model.ParseIDList(sc.Officers) {
			scv.Officers = append(scv.Officers, r.Investigators[id])
		}
		v.SpotCheck = scv
	}
	for _, o := range f.Opinions {
		v.Opinions = append(v.Opinions, entryView{Round: o.Round, Category: o.Category, CategoryLabel: o.Category.Label(),
			MemberPosition: posPtr(o.MemberPosition), Outcome: o.Outcome, MonthlyCents: o.MonthlyCents, OneOffCents: o.OneOffCents, Reason: o.Reason, At: o.CreatedAt.In(loc),
			EngineOutcome: o.EngineOutcome, EngineCents: o.EngineCents, DeviationReason: o.DeviationReason})
	}
	for _, n := range f.Notices {
		v.Notices = append(v.Notices, noticeView{Round: n.Round, StartsOn: n.StartsOn, EndsOn: n.EndsOn, Status: n.Status,
			NameMasked: n.NameMasked, HouseholdSize: n.HouseholdSize, Categories: n.Categories, MonthlyCents: n.MonthlyCents, ClosedAt: localPtr(n.ClosedAt)})
	}
	for _, o := range f.Objections {
		v.Objections = append(v.Objections, objectionView{ID: o.ID, Name: o.Name, ContactMasked: o.ContactMasked, Content: o.Content,
			Status: o.Status, Resolution: o.Resolution, Followup: o.Followup, At: o.CreatedAt.In(loc), ResolvedAt: localPtr(o.ResolvedAt), ContentFlag: o.ContentFlag,
			Online: o.ResidentID != nil, MergedInto: o.MergedInto})
	}
	for _, d := range f.Decisions {
		v.Decisions = append(v.Decisions, entryView{Category: d.Category, CategoryLabel: d.Category.Label(), MemberPosition: posPtr(d.MemberPosition),
			Outcome: d.Outcome, MonthlyCents: d.MonthlyCents, OneOffCents: d.OneOffCents, Reason: d.Reason, EffectiveMonth: d.EffectiveMonth,
			DeciderLevel: d.DeciderLevel, MeetingRef: d.MeetingRef, MeetingOn: d.MeetingOn, MeetingParticipants: d.MeetingParticipants, PolicyRef: d.PolicyRef, Urgent: d.Urgent, At: d.DecidedAt.In(loc)})
	}
	return v
}
