package application

import (
	"context"
	"encoding/json"
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"regexp"
)

var idemKeyRe = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// CreateInput is a complete application filed in one request: the same declaration as a
// draft (POST /mp/v1/drafts) and the applicant's own pledge and authorisation. It is a draft
// created and submitted at once, through the same code, so it carries the declared facts,
// the rules' document list, every adult's consent and what the engine reads.
type CreateInput struct {
	VillageCode           string               `json:"villageCode"`
	Address               string               `json:"address"`
	Categories            []model.Category     `json:"categories"`
	Reason                string               `json:"reason"`
	AgentRelation         model.Relation       `json:"agentRelation"`
	Facts                 model.HouseholdFacts `json:"facts"`
	PledgeAccepted        bool                 `json:"pledgeAccepted"`
	AuthorizationAccepted bool                 `json:"authorizationAccepted"`
}

// Create files a complete application: a draft built from the declaration, checked against
// everything submission requires before anything is stored (a household that needs another
// adult's consent or an upload answers 422 naming each gap, and files through the draft
// path), then stored and submitted by Submit. With an idempotency key, repeating the call
// returns the first case (created=false); a replay that finds the first request's draft
// not submitted yet (the process stopped between the two steps) submits it.
func (s *Service) Create(ctx context.Context, residentID uint64, in CreateInput, idemKey string) (*cases.Record, bool, error) {
	if idemKey != "" && !idemKeyRe.MatchString(idemKey) {
		return nil, false, cases.ErrIdemKey.WithField("Idempotency-Key", "8至64位字母、数字、-或_")
	}
	if !in.PledgeAccepted || !in.AuthorizationAccepted {
		return nil, false, cases.ErrPledgeRequired
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, false, err
	}
	hash := s.hashInput(&in)
	d, err := s.buildDraft(ctx, r, DraftInput{VillageCode: in.VillageCode, Address: in.Address, Categories: in.Categories,
		Reason: in.Reason, AgentRelation: in.AgentRelation, Facts: in.Facts})
	if err != nil {
		if idemKey != "" && model.AsError(err).Code == "case.already_open" {
			// Perhaps this request's own case: the key decides.
			if rec, ok, rerr := s.replay(ctx, residentID, idemKey, hash); ok || rerr != nil {
				return rec, false, rerr
			}
		}
		return nil, false, err
	}
	if err := submissionGaps(d.file, d.facts, r, residentID, d.nc.Case.CreatedAt.In(model.China()), d.nc.Case.CreatedAt); err != nil {
		return nil, false, err
	}
	d.nc.DraftCap = 0 // submitted at once: it is not one of the resident's drafts
	if idemKey != "" {
		d.nc.Idem = &model.IdempotencyRecord{ResidentID: residentID, Key: idemKey, RequestHash: hash, CreatedAt: s.now()}
	}
	f, created, err := s.st.CreateCase(ctx, d.nc)
	if err != nil {
		return nil, false, err
	}
	if !created {
		return s.submitReplay(ctx, residentID, f.Case.PublicID, in)
	}
	rec, err := s.Submit(ctx, residentID, f.Case.PublicID, SubmitInput{Version: f.Case.Version,
		PledgeAccepted: in.PledgeAccepted, AuthorizationAccepted: in.AuthorizationAccepted})
	return rec, err == nil, err
}

// replay answers a repeated idempotency key whose case already holds the household's open
// claims (ok=false: the key is not known).
func (s *Service) replay(ctx context.Context, residentID uint64, key, hash string) (*cases.Record, bool, error) {
	publicID, err := s.st.IdempotentCase(ctx, residentID, key, hash)
	if err != nil || publicID == "" {
		return nil, false, err
	}
	rec, err := s.mine.GetMine(ctx, residentID, publicID)
	return rec, true, err
}

// submitReplay: the key's case as it is now, submitted first if the first request stopped
// before its submission.
func (s *Service) submitReplay(ctx context.Context, residentID uint64, publicID string, in CreateInput) (*cases.Record, bool, error) {
	rec, err := s.mine.GetMine(ctx, residentID, publicID)
	if err != nil || rec.Case().Status != model.StatusDraft {
		return rec, false, err
	}
	rec, err = s.Submit(ctx, residentID, publicID, SubmitInput{Version: rec.Case().Version,
		PledgeAccepted: in.PledgeAccepted, AuthorizationAccepted: in.AuthorizationAccepted})
	return rec, false, err
}

