package application_test

import (
	"context"
	"testing"
	"time"

	"palmaid/model"
	"palmaid/service/cases/application"
	"palmaid/service/cases/casetest"
	"palmaid/service/seed"
	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

var sim *wxsim.Simulator

func TestMain(m *testing.M) { casetest.Main(m, &sim) }

// monday 09:00 China time.
var monday = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// The rules of a draft and its consents, below HTTP: an agent cannot declare herself as the
// person the application is for; the town does not see a draft;
// submission needs a version and every adult's consent; an invitation opens only for the
// invitee's verified identity, with the current text, once; only the applicant submits; a
// submitted declaration is locked.
func TestDraftAndConsentRules(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		motherID, daughterID := casetest.ID("19500315", 61), casetest.ID("19780512", 62)
		daughter := casetest.Resident(t, a, "daughter-"+be.Name, "李小红", daughterID)
		draft := application.DraftInput{VillageCode: seed.DemoVillageE1, Address: "孙庄村2组6号", Categories: []model.Category{model.CatMinimumLiving},
			Reason: "母亲年老多病，没有收入", AgentRelation: model.RelChild, Facts: casetest.Solo("王秀英", motherID)}

		self := draft
		self.Facts = casetest.Solo("李小红", daughterID)
		if _, err := a.Application.CreateDraft(ctx, daughter, self); casetest.Code(err) != "case.agent_is_beneficiary" {
			t.Fatalf("an agent declaring herself: %v", err)
		}
		rec, err := a.Application.CreateDraft(ctx, daughter, draft)
		testenv.Must(t, err)
		c := rec.Case()
		if c.Status != model.StatusDraft || rec.Resident == nil || len(rec.File.Consents) != 2 {
			t.Fatalf("draft: status %s, consents %d", c.Status, len(rec.File.Consents))
		}
		var motherConsent uint64
		for _, k := range rec.File.Consents {
			if k.Subject == model.ConsentMember && k.Position == 0 {
				motherConsent = k.ID
			}
		}
		if motherConsent == 0 {
			t.Fatalf("no consent asked of the mother: %+v", rec.File.Consents)
		}

		mother := casetest.Resident(t, a, "mother-"+be.Name, "王秀英", motherID)
		if _, err := a.Worklist.Get(ctx, casetest.Staff(t, a, "town_east"), c.PublicID); casetest.Code(err) != "case.not_found" {
			t.Fatalf("the town reads a draft: %v", err)
		}
		if _, err := a.Application.Submit(ctx, daughter, c.PublicID, application.SubmitInput{PledgeAccepted: true, AuthorizationAccepted: true}); casetest.Code(err) != "case.version_required" {
			t.Fatalf("submit without a version: %v", err)
		}
		now, err := a.Progress.GetMine(ctx, daughter, c.PublicID) // the mother's identity linked her: a new version
		testenv.Must(t, err)
		if _, err := a.Application.Submit(ctx, daughter, c.PublicID, application.SubmitInput{Version: now.Case().Version, PledgeAccepted: true, AuthorizationAccepted: true}); casetest.Code(err) != "case.consents_missing" {
			t.Fatalf("submit before the mother's consent: %v", err)
		}

		inv, _, err := a.Application.Invite(ctx, daughter, c.PublicID, motherConsent)
		testenv.Must(t, err)
		stranger := casetest.Resident(t, a, "stranger-"+be.Name, "赵六", casetest.ID("19800101", 63))
		if _, err := a.Application.ViewInvitation(ctx, stranger, inv.Token); casetest.Code(err) != "invitation.not_found" {
			t.Fatalf("a stranger opens the invitation: %v", err)
		}
		view, err := a.Application.ViewInvitation(ctx, mother, inv.Token)
		testenv.Must(t, err)
		if view.Confirmed || view.Relation != "本人" {
			t.Fatalf("invitation view: %+v", view)
		}
		if _, err := a.Application.ConfirmInvitation(ctx, mother, inv.Token, application.ConfirmInput{PledgeAccepted: true, AuthorizationAccepted: true,
			TextVersion: "old"}); casetest.Code(err) != "consent.text_changed" {
			t.Fatalf("confirm a stale text: %v", err)
		}
		ok := application.ConfirmInput{PledgeAccepted: true, AuthorizationAccepted: true, TextVersion: view.TextVersion}
		got, err := a.Application.ConfirmInvitation(ctx, mother, inv.Token, ok)
		testenv.Must(t, err)
		if !got.Confirmed {
			t.Fatalf("confirm: %+v", got)
		}
		if _, err := a.Application.ConfirmInvitation(ctx, mother, inv.Token, ok); casetest.Code(err) != "invitation.not_found" {
			t.Fatalf("a used invitation confirms again: %v", err)
		}

		cur, err := a.Progress.GetMine(ctx, mother, c.PublicID) // the person it is for sees it now
		testenv.Must(t, err)
		if _, err := a.Application.Submit(ctx, mother, c.PublicID, application.SubmitInput{Version: cur.Case().Version, PledgeAccepted: true,
			AuthorizationAccepted: true}); casetest.Code(err) != "case.not_applicant" {
			t.Fatalf("the beneficiary submits the agent's draft: %v", err)
		}
		sub, err := a.Application.Submit(ctx, daughter, c.PublicID, application.SubmitInput{Version: cur.Case().Version, PledgeAccepted: true, AuthorizationAccepted: true})
		testenv.Must(t, err)
		if sub.Case().Status != model.StatusSubmitted {
			t.Fatalf("submitted: %s", sub.Case().Status)
		}
		for _, k := range sub.File.Consents {
			if k.State != model.ConsentConfirmed {
				t.Fatalf("a consent after submission: %+v", k)
			}
		}
		if _, err := a.Application.SaveDraft(ctx, daughter, c.PublicID, application.DraftUpdate{Version: sub.Case().Version,
			Categories: draft.Categories, Reason: draft.Reason, Facts: draft.Facts}); casetest.Code(err) != "case.facts_locked" {
			t.Fatalf("a submitted declaration saved as a draft: %v", err)
		}
	})
}

