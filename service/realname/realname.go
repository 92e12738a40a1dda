// Package realname verifies that the person behind a WeChat account is the person whose name
// and ID number they type (实名核验). A checksum-valid ID number proves nothing about who typed
// it; binding one to an account must be confirmed by a real-name source.
//
// Verifier is the port. Production adapters are WeChat's city-service real-name check
// (checkrealnameinfo: the mini-program's consent page returns a one-time code), WeChat face
// verification (人脸核身: the client's verify result, confirmed server-side) or a provincial 实名
// service; all need the platform's approval for a government mini-program. Simulator answers in
// embedded mode and tests, with answers a tester sets per ID number (like econcheck's).
package realname

import (
	"context"
	"sync"

	"palmaid/service/wechat"
)

// Claim is what a resident asks to bind to their account.
type Claim struct {
	AppID, OpenID string // the WeChat account making the claim
	Name          string
	IDNumber      string // normalised, checksum-valid
	// Proof is the one-time evidence the mini-program obtained from WeChat (the city-service
	// consent code or the face verification result); empty when the client sent none.
	Proof string
}

// Outcome is a verifier's answer.
type Outcome int

const (
	// Verified: the account's real-name record matches the name and the ID number.
	Verified Outcome = iota + 1
	// Mismatch: the account's real-name record is of someone else.
	Mismatch
	// NoRecord: the source has nothing to compare with (no real-name data, no or expired proof).
	NoRecord
	// Unchecked: no real-name source is configured (Unverified); the claim is recorded as
	// unverified and loses to any verified claim of the same number.
	Unchecked
)

// Result is the verifier's answer. Method names the source for the record ("simulator",
// "wechat_cityservice", "wechat_face", …); empty unless Verified.
type Result struct {
	Outcome Outcome
	Method  string
}

// Verifier checks a claim. An error means the source could not answer (retry later): it is
// never treated as a verification.
type Verifier interface {
	Verify(ctx context.Context, c Claim) (Result, error)
}

// Unverified is the verifier of a deployment that has no approved real-name source yet: every
// claim is Unchecked. Such claims never block a verified owner (see service/residents).
type Unverified struct{}

// Verify implements Verifier.
func (Unverified) Verify(context.Context, Claim) (Result, error) {
	return Result{Outcome: Unchecked}, nil
}

// MethodSimulator is the Method the simulator reports.
const MethodSimulator = "simulator"

type person struct{ name, openID string }

// Simulator is an in-memory Verifier. For an ID number set with SetOwner, only that WeChat
// account with that name is Verified and every other claim is a Mismatch; SetOutcome fixes
// the answer for a number whatever the claim; SetError makes it fail (source down). Any other
// number answers Default (Verified unless changed), so development flows work unchanged.
type Simulator struct {
	mu       sync.Mutex
	owners   map[string]person
	outcomes map[string]Outcome
	failing  map[string]error
	def      Outcome
}

// NewSimulator builds a simulator whose unknown numbers verify.
func NewSimulator() *Simulator {
	return &Simulator{owners: map[string]person{}, outcomes: map[string]Outcome{}, failing: map[string]error{}, def: Verified}
}

// SetOwner says the person with idNumber and name is the user of WeChat account openID.
func (s *Simulator) SetOwner(idNumber, name, openID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[idNumber] = person{name: name, openID: openID}
	delete(s.outcomes, idNumber)
}

// SetOutcome fixes the answer for idNumber.
func (s *Simulator) SetOutcome(idNumber string, o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outcomes[idNumber] = o
	delete(s.owners, idNumber)
}

// SetError makes claims of idNumber fail with err (nil clears it).
func (s *Simulator) SetError(idNumber string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		delete(s.failing, idNumber)
		return
	}
	s.failing[idNumber] = err
}

// SetDefault sets the answer for numbers nothing was set for.
func (s *Simulator) SetDefault(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = o
}

// Verify implements Verifier.
func (s *Simulator) Verify(_ context.Context, c Claim) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.failing[c.IDNumber]; err != nil {
		return Result{}, err
	}
	o, ok := s.outcomes[c.IDNumber]
	if !ok {
		o = s.def
		if p, known := s.owners[c.IDNumber]; known {
			o = Mismatch
			if p.openID == c.OpenID && p.name == c.Name {
				o = Verified
			}
		}
	}
	if o == Verified {
		return Result{Outcome: Verified, Method: MethodSimulator}, nil
	}
	return Result{Outcome: o}, nil
}

// RealNameChecker is the part of the WeChat client the city-service adapter uses.
type RealNameChecker interface {
	CheckRealName(ctx context.Context, openID, name, idNumber, code string) (wechat.RealNameAnswer, error)
}

// MethodWeChatCityService is the Method of the WeChat city-service real-name check.
const MethodWeChatCityService = "wechat_cityservice"

// WeChatCityService verifies through WeChat's city-service real-name check (checkrealnameinfo):
// the claim's Proof is the one-time code the consent page returned. The name must match the
// account's WeChat Pay real name and the ID number that name.
type WeChatCityService struct{ WX RealNameChecker }

// Verify implements Verifier. A missing, bad or expired code is NoRecord (the resident goes
// through the consent page again); other WeChat errors are errors (503).
func (v WeChatCityService) Verify(ctx context.Context, c Claim) (Result, error) {
	if c.Proof == "" {
		return Result{Outcome: NoRecord}, nil
	}
	ans, err := v.WX.CheckRealName(ctx, c.OpenID, c.Name, c.IDNumber, c.Proof)
	if err != nil {
		if code, ok := wechat.ErrCode(err); ok && (code == wechat.CodeInvalidCode || code == 40163) {
			return Result{Outcome: NoRecord}, nil
		}
		return Result{}, err
	}
	switch {
	case ans.VerifyOpenID == wechat.RealNameNameMatch && ans.VerifyRealName == wechat.RealNameIDMatch:
		return Result{Outcome: Verified, Method: MethodWeChatCityService}, nil
	case ans.VerifyOpenID == wechat.RealNameNoData:
		return Result{Outcome: NoRecord}, nil
	}
	return Result{Outcome: Mismatch}, nil
}