// validCategories: at least one requestable category, no repeats; the case is then reviewed
// for all five (五合一), with Requested marking the applicant's choice.
func validCategories(in []model.Category) ([]model.CaseCategory, error) {
	if len(in) == 0 {
		return nil, cases.ErrCategories.WithField("categories", "至少选择一项")
	}
	chosen := map[model.Category]bool{}
	for _, c := range in {
		if !c.Requestable() || chosen[c] {
			return nil, cases.ErrCategories.WithField("categories", "只能选择低保、特困、临时救助，且不能重复")
		}
		chosen[c] = true
	}
	out := make([]model.CaseCategory, 0, len(model.AllCategories))
	for _, c := range model.AllCategories {
		out = append(out, model.CaseCategory{Category: c, Requested: chosen[c]})
	}
	return out, nil
}

// hashInput fingerprints a request so an idempotency key reused for a different application
// is refused.
// It is keyed (SM3-HMAC) because the request holds ID numbers.
func (s *Service) hashInput(in *CreateInput) string {
	b, _ := json.Marshal(in)
	return s.cipher.BlindIndex("idempotency_request", string(b))
}

// residentAct runs one action of the applicant (or agent) on their own case.
func (s *Service) residentAct(ctx context.Context, residentID uint64, publicID string, version int, action model.Action,
	fn func(ctx context.Context, f *model.CaseFile, env model.Env) error) (*cases.Record, error) {
	if version < 1 {
		return nil, cases.ErrVersionRequired
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	f, err := s.st.UpdateCaseFile(ctx, store.ResidentScope(residentID), publicID, version, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env, err := s.k.Env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		if err := fn(ctx, f, env); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case."+string(action), &id, fmt.Sprintf("version=%d", f.Case.Version+1), env.Now))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.k.ResidentRecord(ctx, residentID, f)
}

// Resubmit answers a return: the listed items are provided, a new round starts.
func (s *Service) Resubmit(ctx context.Context, residentID uint64, publicID string, version int, note string) (*cases.Record, error) {
	note, err := cases.Text("note", note, 500, false)
	if err != nil {
		return nil, err
	}
	flag, err := s.k.CheckContent(ctx, residentID, "note", note)
	if err != nil {
		return nil, err
	}
	return s.residentAct(ctx, residentID, publicID, version, model.ActResubmit, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Resubmit(env, note); err != nil {
			return err
		}
		cases.FlagLastEvent(f, flag)
		return nil
	})
}

// Withdraw withdraws the application before a decision.
func (s *Service) Withdraw(ctx context.Context, residentID uint64, publicID string, version int, reason string) (*cases.Record, error) {
	reason, err := cases.Text("reason", reason, 500, false)
	if err != nil {
		return nil, err
	}
	flag, err := s.k.CheckContent(ctx, residentID, "reason", reason)
	if err != nil {
		return nil, err
	}
	return s.residentAct(ctx, residentID, publicID, version, model.ActWithdraw, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.Withdraw(env, reason); err != nil {
			return err
		}
		cases.FlagLastEvent(f, flag)
		tellWithdrawn(f, env.Now)
		return nil
	})
}

// ObjectToDataCheck disputes a negative data-check result with evidence: a re-check is requested.
func (s *Service) ObjectToDataCheck(ctx context.Context, residentID uint64, publicID string, version int, evidence string) (*cases.Record, error) {
	evidence, err := cases.Text("evidence", evidence, 1000, true)
	if err != nil {
		return nil, err
	}
	flag, err := s.k.CheckContent(ctx, residentID, "evidence", evidence)
	if err != nil {
		return nil, err
	}
	return s.residentAct(ctx, residentID, publicID, version, model.ActDataCheckObjection, func(ctx context.Context, f *model.CaseFile, env model.Env) error {
		if err := f.DataCheckObjection(env, evidence); err != nil {
			return err
		}
		cases.FlagLastEvent(f, flag)
		return nil
	})
}

// acceptanceClock: a 临时救助-only application is urgent — it heads the town's list and may be
// granted the same day (先行救助) — and is accepted within one working day; any other within the
// region's acceptance clock.
func acceptanceClock(p model.Policy, asked []model.Category) (urgent bool, workingDays int) {
	if len(asked) == 1 && asked[0] == model.CatTemporaryAid {
		return true, 1
	}
	return false, p.AcceptanceWD
}
