// Package auth issues and checks palmaid's own session tokens: residents log in with a WeChat
// code (session_key stays server-side), staff with username and argon2id password. Tokens are
// random and opaque; Redis holds only their SHA-256, with a TTL.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/redis/go-redis/v9"

	"palmaid/model"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
	"palmaid/service/wechat"
)

// Errors of this package.
var (
	ErrCodeInvalid  = model.E(model.KindUnauthorized, "auth.code_invalid", "登录已失效，请重新进入小程序")
	ErrRiskyUser    = model.E(model.KindForbidden, "auth.risky_user", "当前微信账号存在风险，暂时无法登录")
	ErrWeChatBusy   = model.ErrWeChatBusy
	ErrBadPassword  = model.E(model.KindUnauthorized, "auth.bad_credentials", "用户名或密码不正确")
	ErrLockedOut    = model.E(model.KindRateLimited, "auth.locked", "密码错误次数过多，请15分钟后再试")
	ErrTooManyCodes = model.E(model.KindRateLimited, "auth.rate_limited", "登录过于频繁，请稍后再试").WithRetryAfter(time.Minute)
)

const (
	maxLoginFailures = 5
	lockout          = 15 * time.Minute
)

// Service holds the dependencies; build it once.
type Service struct {
	st          Store
	wx          wechat.Client
	rdb         redis.UniversalClient
	prefix      string
	appID       string
	residentTTL time.Duration
	staffTTL    time.Duration
	staffIdle   time.Duration
	now         func() time.Time
	log         *slog.Logger
	dummyHash   string // compared when the username is unknown, so timing does not tell
	cost        int    // strength of new password hashes (PALMAID_PASSWORD_COST)
	cipher      crypto.Cipher
	mfaRoles    []model.Role
}

// Config of the service.
type Config struct {
	AppID       string
	KeyPrefix   string
	ResidentTTL time.Duration
	StaffTTL    time.Duration
	StaffIdle   time.Duration // 0: the whole StaffTTL
	// PasswordCost is the strength of new hashes (config PALMAID_PASSWORD_COST): 0 or ≥ 10 the
	// standard argon2id parameters, below 10 light ones for tests (production refuses them).
	PasswordCost int
	// Cipher seals the staff second-factor secrets.
	Cipher crypto.Cipher
	// SecondFactorRoles must use a second factor (PALMAID_STAFF_2FA_ROLES): their sessions may
	// only enrol one until they have.
	SecondFactorRoles []model.Role
}

// New builds the service.
func New(cfg Config, st Store, wx wechat.Client, rdb redis.UniversalClient, now func() time.Time, log *slog.Logger) *Service {
	cost := cfg.PasswordCost
	dummy, _ := HashPasswordCost("palmaid-timing-equaliser", cost)
	return &Service{st: st, wx: wx, rdb: rdb, prefix: cfg.KeyPrefix, appID: cfg.AppID,
		residentTTL: cfg.ResidentTTL, staffTTL: cfg.StaffTTL, staffIdle: positive(min(cfg.StaffIdle, cfg.StaffTTL), cfg.StaffTTL), now: now, log: log, dummyHash: dummy, cost: cost,
		cipher: cfg.Cipher, mfaRoles: cfg.SecondFactorRoles}
}

// ResidentLogin is the result of a WeChat login.
type ResidentLogin struct {
	Token     string
	ExpiresAt time.Time
	Resident  *model.Resident
}

// LoginResident exchanges a wx.login code for a palmaid session.
func (s *Service) LoginResident(ctx context.Context, code string) (*ResidentLogin, error) {
	sess, err := s.wx.Code2Session(ctx, code)
	if err != nil {
		return nil, s.wechatLoginError(err)
	}
	r, err := s.st.UpsertResident(ctx, s.appID, sess.OpenID, sess.UnionID, s.now())
	if err != nil {
		return nil, err
	}
	token, err := newToken("mp_")
	if err != nil {
		return nil, err
	}
	id := strconv.FormatUint(r.ID, 10)
	pipe := s.rdb.TxPipeline()
	pipe.Set(ctx, s.key("sess:mp:", hashToken(token)), id, s.residentTTL)
	// The resident's sessions, so that deleting the account ends them all (RevokeResident).
	pipe.SAdd(ctx, s.key("sess:mp:of:", id), hashToken(token))
	pipe.Expire(ctx, s.key("sess:mp:of:", id), s.residentTTL)
	// session_key is overwritten at each login, kept for decrypting wx data, never returned.
	pipe.Set(ctx, s.prefix+"wx:session_key:"+id, sess.SessionKey, s.residentTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	// Audited once the session exists (an outage before it leaves no row); a failed audit
	// write fails the login, and the token is never handed out.
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorResident, r.ID, "", ActionResidentLogin, nil, "", s.now())); err != nil {
		return nil, err
	}
	return &ResidentLogin{Token: token, ExpiresAt: s.now().Add(s.residentTTL), Resident: r}, nil
}