// A one-request filing with an idempotency key answers the first case when repeated, and the
// same key with another application is refused.
func TestCreateIsIdempotent(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		id := casetest.ID("19600101", 64)
		r := casetest.Resident(t, a, "solo-"+be.Name, "孙三", id)
		in := casetest.SoloApplication(seed.DemoVillageE1, "孙三", id, model.CatMinimumLiving)
		if _, _, err := a.Application.Create(ctx, r, in, "bad key"); casetest.Code(err) != "request.invalid_idempotency_key" {
			t.Fatalf("a malformed key: %v", err)
		}
		first, created, err := a.Application.Create(ctx, r, in, "tap-0001-"+be.Name)
		testenv.Must(t, err)
		if !created || first.Case().Status != model.StatusSubmitted {
			t.Fatalf("first filing: created %v, status %s", created, first.Case().Status)
		}
		again, created, err := a.Application.Create(ctx, r, in, "tap-0001-"+be.Name)
		testenv.Must(t, err)
		if created || again.Case().PublicID != first.Case().PublicID {
			t.Fatalf("replay: created %v, %s ≠ %s", created, again.Case().PublicID, first.Case().PublicID)
		}
		other := in
		other.Reason = "另一份申请"
		if _, _, err := a.Application.Create(ctx, r, other, "tap-0001-"+be.Name); casetest.Code(err) != model.ErrIdempotencyReuse.Code {
			t.Fatalf("the key reused for another application: %v", err)
		}
	})
}

// A town's code where a village's is asked is bad input (400, the one area.not_village of
// model), on a resident's draft and a staff member's assisted application alike.
func TestNotVillageIsBadInput(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		ctx := context.Background()
		a := casetest.App(t, be, sim, casetest.NewClock(monday))
		id := casetest.ID("19600101", 71)
		r := casetest.Resident(t, a, "town-"+be.Name, "赵大明", id)
		draft := application.DraftInput{VillageCode: seed.DemoTownEast, Address: "古云镇1号", Categories: []model.Category{model.CatMinimumLiving},
			Reason: "没有收入", Facts: casetest.Solo("赵大明", id)}
		_, err := a.Application.CreateDraft(ctx, r, draft)
		if e := model.AsError(err); e == nil || e.Code != "area.not_village" || e.Kind != model.KindInvalid {
			t.Fatalf("a draft in a town: %v", err)
		}
		assisted := application.AssistedInput{VillageCode: seed.DemoTownEast, Categories: []model.Category{model.CatMinimumLiving}}
		_, err = a.Application.CreateAssisted(ctx, casetest.Staff(t, a, "town_east"), assisted)
		if e := model.AsError(err); e == nil || e.Code != "area.not_village" || e.Kind != model.KindInvalid {
			t.Fatalf("an assisted application in a town: %v", err)
		}
	})
}
