// Package auth issues and checks palmaid's own session tokens: residents log in with a WeChat
// code (session_key stays server-side), staff with username and bcrypt password. Tokens are
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
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"palmaid/model"
	"palmaid/service/store"
	"palmaid/service/wechat"
)

// Errors of this package.
var (
	ErrCodeInvalid  = model.E(model.KindUnauthorized, "auth.code_invalid", "登录已失效，请重新进入小程序")
	ErrRiskyUser    = model.E(model.KindForbidden, "auth.risky_user", "当前微信账号存在风险，暂时无法登录")
	ErrWeChatBusy   = model.E(model.KindUnavailable, "wechat.unavailable", "微信服务繁忙，请稍后再试")
	ErrBadPassword  = model.E(model.KindUnauthorized, "auth.bad_credentials", "用户名或密码不正确")
	ErrLockedOut    = model.E(model.KindRateLimited, "auth.locked", "密码错误次数过多，请15分钟后再试")
	ErrTooManyCodes = model.E(model.KindRateLimited, "auth.rate_limited", "登录过于频繁，请稍后再试")
)

const (
	maxLoginFailures = 5
	lockout          = 15 * time.Minute
)

// Service holds the dependencies; build it once.
type Service struct {
	st          *store.Store
	wx          wechat.Client
	rdb         redis.UniversalClient
	prefix      string
	appID       string
	residentTTL time.Duration
	staffTTL    time.Duration
	now         func() time.Time
	log         *slog.Logger
	dummyHash   []byte // compared when the username is unknown, so timing does not tell
	cost        int    // bcrypt cost of new hashes
}

// Config of the service.
type Config struct {
	AppID       string
	KeyPrefix   string
	ResidentTTL time.Duration
	StaffTTL    time.Duration
	// PasswordCost is the bcrypt cost of new hashes (config PALMAID_PASSWORD_COST); 0 means
	// bcrypt's default.
	PasswordCost int
}

// New builds the service.
func New(cfg Config, st *store.Store, wx wechat.Client, rdb redis.UniversalClient, now func() time.Time, log *slog.Logger) *Service {
	cost := cfg.PasswordCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	dummy, _ := bcrypt.GenerateFromPassword([]byte("palmaid-timing-equaliser"), cost)
	return &Service{st: st, wx: wx, rdb: rdb, prefix: cfg.KeyPrefix, appID: cfg.AppID,
		residentTTL: cfg.ResidentTTL, staffTTL: cfg.StaffTTL, now: now, log: log, dummyHash: dummy, cost: cost}
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
	// session_key is overwritten at each login, kept for decrypting wx data, never returned.
	pipe.Set(ctx, s.prefix+"wx:session_key:"+id, sess.SessionKey, s.residentTTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	return &ResidentLogin{Token: token, ExpiresAt: s.now().Add(s.residentTTL), Resident: r}, nil
}

func (s *Service) wechatLoginError(err error) error {
	code, ok := wechat.ErrCode(err)
	if !ok {
		return ErrWeChatBusy.WithCause(err)
	}
	switch code {
	case 40029, 40163, 40125, 40013:
		return ErrCodeInvalid.WithCause(err)
	case 45011:
		return ErrTooManyCodes.WithCause(err)
	case 40226:
		return ErrRiskyUser.WithCause(err)
	}
	return ErrWeChatBusy.WithCause(err)
}

// ResidentID resolves a resident token.
func (s *Service) ResidentID(ctx context.Context, token string) (uint64, error) {
	return s.lookup(ctx, "sess:mp:", token)
}

// StaffLogin is the result of a password login.
type StaffLogin struct {
	Token     string
	ExpiresAt time.Time
	Staff     *model.Staff
}

// LoginStaff checks a password, with a per-username lockout after repeated failures.
func (s *Service) LoginStaff(ctx context.Context, username, password string) (*StaffLogin, error) {
	failKey := s.prefix + "auth:fail:" + username
	if n, err := s.rdb.Get(ctx, failKey).Int(); err == nil && n >= maxLoginFailures {
		return nil, ErrLockedOut
	}
	st, err := s.st.StaffByUsername(ctx, username)
	if err != nil && !errors.Is(err, model.ErrUnauthenticated) {
		return nil, err
	}
	hash := s.dummyHash
	if st != nil {
		hash = []byte(st.PasswordHash)
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || st == nil {
		pipe := s.rdb.TxPipeline()
		pipe.Incr(ctx, failKey)
		pipe.Expire(ctx, failKey, lockout)
		_, _ = pipe.Exec(ctx)
		return nil, ErrBadPassword
	}
	s.rdb.Del(ctx, failKey)
	token, err := newToken("st_")
	if err != nil {
		return nil, err
	}
	if err := s.rdb.Set(ctx, s.key("sess:staff:", hashToken(token)), strconv.FormatUint(st.ID, 10), s.staffTTL).Err(); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	return &StaffLogin{Token: token, ExpiresAt: s.now().Add(s.staffTTL), Staff: st}, nil
}

// Staff resolves a staff token to an active account.
func (s *Service) Staff(ctx context.Context, token string) (*model.Staff, error) {
	id, err := s.lookup(ctx, "sess:staff:", token)
	if err != nil {
		return nil, err
	}
	return s.st.GetStaff(ctx, id)
}

// AreaName names a staff member's area ("" when the area is not in the database).
func (s *Service) AreaName(ctx context.Context, code string) (string, error) {
	names, err := s.st.AreaNames(ctx, []string{code})
	if err != nil {
		return "", model.ErrUnavailable.WithCause(err)
	}
	return names[code], nil
}

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
	v, err := s.rdb.Get(ctx, s.key(kind, hashToken(token))).Result()
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

// HashPassword hashes a staff password (seed and administration) at the given bcrypt cost
// (config PALMAID_PASSWORD_COST; 0 means bcrypt's default).
func HashPassword(pw string, cost int) (string, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	return string(h), err
}

// HashPassword hashes a password at this service's configured cost.
func (s *Service) HashPassword(pw string) (string, error) { return HashPassword(pw, s.cost) }

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