func (s *Service) wechatLoginError(err error) error {
	code, ok := wechat.ErrCode(err)
	if !ok {
		return ErrWeChatBusy.WithCause(err)
	}
	switch code {
	case wechat.CodeInvalidAppID, wechat.CodeInvalidAppSecret: // our app id or secret is wrong: the resident can do nothing about it
		s.log.Error("wechat refused our app id or secret: check PALMAID_WECHAT_APP_ID and PALMAID_WECHAT_APP_SECRET", "errcode", code)
		return ErrWeChatBusy.WithCause(err)
	case wechat.CodeInvalidCode, wechat.CodeCodeUsed:
		return ErrCodeInvalid.WithCause(err)
	case wechat.CodeRateLimited:
		return ErrTooManyCodes.WithCause(err)
	case wechat.CodeRiskyUser:
		return ErrRiskyUser.WithCause(err)
	}
	return ErrWeChatBusy.WithCause(err)
}

// ResidentID resolves a resident token.
func (s *Service) ResidentID(ctx context.Context, token string) (uint64, error) {
	return s.lookup(ctx, "sess:mp:", token)
}

// ResidentSessionKey is the Redis key of a resident token's session ("" for no token). A read
// that fetches the session in the same round trip as other values (the progress screen,
// service/cases/progress) GETs it itself and resolves the answer with ResidentFromSession.
func (s *Service) ResidentSessionKey(token string) string {
	if token == "" {
		return ""
	}
	return s.key("sess:mp:", hashToken(token))
}

// ResidentFromSession is ResidentID's answer given what the GET of ResidentSessionKey answered:
// unauthenticated when the key is absent (or holds no id), unavailable when Redis failed.
func (s *Service) ResidentFromSession(v string, err error) (uint64, error) { return sessionID(v, err) }

// StaffLogin is the result of a password login.
type StaffLogin struct {
	Token     string
	ExpiresAt time.Time
	Staff     *model.Staff
	// Challenge is set instead of Token when the account has a second factor: the password was
	// right, LoginSecondFactor with this challenge and a code gives the session (ExpiresAt is
	// then the challenge's end).
	Challenge string
}

// Lockout policy (issue 6, findings 2, 7 and 8). Failures are counted per account (by staff id;
// an unknown name by its normalised form) and per (account, client IP):
//   - 5 failures from one source lock the account for that source only, 15 minutes;
//   - 20 failures from all sources lock it everywhere except the sources it last logged in
//     from successfully (kept 90 days), so a stranger cannot lock the owner out of their desk;
//   - a successful login clears its own source's counter only, never the account's (issue 19).
//
// Every Redis read happens before the password is compared; if Redis fails, the login answers
// 503 whatever the password, so the answer never tells a right password from a wrong one.
const (
	sourceFailures  = maxLoginFailures
	accountFailures = 20
	knownSourceTTL  = 90 * 24 * time.Hour
)

