package auth

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// Second-factor errors.
var (
	ErrChallengeInvalid = model.E(model.KindUnauthorized, "auth.challenge_invalid", "登录验证已过期，请重新输入用户名和密码")
	ErrBadSecondFactor  = model.E(model.KindUnauthorized, "auth.bad_second_factor", "动态验证码或恢复码不正确")
	ErrSecondFactorLock = model.E(model.KindRateLimited, "auth.second_factor_locked", "验证码错误次数过多，请15分钟后再试")
	ErrSecondFactorOn   = model.E(model.KindConflict, "auth.second_factor_enabled", "已启用动态验证码；如需更换，请联系管理员重置")
	ErrNoPendingFactor  = model.E(model.KindConflict, "auth.second_factor_not_started", "请先开始绑定动态验证码")
	ErrWrongSetupCode   = model.E(model.KindUnprocessable, "auth.bad_setup_code", "动态验证码不正确，请核对手机时间后重试")
	// ErrSecondFactorRequired: the role must use a second factor and this account has none yet;
	// such a session may only enrol one.
	ErrSecondFactorRequired = model.E(model.KindForbidden, "auth.second_factor_required", "本岗位须启用动态验证码，请先完成绑定")
)

const (
	challengeTTL          = 5 * time.Minute
	maxSecondFactorErrors = 5
	// TOTPIssuer is the issuer shown in authenticator apps.
	TOTPIssuer = "palmaid"
	// ActionSecondFactorEnabled is the audit action of a confirmed enrolment.
	ActionSecondFactorEnabled = "auth.second_factor_enabled"
	// ActionRecoveryCodeUsed is the audit action of a login with a recovery code.
	ActionRecoveryCodeUsed = "auth.recovery_code_used"
)

// SecondFactorRequired reports whether st's role must use a second factor and has none yet.
func (s *Service) SecondFactorRequired(st *model.Staff) bool {
	if st.SecondFactorEnabled() {
		return false
	}
	for _, r := range s.mfaRoles {
		if r == st.Role {
			return true
		}
	}
	return false
}

// SecondFactorMandatory reports whether st's role must use a second factor.
func (s *Service) SecondFactorMandatory(st *model.Staff) bool {
	for _, r := range s.mfaRoles {
		if r == st.Role {
			return true
		}
	}
	return false
}

// issueChallenge is the password step's answer for an account with a second factor: a
// one-time challenge token for LoginSecondFactor (5 minutes), instead of a session.
func (s *Service) issueChallenge(ctx context.Context, p redis.Pipeliner, st *model.Staff) (string, error) {
	tok, err := newToken("mfa_")
	if err != nil {
		return "", err
	}
	p.Set(ctx, s.key("auth:mfa:", hashToken(tok)), strconv.FormatUint(st.ID, 10)+":"+strconv.Itoa(st.SessionVersion), challengeTTL)
	return tok, nil
}

// LoginSecondFactor finishes a login: the challenge from the password step and a current TOTP
// code (±1 step, never one already used) or an unused recovery code. Five wrong codes lock the
// second factor of the account for 15 minutes.
func (s *Service) LoginSecondFactor(ctx context.Context, challenge, code string) (*StaffLogin, error) {
	if challenge == "" || len(challenge) > 128 || code == "" || len(code) > 32 {
		return nil, ErrChallengeInvalid
	}
	ckey := s.key("auth:mfa:", hashToken(challenge))
	v, err := s.rdb.Get(ctx, ckey).Result()
	if errors.Is(err, redis.Nil) {
		return nil, ErrChallengeInvalid
	}
	if err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	idStr, verStr, _ := strings.Cut(v, ":")
	id, _ := strconv.ParseUint(idStr, 10, 64)
	failKey := s.prefix + "auth:mfa:fail:" + idStr
	pipe := s.rdb.Pipeline()
	fails := pipe.Get(ctx, failKey)
	failTTL := pipe.PTTL(ctx, failKey)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	if n, _ := fails.Int(); n >= maxSecondFactorErrors {
		return nil, ErrSecondFactorLock.WithRetryAfter(positive(failTTL.Val(), lockout))
	}
	st, err := s.st.GetStaff(ctx, id)
	if errors.Is(err, model.ErrUnauthenticated) { // disabled since the password step
		return nil, ErrChallengeInvalid
	}
	if err != nil {
		return nil, err
	}
	if strconv.Itoa(st.SessionVersion) != verStr || !st.SecondFactorEnabled() {
		return nil, ErrChallengeInvalid
	}
	ok, recovery, err := s.checkSecondFactor(ctx, st, code)
	if err != nil {
		return nil, err
	}
	if !ok {
		p := s.rdb.TxPipeline()
		p.Incr(ctx, failKey)
		p.Expire(ctx, failKey, lockout)
		if _, err := p.Exec(ctx); err != nil {
			return nil, model.ErrUnavailable.WithCause(err)
		}
		return nil, ErrBadSecondFactor
	}
	// The challenge is single use: of two requests racing with it, one gets the session.
	if n, err := s.rdb.Del(ctx, ckey).Result(); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	} else if n != 1 {
		return nil, ErrChallengeInvalid
	}
	if recovery {
		left, _ := s.st.RecoveryCodesLeft(ctx, st.ID)
		if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionRecoveryCodeUsed, nil,
			"recovery_codes_left="+strconv.FormatInt(left, 10), s.now())); err != nil {
			return nil, err
		}
	}
	token, err := newToken("st_")
	if err != nil {
		return nil, err
	}
	knownKey := s.prefix + "auth:known:id:" + idStr
	tx := s.rdb.TxPipeline()
	tx.Del(ctx, failKey)
	tx.SAdd(ctx, knownKey, reqmeta.MetaFrom(ctx).ClientIP)
	tx.Expire(ctx, knownKey, knownSourceTTL)
	s.putStaffSession(ctx, tx, token, st)
	if _, err := tx.Exec(ctx); err != nil {
		return nil, model.ErrUnavailable.WithCause(err)
	}
	factor := "factor=totp"
	if recovery {
		factor = "factor=recovery_code"
	}
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionStaffLogin, nil, factor, s.now())); err != nil {
		return nil, err
	}
	return &StaffLogin{Token: token, ExpiresAt: s.now().Add(s.staffTTL), Staff: st}, nil
}

