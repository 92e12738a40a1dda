// Package residents manages a resident's own profile: real-name identity and phone number,
// stored encrypted with a blind index and shown only masked.
package residents

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/calendar"
	"palmaid/service/crypto"
	"palmaid/service/realname"
	"palmaid/service/reqmeta"
	"palmaid/service/store"
	"palmaid/service/wechat"
)

// Blind-index purposes.
const (
	PurposeIDNumber = "id_number"
	PurposePhone    = "phone"
)

var (
	errBadName      = model.Invalid("identity.invalid_name", "请填写与身份证一致的真实姓名")
	errPhoneCode    = model.E(model.KindUnprocessable, "phone.code_invalid", "获取手机号失败，请重新授权")
	errWeChatBusy   = model.E(model.KindUnavailable, "wechat.unavailable", "微信服务繁忙，请稍后再试")
	errIdentityUsed = store.ErrIDNumberTaken
	// errIdentityLocked: the identity of a submitted application cannot be changed here.
	errIdentityLocked = model.E(model.KindConflict, "identity.locked", "您已提交过救助申请，身份信息不能在线修改，请携带身份证到乡镇（街道）经办窗口办理")
	// errNotVerified: the real-name source did not confirm that this WeChat account belongs to
	// the person named. The same answer whether or not anyone registered the number.
	errNotVerified  = model.E(model.KindUnprocessable, "identity.not_verified", "未能核验您的实名信息，请确认姓名和身份证号是本人的并完成微信实名核验；如仍有问题请到乡镇（街道）经办窗口办理")
	errVerifierBusy = model.E(model.KindUnavailable, "identity.verify_unavailable", "实名核验服务暂时不可用，请稍后再试")
)

// Audit actions of identity binding (resident actor; the town desk reads them).
const (
	// ActionIdentityTakenOver: a verified claim took an ID number from another account
	// (detail names the previous holder and whether it was verified).
	ActionIdentityTakenOver = "identity.taken_over"
	// ActionIdentityConflict: a verified claim met a verified holder; nothing changed, the
	// town desk resolves it.
	ActionIdentityConflict = "identity.conflict"
	// ActionIdentityRefused: the real-name source did not confirm a claim.
	ActionIdentityRefused = "identity.not_verified"
)

// Service is the profile use case.
type Service struct {
	st       *store.Store
	cipher   crypto.Cipher
	wx       wechat.Client
	now      func() time.Time
	verifier realname.Verifier
}

// Option configures the service.
type Option func(*Service)

// WithVerifier sets the real-name verifier (default realname.Unverified: claims are recorded
// unverified).
func WithVerifier(v realname.Verifier) Option { return func(s *Service) { s.verifier = v } }

// New builds the service.
func New(st *store.Store, cipher crypto.Cipher, wx wechat.Client, now func() time.Time, opts ...Option) *Service {
	s := &Service{st: st, cipher: cipher, wx: wx, now: now, verifier: realname.Unverified{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Get returns the resident.
func (s *Service) Get(ctx context.Context, id uint64) (*model.Resident, error) {
	return s.st.GetResident(ctx, id)
}

// ValidName checks a person's name: 1–30 letters (Chinese, or Latin for minority and foreign
// names), with the middle dot used in transliterated names.
func ValidName(name string) bool {
	n := utf8.RuneCountInString(name)
	if n < 1 || n > 30 {
		return false
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || r == '·' || r == '•' || r == ' ') {
			return false
		}
	}
	return true
}

// SetIdentity records the resident's real name and ID number (validated, encrypted, indexed)
// once the real-name verifier confirms the claim (proof: the one-time evidence the mini-program
// got from WeChat, may be empty).
//
// Rules (docs/SECURITY.md, "Identity binding"):
//   - Mismatch or NoRecord: 422 identity.not_verified, nothing stored, the same answer whether
//     or not another account holds the number (no registration oracle);
//   - Verified: the claim wins over an unverified holder, who loses the number (cases whose
//     beneficiary it is move to the verified account) and an audit row says so. A verified
//     holder (the same person's other WeChat account, or a verifier fault) keeps it: 409
//     identity.already_bound, which only the verified owner can get, and an audit row for the
//     town desk;
//   - Unchecked (no real-name source configured): recorded unverified; a number held by another
//     account is 409 identity.already_bound.
func (s *Service) SetIdentity(ctx context.Context, residentID uint64, name, idNumber, proof string) (*model.Resident, error) {
	name = strings.TrimSpace(name)
	if !ValidName(name) {
		return nil, errBadName.WithField("name", "姓名应为1至30个汉字或字母")
	}
	id := model.NormalizeIDNumber(idNumber)
	if err := model.ValidateIDNumber(id, s.now().In(calendar.Location())); err != nil {
		return nil, err
	}
	if len(proof) > 512 {
		return nil, errNotVerified
	}
	me, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	res, err := s.verifier.Verify(ctx, realname.Claim{AppID: me.AppID, OpenID: me.OpenID, Name: name, IDNumber: id, Proof: proof})
	if err != nil {
		return nil, errVerifierBusy.WithCause(err)
	}
	verified := res.Outcome == realname.Verified
	if !verified && res.Outcome != realname.Unchecked {
		// Audited (no number in the detail: the blind index is not kept either, so a probe
		// leaves nothing that links the number to this account).
		if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, "", ActionIdentityRefused, nil, "", s.now())); err != nil {
			return nil, err
		}
		return nil, errNotVerified
	}
	enc, err := s.cipher.EncryptString(id)
	if err != nil {
		return nil, err
	}
	bidx := s.cipher.BlindIndex(PurposeIDNumber, id)
	var out *model.Resident
	var conflict bool
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		r, err := s.st.GetResident(ctx, residentID)
		if err != nil {
			return err
		}
		// Once an application left the draft, the identity it was made under stays: a change
		// goes through the town (which can correct it with the evidence in hand).
		if r.HasIdentity() && *r.IDBidx != bidx {
			if locked, err := s.st.HasSubmittedCase(ctx, r.ID); err != nil {
				return err
			} else if locked {
				return errIdentityLocked
			}
		}
		now := s.now()
		if other, err := s.st.ResidentByIDIndex(ctx, bidx); err != nil {
			return err
		} else if other != nil && other.ID != r.ID {
			if !verified {
				return errIdentityUsed
			}
			if other.IdentityVerified() {
				conflict = true
				return nil
			}
			if err := s.st.ClearResidentIdentity(ctx, other.ID, now); err != nil {
				return err
			}
			moved, err := s.st.RelinkBeneficiary(ctx, other.ID, r.ID, bidx)
			if err != nil {
				return err
			}
			detail := fmt.Sprintf("previous_resident=%d previous_verified=%t cases_relinked=%d method=%s", other.ID, other.IdentityVerified(), moved, res.Method)
			if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, r.ID, "", ActionIdentityTakenOver, nil, detail, now)); err != nil {
				return err
			}
		}
		r.RealName, r.IDEnc, r.IDBidx, r.IDMasked = name, enc, &bidx, model.MaskIDNumber(id)
		r.IdentityVerifiedAt, r.IdentityMethod, r.UpdatedAt = nil, "", now
		if verified {
			r.IdentityVerifiedAt, r.IdentityMethod = &now, res.Method
		}
		out = r
		if err := s.st.SaveResidentIdentity(ctx, r); err != nil {
			return err
		}
		// Applications an agent made for this person become visible to them now.
		return s.st.LinkBeneficiary(ctx, r.ID, bidx)
	})
	if err == nil && conflict {
		// Outside the refused transaction: the town desk must see the conflict.
		if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, residentID, "", ActionIdentityConflict, nil, "method="+res.Method, s.now())); err != nil {
			return nil, err
		}
		return nil, errIdentityUsed
	}
	return out, err
}