// LoginStaff checks a password. The client IP comes from the request metadata in ctx.
func (s *Service) LoginStaff(ctx context.Context, username, password string) (*StaffLogin, error) {
	ip := reqmeta.MetaFrom(ctx).ClientIP
	name, nameErr := model.NormalizeUsername(username)
	var st *model.Staff
	account := "name:" + name
	if nameErr == nil {
		found, err := s.st.StaffByUsername(ctx, name)
		if err != nil && !errors.Is(err, model.ErrUnauthenticated) {
			return nil, err
		}
		if found != nil {
			st, account = found, "id:"+strconv.FormatUint(found.ID, 10)
		}
	} else {
		account = "invalid" // malformed names share one bucket: they can never log in anyway
	}
	acctKey := s.prefix + "auth:fail:" + account
	srcKey := acctKey + ":ip:" + ip
	knownKey := s.prefix + "auth:known:" + account

	pipe := s.rdb.Pipeline()
	srcN := pipe.Get(ctx, srcKey)
	srcTTL := pipe.PTTL(ctx, srcKey)
	acctN := pipe.Get(ctx, acctKey)
	acctTTL := pipe.PTTL(ctx, acctKey)
	known := pipe.SIsMember(ctx, knownKey, ip)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	if n, _ := srcN.Int(); n >= sourceFailures {
		return nil, ErrLockedOut.WithRetryAfter(positive(srcTTL.Val(), lockout))
	}
	if n, _ := acctN.Int(); n >= accountFailures && !known.Val() {
		return nil, ErrLockedOut.WithRetryAfter(positive(acctTTL.Val(), lockout))
	}

	hash := s.dummyHash
	if st != nil {
		hash = st.PasswordHash
	}
	if !CheckPassword(hash, password) || st == nil {
		pipe := s.rdb.TxPipeline()
		pipe.Incr(ctx, srcKey)
		pipe.Expire(ctx, srcKey, lockout)
		pipe.Incr(ctx, acctKey)
		pipe.Expire(ctx, acctKey, lockout)
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, model.ErrUnavailable.WithCause(err)
		}
		return nil, ErrBadPassword
	}
	if NeedsRehashCost(st.PasswordHash, s.cost) {
		if h, err := HashPasswordCost(password, s.cost); err == nil {
			if err := s.st.SetStaffPassword(ctx, st.ID, h, st.MustChangePassword, false, s.now()); err != nil {
				s.log.WarnContext(ctx, "password rehash not saved", "staff_id", st.ID, "err", err)
			} else {
				st.PasswordHash = h
			}
		}
	}
	if st.SecondFactorEnabled() {
		// The password was right: this source's failure counter goes (the account's stays, see
		// below), but the source becomes "known" and a session is issued only after the
		// second factor.
		tx := s.rdb.TxPipeline()
		tx.Del(ctx, srcKey)
		ch, err := s.issueChallenge(ctx, tx, st)
		if err != nil {
			return nil, err
		}
		if _, err := tx.Exec(ctx); err != nil {
			return nil, model.ErrUnavailable.WithCause(err)
		}
		return &StaffLogin{Challenge: ch, ExpiresAt: s.now().Add(challengeTTL), Staff: st}, nil
	}
	token, err := newToken("st_")
	if err != nil {
		return nil, err
	}
	// Only this source's failure counter is cleared: the account's counts strangers' guesses
	// from everywhere, and clearing it at the owner's login gave them 20 fresh guesses each
	// time (issue 19). It lapses 15 minutes after the last failure; the owner's known sources
	// pass it meanwhile.
	tx := s.rdb.TxPipeline()
	tx.Del(ctx, srcKey)
	tx.SAdd(ctx, knownKey, ip)
	tx.Expire(ctx, knownKey, knownSourceTTL)
	s.putStaffSession(ctx, tx, token, st)
	if _, err := tx.Exec(ctx); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionStaffLogin, nil, "factor=password", s.now())); err != nil {
		return nil, err
	}
	return &StaffLogin{Token: token, ExpiresAt: s.now().Add(s.staffTTL), Staff: st}, nil
}

// Audit actions of logins (every successful one writes a row; failures are counted in Redis
// for the lockout, not audited one by one).
const (
	ActionStaffLogin    = "staff.login"
	ActionResidentLogin = "resident.login"
)

func positive(d, fallback time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return fallback
}

// staffSession is the value a staff token maps to: id, session version, login time (Unix s).
func staffSession(st *model.Staff, issued time.Time) string {
	return strconv.FormatUint(st.ID, 10) + ":" + strconv.Itoa(st.SessionVersion) + ":" + strconv.FormatInt(issued.Unix(), 10)
}

