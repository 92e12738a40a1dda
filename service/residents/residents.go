// Package residents manages a resident's own profile: real-name identity and phone number,
// stored encrypted with a blind index and shown only masked.
package residents

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"palmaid/model"
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
	errWeChatBusy   = model.ErrWeChatBusy
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
	// ActionBeneficiaryLinked: an assured identity became the beneficiary of a case (one row
	// per case, on the case).
	ActionBeneficiaryLinked = "identity.beneficiary_linked"
	// ActionDeskVerified: an officer desk-verified a resident's identity (staff actor).
	ActionDeskVerified = "identity.desk_verified"
)

// Service is the profile use case.
type Service struct {
	st       Store
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
func New(st Store, cipher crypto.Cipher, wx wechat.Client, now func() time.Time, opts ...Option) *Service {
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

// SetIdentity records the resident's real name and ID number (validated, encrypted, indexed),
// asking the real-name verifier first (proof: the one-time evidence the mini-program got from
// WeChat, may be empty).
//
// Rules (docs/SECURITY.md, "Identity assurance"):
//   - Mismatch or NoRecord: 422 identity.not_verified, nothing stored, the same answer whether
//     or not another account holds the number (no registration oracle);
//   - Verified: the identity is assured and reserves the number. Every unverified claim of the
//     number (other accounts) is detached, audited. A verified or desk-verified holder (the same
//     person's other WeChat account, or a verifier fault) keeps it: 409 identity.already_bound,
//     which only the assured owner can get, and an audit row for the town desk. The cases made
//     for this number (by an agent) are linked to the account now;
//   - Unchecked (no real-name source: desk_only or none): recorded unverified. An unverified
//     claim reserves nothing and meets no other claim (no 409, no oracle): it lets the account
//     draft and apply for itself, and nothing else — no beneficiary link, no invitation, no
//     take-over, no objection — until an officer desk-verifies it (DeskVerify). An account whose
//     assured identity is this number keeps its assurance.
func (s *Service) SetIdentity(ctx context.Context, residentID uint64, name, idNumber, proof string) (*model.Resident, error) {
	name = strings.TrimSpace(name)
	if !ValidName(name) {
		return nil, errBadName.WithField("name", "姓名应为1至30个汉字或字母")
	}
	id := model.NormalizeIDNumber(idNumber)
	if err := model.ValidateIDNumber(id, s.now().In(model.China())); err != nil {
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
		if !verified && r.HoldsNumber(bidx) {
			// Already assured for this number: an unchecked claim changes nothing (a desk or
			// WeChat verification is never downgraded); another name needs the desk.
			if r.RealName != name {
				return errNotVerified
			}
			out = r
			return nil
		}
		now := s.now()
		method := ""
		if verified {
			method = res.Method
		}
		c, err := s.bind(ctx, r, name, enc, bidx, model.MaskIDNumber(id), method, nil, now)
		conflict = c
		out = r
		return err
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

// bind gives r the identity (method "" = unverified; by: the desk officer) inside the caller's
// transaction. An assured binding detaches the unverified claims of the number and links the
// cases made for it; conflict reports an assured holder on another account (nothing changed).
// Whatever the binding, r stops being the beneficiary of cases of any other number, and of
// every case while unverified.
func (s *Service) bind(ctx context.Context, r *model.Resident, name string, enc []byte, bidx, masked, method string, by *model.Staff, now time.Time) (conflict bool, err error) {
	// Once an application left the draft, the identity it was made under stays: a change goes
	// through the town (which can correct it with the evidence in hand).
	if r.HasIdentity() && *r.IDBidx != bidx {
		if locked, err := s.st.HasSubmittedCase(ctx, r.ID); err != nil {
			return false, err
		} else if locked {
			return false, errIdentityLocked
		}
	}
	actorType, actorID, area := model.ActorResident, r.ID, ""
	if by != nil {
		actorType, actorID, area = model.ActorStaff, by.ID, by.AreaCode
	}
	if method != "" {
		if holder, err := s.st.ResidentByVerifiedID(ctx, bidx); err != nil {
			return false, err
		} else if holder != nil && holder.ID != r.ID {
			return true, nil
		}
		claims, err := s.st.UnverifiedClaims(ctx, bidx, r.ID)
		if err != nil {
			return false, err
		}
		for _, other := range claims {
			if err := s.st.ClearResidentIdentity(ctx, other.ID, now); err != nil {
				return false, err
			}
			if _, err := s.st.UnlinkBeneficiary(ctx, other.ID, ""); err != nil {
				return false, err
			}
			detail := fmt.Sprintf("previous_resident=%d previous_verified=false resident=%d method=%s", other.ID, r.ID, method)
			if err := s.st.Audit(ctx, reqmeta.Audit(ctx, actorType, actorID, area, ActionIdentityTakenOver, nil, detail, now)); err != nil {
				return false, err
			}
		}
	}
	r.RealName, r.IDEnc, r.IDBidx, r.IDMasked = name, enc, &bidx, masked
	r.IdentityVerifiedAt, r.IdentityMethod, r.IdentityVerifiedBy, r.UpdatedAt = nil, method, nil, now
	if method != "" {
		r.IdentityVerifiedAt = &now
	}
	if by != nil {
		r.IdentityVerifiedBy, r.DeskCodeHash, r.DeskCodeExpiresAt = &by.ID, nil, nil
	}
	if err := s.st.SaveResidentIdentity(ctx, r); err != nil {
		return false, err
	}
	keep := bidx
	if method == "" {
		keep = ""
	}
	if _, err := s.st.UnlinkBeneficiary(ctx, r.ID, keep); err != nil {
		return false, err
	}
	if method == "" {
		return false, nil
	}
	// Applications an agent made for this person become visible to them now, each with an
	// audit row on the case naming how the identity was assured.
	linked, err := s.st.LinkBeneficiary(ctx, r.ID, bidx)
	if err != nil {
		return false, err
	}
	for i := range linked {
		detail := fmt.Sprintf("resident=%d assurance=%s method=%s", r.ID, r.Assurance(), method)
		if err := s.st.Audit(ctx, reqmeta.Audit(ctx, actorType, actorID, area, ActionBeneficiaryLinked, &linked[i], detail, now)); err != nil {
			return false, err
		}
	}
	return false, nil
}

// DeskCodeTTL is how long a desk-verification code can be used.
const DeskCodeTTL = 30 * time.Minute

var (
	// errDeskCodeNotFound: a code that is unknown, expired or used; the same answer for all.
	errDeskCodeNotFound = model.E(model.KindNotFound, "identity.desk_code_not_found", "核验码不存在或已过期，请让居民在小程序中重新获取")
	errDeskForbidden    = model.E(model.KindForbidden, "identity.desk_forbidden", "您的岗位不能办理身份核验")
	// errDeskMismatch: the name or number the officer read from the 身份证 is not what the account
	// claims (when it claims one).
	errDeskMismatch = model.E(model.KindConflict, "identity.desk_mismatch", "身份证上的姓名或号码与该微信账号登记的不一致，请核对；如需更正，请居民在小程序中重新登记后再核验")
)

// DeskCode gives the resident a one-time code (8 digits, DeskCodeTTL) to show a town or village
// officer, who reads the 身份证 and desk-verifies the account with it (DeskVerify). Only its
// SHA-256 is kept; a new code replaces the old one.
func (s *Service) DeskCode(ctx context.Context, residentID uint64) (string, time.Time, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", time.Time{}, err
	}
	code := fmt.Sprintf("%08d", n.Int64())
	now := s.now()
	exp := now.Add(DeskCodeTTL)
	if err := s.st.SetDeskCode(ctx, residentID, deskCodeHash(code), exp, now); err != nil {
		return "", time.Time{}, err
	}
	return code, exp, nil
}

func deskCodeHash(code string) string {
	sum := sha256.Sum256([]byte("palmaid-desk-code:" + code))
	return hex.EncodeToString(sum[:])
}

// DeskInput is what the officer types: the code the resident shows, and the name and number
// read from the 身份证 in hand.
type DeskInput struct {
	Code, Name, IDNumber string
}

// DeskResult is what the officer sees after a desk verification.
type DeskResult struct {
	NameMasked, IDMasked string
	LinkedCases          int
}

// DeskVerify records that the officer saw the 身份证 of the person holding the account that
// shows code: the account's identity becomes desk_verified (the name and number from the card;
// when the account claimed an identity already, it must be the same), the number is reserved,
// unverified claims of it are detached, and the cases made for it are linked — each audited,
// with the officer as actor. A verified or desk-verified holder on another account: 409, nothing
// changed. An account already verified by a real-name source for this number keeps that.
func (s *Service) DeskVerify(ctx context.Context, st *model.Staff, in DeskInput) (*DeskResult, error) {
	if !st.Can(model.PermIdentityDesk) {
		return nil, errDeskForbidden
	}
	code := strings.TrimSpace(in.Code)
	if len(code) != 8 || strings.Trim(code, "0123456789") != "" {
		return nil, errDeskCodeNotFound
	}
	name := strings.TrimSpace(in.Name)
	if !ValidName(name) {
		return nil, errBadName.WithField("name", "姓名应为1至30个汉字或字母")
	}
	id := model.NormalizeIDNumber(in.IDNumber)
	if err := model.ValidateIDNumber(id, s.now().In(model.China())); err != nil {
		return nil, err
	}
	enc, err := s.cipher.EncryptString(id)
	if err != nil {
		return nil, err
	}
	bidx := s.cipher.BlindIndex(PurposeIDNumber, id)
	var out DeskResult
	var conflict bool
	var who uint64
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		r, err := s.st.ResidentByDeskCode(ctx, deskCodeHash(code), now)
		if err != nil {
			return err
		}
		if r == nil {
			return errDeskCodeNotFound
		}
		who = r.ID
		if r.HasIdentity() && (*r.IDBidx != bidx || r.RealName != name) {
			return errDeskMismatch
		}
		method := model.IdentityMethodDesk
		if r.HoldsNumber(bidx) && r.IdentityMethod != model.IdentityMethodDesk {
			method = r.IdentityMethod // verified by a real-name source already: kept
		}
		c, err := s.bind(ctx, r, name, enc, bidx, model.MaskIDNumber(id), method, st, now)
		if err != nil || c {
			conflict = c
			return err
		}
		linked, err := s.st.CountBeneficiaryCases(ctx, r.ID)
		if err != nil {
			return err
		}
		out = DeskResult{NameMasked: model.MaskName(name), IDMasked: r.IDMasked, LinkedCases: int(linked)}
		detail := fmt.Sprintf("resident=%d method=%s", r.ID, method)
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionDeskVerified, nil, detail, now))
	})
	if err == nil && conflict {
		if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionIdentityConflict, nil, fmt.Sprintf("resident=%d method=desk", who), s.now())); err != nil {
			return nil, err
		}
		return nil, errIdentityUsed
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
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