// BindPhone exchanges a getPhoneNumber code and stores the number encrypted.
func (s *Service) BindPhone(ctx context.Context, residentID uint64, code string) (*model.Resident, error) {
	if code == "" || len(code) > 128 {
		return nil, errPhoneCode
	}
	phone, err := s.wx.PhoneNumber(ctx, code)
	if err != nil {
		if code, ok := wechat.ErrCode(err); ok && !transientWeChat(code) {
			return nil, errPhoneCode.WithCause(err)
		}
		return nil, errWeChatBusy.WithCause(err)
	}
	enc, err := s.cipher.EncryptString(phone)
	if err != nil {
		return nil, err
	}
	r, err := s.st.GetResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	bidx := s.cipher.BlindIndex(PurposePhone, phone)
	r.PhoneEnc, r.PhoneBidx, r.PhoneMasked, r.UpdatedAt = enc, &bidx, model.MaskPhone(phone), s.now()
	return r, s.st.SaveResidentPhone(ctx, r)
}

// transientWeChat is an errcode that says "try again later", not "this code is bad": system
// busy, frequency limits, and access-token trouble (refreshed behind the scenes). These answer
// 503, so the mini-program retries instead of asking the user to authorise again.
func transientWeChat(code int) bool {
	switch code {
	case wechat.CodeSystemBusy, wechat.CodeRateLimited, 45009, wechat.CodeInvalidCredential, wechat.CodeInvalidToken, wechat.CodeTokenExpired:
		return true
	}
	return false
}

// Village is one search hit, with the names of the levels above it so that two villages of
// the same name can be told apart.
type Village struct {
	Code, Name, TownName, CountyName string
}

// ErrVillageQuery answers a search term that is empty, too long or of the wrong shape.
var ErrVillageQuery = model.Invalid("village.invalid_query", "请输入村（社区）名称中的字或区划代码前几位").WithField("q", "1至20个字，或6至12位数字")

// SearchVillages finds villages by part of their name or the start of their code (public:
// the mini-program's village picker before login).
func (s *Service) SearchVillages(ctx context.Context, q string, limit int) ([]Village, error) {
	q = strings.TrimSpace(q)
	n := utf8.RuneCountInString(q)
	digits := n > 0 && strings.Trim(q, "0123456789") == ""
	if n == 0 || n > 20 || (digits && (n < 6 || n > 12)) {
		return nil, ErrVillageQuery
	}
	rows, err := s.st.SearchVillages(ctx, q, digits, limit)
	if err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	var codes []string
	for _, a := range rows {
		code := model.AreaCode(a.Code)
		codes = append(codes, a.ParentCode, string(code[:6])+"000000")
	}
	names, err := s.st.AreaNames(ctx, codes)
	if err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	out := make([]Village, 0, len(rows))
	for _, a := range rows {
		out = append(out, Village{Code: a.Code, Name: a.Name, TownName: names[a.ParentCode], CountyName: names[a.Code[:6]+"000000"]})
	}
	return out, nil
}