// putStaffSession stores a session: the key lives for the idle timeout (each use renews it);
// the login time inside bounds it absolutely. The account's index lists its sessions.
func (s *Service) putStaffSession(ctx context.Context, p redis.Pipeliner, token string, st *model.Staff) {
	h := hashToken(token)
	idx := s.key("sess:staff:idx:", strconv.FormatUint(st.ID, 10))
	p.Set(ctx, s.key("sess:staff:", h), staffSession(st, s.now()), s.staffIdle)
	p.SAdd(ctx, idx, h)
	p.Expire(ctx, idx, s.staffTTL)
}

// StaffSession is one of an account's open sessions.
type StaffSession struct {
	ID        string // the first 12 hex characters of the token's hash (never the token)
	IssuedAt  time.Time
	LastUsed  time.Time // within a few seconds: idle timeout minus the key's remaining life
	ExpiresAt time.Time // the absolute end; an idle session ends earlier
	Current   bool
}

// StaffSessions lists the account's open sessions, newest first (expired ones are dropped from
// the index on the way).
func (s *Service) StaffSessions(ctx context.Context, st *model.Staff, currentToken string) ([]StaffSession, error) {
	idx := s.key("sess:staff:idx:", strconv.FormatUint(st.ID, 10))
	hashes, err := s.rdb.SMembers(ctx, idx).Result()
	if err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	p := s.rdb.Pipeline()
	gets := make([]*redis.StringCmd, len(hashes))
	ttls := make([]*redis.DurationCmd, len(hashes))
	for i, h := range hashes {
		gets[i] = p.Get(ctx, s.key("sess:staff:", h))
		ttls[i] = p.PTTL(ctx, s.key("sess:staff:", h))
	}
	if _, err := p.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	cur := hashToken(currentToken)
	now := s.now()
	var out []StaffSession
	var gone []any
	for i, h := range hashes {
		id, ver, issued, ok := parseStaffSession(gets[i].Val())
		if gets[i].Err() != nil || !ok || id != st.ID || ver != st.SessionVersion || now.Sub(issued) > s.staffTTL {
			gone = append(gone, h)
			continue
		}
		out = append(out, StaffSession{ID: h[:12], IssuedAt: issued, LastUsed: now.Add(ttls[i].Val() - s.staffIdle),
			ExpiresAt: issued.Add(s.staffTTL), Current: h == cur})
	}
	if len(gone) > 0 {
		_ = s.rdb.SRem(ctx, idx, gone...).Err()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IssuedAt.After(out[j].IssuedAt) })
	return out, nil
}

func parseStaffSession(v string) (id uint64, ver int, issued time.Time, ok bool) {
	parts := strings.Split(v, ":")
	if len(parts) != 3 {
		return 0, 0, time.Time{}, false
	}
	id, err1 := strconv.ParseUint(parts[0], 10, 64)
	ver, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, time.Time{}, false
	}
	return id, ver, time.Unix(sec, 0), true
}

// Staff resolves a staff token to an active account whose sessions were not revoked since.
func (s *Service) Staff(ctx context.Context, token string) (*model.Staff, error) {
	if token == "" {
		return nil, model.ErrUnauthenticated
	}
	key := s.key("sess:staff:", hashToken(token))
	v, err := s.rdb.GetEx(ctx, key, s.staffIdle).Result() // used: the idle clock restarts
	if errors.Is(err, redis.Nil) {
		return nil, model.ErrUnauthenticated // never issued, logged out, or idle too long
	}
	if err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	id, ver, issued, ok := parseStaffSession(v)
	if !ok {
		return nil, model.ErrUnauthenticated
	}
	if s.now().Sub(issued) > s.staffTTL { // the absolute limit, however busy the session
		_ = s.rdb.Del(ctx, key).Err()
		return nil, model.ErrUnauthenticated
	}
	st, err := s.st.GetStaff(ctx, id)
	if err != nil {
		return nil, err
	}
	if st.SessionVersion != ver {
		return nil, model.ErrUnauthenticated
	}
	return st, nil
}

// Password rules for staff accounts.
var (
	ErrWeakPassword    = model.E(model.KindUnprocessable, "auth.weak_password", "新密码须为10至128位，且至少包含字母和数字")
	ErrSamePassword    = model.E(model.KindUnprocessable, "auth.same_password", "新密码不能与原密码相同")
	ErrWrongPassword   = model.E(model.KindUnprocessable, "auth.wrong_password", "原密码不正确")
	ErrMustChangeFirst = model.E(model.KindForbidden, "auth.password_change_required", "请先修改初始密码")
)

