package application

import (
	"context"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"time"
)

// NoticeList is one page of a village's running public notices: only what the rules allow.
type NoticeList struct {
	AreaName   string
	Notices    []model.PublicNotice
	NextCursor uint64
}

var errNotVillageCode = model.ErrNotVillage.WithField("village", "12位村（社区）代码")

// PublicNotices lists the open notices of a village (no login: residents of the village read
// it in the mini-program, as they would on the notice board).
func (s *Service) PublicNotices(ctx context.Context, village string, before uint64, limit int) (*NoticeList, error) {
	code, err := model.ParseAreaCode(village)
	if err != nil || code.Level() != model.LevelVillage {
		return nil, errNotVillageCode
	}
	a, err := s.st.GetArea(ctx, string(code))
	if err != nil {
		return nil, err
	}
	rows, err := s.st.OpenNotices(ctx, string(code), before, limit+1)
	if err != nil {
		return nil, err
	}
	out := &NoticeList{AreaName: a.Name}
	if len(rows) > limit {
		rows = rows[:limit]
		out.NextCursor = rows[limit-1].ID
	}
	out.Notices = rows
	return out, nil
}

// errObjectorUnverified: objections are real-name (实名): only an account whose identity is
// verified or desk-verified may raise one, under that name.
var errObjectorUnverified = model.E(model.KindForbidden, "objection.identity_required",
	"公示异议实行实名反映：请先完成实名核验（微信实名核验，或携带身份证到乡镇（街道）、村（社区）经办窗口核验）后再提出，也可到乡镇（街道）经办窗口当面反映")

// ObjectionRule is what the public notice form says about objections.
const ObjectionRule = "异议实行实名反映：提交时将以您已核验的真实姓名登记（不能匿名或用他人名义），工作人员会核实并联系您答复；" +
	"同一公示每人最多提出2条、每人每天最多5条；经核实不成立或重复的异议将据实处理。捏造事实、恶意阻挠审批的，依法承担相应责任。"

// PublicObject records an objection to a running notice, from the village list, under the
// account's verified or desk-verified name (in.Name is ignored), within the caps per account
// and notice, per account and day, and per notice (model.ObjectionsPer*). The case is reached
// only through the open notice; the answer never reveals anything about it.
func (s *Service) PublicObject(ctx context.Context, residentID uint64, noticeRef string, in cases.ObjectionInput) error {
	me, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return err
	}
	if !me.IdentityVerified() {
		return errObjectorUnverified
	}
	in.Name = me.RealName
	o, err := s.k.Objection(in)
	if err != nil {
		return err
	}
	o.ResidentID = &me.ID
	n, err := s.st.NoticeByRef(ctx, noticeRef)
	if err != nil {
		return err
	}
	today := s.now().In(model.China())
	dayStart := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, model.China())
	if k, err := s.st.CountObjectionsSince(ctx, residentID, dayStart); err != nil {
		return err
	} else if k >= model.ObjectionsPerAccountPerDay {
		return model.ErrObjectionLimit
	}
	// Checked once the notice is known to run (no WeChat call for a made-up reference).
	if o.ContentFlag, err = s.k.CheckContent(ctx, residentID, "content", o.Content); err != nil {
		return err
	}
	var publicID string
	if publicID, err = s.st.CasePublicID(ctx, n.CaseID); err != nil {
		return err
	}
	by := model.Actor{Type: model.ActorResident, ID: residentID}
	_, err = s.st.UpdateCaseFile(ctx, store.NoticeScope(n.CaseID), publicID, 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env, err := s.k.Env(ctx, &f.Case, by, nil)
		if err != nil {
			return err
		}
		if open := f.OpenNotice(); open != nil {
			if all, mine := f.CountObjections(open.ID, residentID); mine >= model.ObjectionsPerAccountPerNotice || all >= model.ObjectionsPerNotice {
				return model.ErrObjectionLimit
			}
		}
		if err := f.Object(env, o); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "notice.objection", &id, "notice="+noticeRef, env.Now))
		return nil
	})
	if err != nil && model.AsError(err).Code == model.ErrCaseNotFound.Code {
		return model.ErrNoticeNotFound
	}
	return err
}
