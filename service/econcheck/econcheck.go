// Package econcheck is the household economic-status check (家庭经济状况核对): the county 核对
// centre queries tax, social insurance, real estate, vehicles, business registration, housing
// fund and deposits for each member. Source is the port; Simulator answers in embedded mode
// and tests, with answers a tester sets per ID number.
package econcheck

import (
	"context"
	"sync"
)

// Person is one member to check.
type Person struct {
	Position int
	IDNumber string
}

// Finding is one item a department reported.
type Finding struct {
	Source string `json:"source"` // tax, social_insurance, real_estate, vehicle, business, housing_fund, deposit
	Item   string `json:"item"`
	Cents  int64  `json:"cents"`
}

// Result is the answer for one member. Negative: something was found that bears on the
// decision (undeclared income or assets over the limits); the caseworker reads the findings.
type Result struct {
	Position int       `json:"position"`
	Negative bool      `json:"negative"`
	Findings []Finding `json:"findings"`
}

// Source answers a check.
type Source interface {
	Check(ctx context.Context, people []Person) ([]Result, error)
}

// Simulator is an in-memory Source; unknown IDs answer "nothing found".
type Simulator struct {
	mu      sync.Mutex
	answers map[string]Result
}

// NewSimulator builds an empty simulator.
func NewSimulator() *Simulator { return &Simulator{answers: map[string]Result{}} }

// Set fixes the answer for an ID number (Position is ignored).
func (s *Simulator) Set(idNumber string, negative bool, findings []Finding) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[idNumber] = Result{Negative: negative, Findings: append([]Finding(nil), findings...)}
}

// Check implements Source.
func (s *Simulator) Check(_ context.Context, people []Person) ([]Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Result, 0, len(people))
	for _, p := range people {
		r := s.answers[p.IDNumber]
		r.Position = p.Position
		if r.Findings == nil {
			r.Findings = []Finding{}
		}
		out = append(out, r)
	}
	return out, nil
}