// checkSecondFactor spends a TOTP step or a recovery code of st.
func (s *Service) checkSecondFactor(ctx context.Context, st *model.Staff, code string) (ok, recovery bool, err error) {
	code = strings.TrimSpace(code)
	if len(code) == TOTPDigits {
		secret, err := s.cipher.Decrypt(st.TOTPSecretEnc)
		if err != nil {
			return false, false, err
		}
		step, match := MatchTOTP(secret, code, s.now(), st.TOTPLastStep)
		if !match {
			return false, false, nil
		}
		ok, err := s.st.UseTOTPStep(ctx, st.ID, step)
		return ok, false, err
	}
	rc := NormalizeRecoveryCode(code)
	if rc == "" {
		return false, false, nil
	}
	ok, err = s.st.UseRecoveryCode(ctx, st.ID, HashRecoveryCode(rc), s.now())
	return ok, true, err
}

// TOTPEnrolment is a new, unconfirmed secret: the URI for a QR code and the secret to type.
type TOTPEnrolment struct {
	Secret string
	URI    string
}

// EnrolTOTP starts (or restarts) the enrolment of a second factor for st: a new secret,
// sealed at rest, used only after ConfirmTOTP. An enabled second factor is 409 (an
// administrator resets it).
func (s *Service) EnrolTOTP(ctx context.Context, st *model.Staff) (*TOTPEnrolment, error) {
	if st.SecondFactorEnabled() {
		return nil, ErrSecondFactorOn
	}
	secret, err := NewTOTPSecret()
	if err != nil {
		return nil, err
	}
	enc, err := s.cipher.Encrypt(secret)
	if err != nil {
		return nil, err
	}
	if ok, err := s.st.SetStaffTOTPPending(ctx, st.ID, enc, s.now()); err != nil {
		return nil, err
	} else if !ok {
		return nil, ErrSecondFactorOn
	}
	return &TOTPEnrolment{Secret: EncodeTOTPSecret(secret), URI: TOTPURI(TOTPIssuer, st.Username, secret)}, nil
}

// ConfirmTOTP enables the pending secret with a first code from the app and returns the ten
// recovery codes (shown once; only their hashes are kept). Audited.
func (s *Service) ConfirmTOTP(ctx context.Context, st *model.Staff, code string) ([]string, error) {
	fresh, err := s.st.GetStaff(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	if fresh.SecondFactorEnabled() {
		return nil, ErrSecondFactorOn
	}
	if len(fresh.TOTPSecretEnc) == 0 {
		return nil, ErrNoPendingFactor
	}
	secret, err := s.cipher.Decrypt(fresh.TOTPSecretEnc)
	if err != nil {
		return nil, err
	}
	step, ok := MatchTOTP(secret, code, s.now(), 0)
	if !ok {
		return nil, ErrWrongSetupCode
	}
	codes, err := NewRecoveryCodes(RecoveryCodes)
	if err != nil {
		return nil, err
	}
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = HashRecoveryCode(c)
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if ok, err := s.st.EnableStaffTOTP(ctx, st.ID, step, hashes, s.now()); err != nil {
			return err
		} else if !ok {
			return ErrSecondFactorOn
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, ActionSecondFactorEnabled, nil, "", s.now()))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}