// CheckPasswordRule validates a new staff password: 10–128 characters, letters and digits.
func CheckPasswordRule(pw string) error {
	n := utf8.RuneCountInString(pw)
	var letter, digit bool
	for _, r := range pw {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if n < 10 || n > 128 || !letter || !digit {
		return ErrWeakPassword
	}
	return nil
}

// ChangePassword is a staff member changing their own password: the old one must match; every
// session is revoked and a new token for the current one is returned.
func (s *Service) ChangePassword(ctx context.Context, st *model.Staff, oldPw, newPw string) (*StaffLogin, error) {
	if !CheckPassword(st.PasswordHash, oldPw) {
		return nil, ErrWrongPassword
	}
	if err := CheckPasswordRule(newPw); err != nil {
		return nil, err
	}
	if oldPw == newPw {
		return nil, ErrSamePassword
	}
	h, err := s.HashPassword(newPw)
	if err != nil {
		return nil, err
	}
	if err := s.st.SetStaffPassword(ctx, st.ID, h, false, true, s.now()); err != nil {
		return nil, err
	}
	fresh, err := s.st.GetStaff(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	return s.IssueStaff(ctx, fresh)
}

// IssueStaff opens a session for an account (after a password change).
func (s *Service) IssueStaff(ctx context.Context, st *model.Staff) (*StaffLogin, error) {
	token, err := newToken("st_")
	if err != nil {
		return nil, err
	}
	tx := s.rdb.TxPipeline()
	s.putStaffSession(ctx, tx, token, st)
	if _, err := tx.Exec(ctx); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	return &StaffLogin{Token: token, ExpiresAt: s.now().Add(s.staffTTL), Staff: st}, nil
}

// AreaName names a staff member's area ("" when the area is not in the database).
func (s *Service) AreaName(ctx context.Context, code string) (string, error) {
	names, err := s.st.AreaNames(ctx, []string{code})
	if err != nil {
		return "", model.ErrUnavailable.WithCause(err)
	}
	return names[code], nil
}

// RevokeResident ends every session of a resident (account deletion) and drops the WeChat
// session_key.
func (s *Service) RevokeResident(ctx context.Context, residentID uint64) error {
	id := strconv.FormatUint(residentID, 10)
	set := s.key("sess:mp:of:", id)
	hashes, err := s.rdb.SMembers(ctx, set).Result()
	if err != nil {
		return model.ErrUnavailable.WithCause(err)
	}
	keys := []string{set, s.prefix + "wx:session_key:" + id}
	for _, h := range hashes {
		keys = append(keys, s.key("sess:mp:", h))
	}
	if err := s.rdb.Del(ctx, keys...).Err(); err != nil {
		return model.ErrUnavailable.WithCause(err)
	}
	return nil
}

// StaffIdle is how long an unused staff session lasts (PALMAID_STAFF_IDLE_TIMEOUT).
func (s *Service) StaffIdle() time.Duration { return s.staffIdle }

// Logout revokes a token of either kind.
func (s *Service) Logout(ctx context.Context, token string) error {
	h := hashToken(token)
	if err := s.rdb.Del(ctx, s.key("sess:mp:", h), s.key("sess:staff:", h)).Err(); err != nil {
		return model.ErrUnavailable.WithCause(err)
	}
	return nil
}

func (s *Service) lookup(ctx context.Context, kind, token string) (uint64, error) {
	if token == "" {
		return 0, model.ErrUnauthenticated
	}
	return sessionID(s.rdb.Get(ctx, s.key(kind, hashToken(token))).Result())
}

// sessionID is the account id a session key's GET answered: unauthenticated when the key is
// absent (or holds no id), unavailable when Redis failed.
func sessionID(v string, err error) (uint64, error) {
	if errors.Is(err, redis.Nil) {
		return 0, model.ErrUnauthenticated
	}
	if err != nil {
		return 0, model.ErrUnavailable.WithCause(err)
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, model.ErrUnauthenticated
	}
	return id, nil
}

// HashPassword hashes a password at this service's configured strength.
func (s *Service) HashPassword(pw string) (string, error) { return HashPasswordCost(pw, s.cost) }

func (s *Service) key(kind, hash string) string { return s.prefix + kind + hash }

func newToken(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}
