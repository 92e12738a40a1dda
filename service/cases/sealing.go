package cases

import (
	"encoding/json"
	"fmt"
	"palmaid/model"
	"strings"
)

func ConsentWho(k *model.Consent, f *Facts) string {
	switch k.Subject {
	case model.ConsentMember:
		if k.Position < len(f.Members) {
			return model.MaskName(f.Members[k.Position].Name)
		}
	case model.ConsentSupporter:
		if k.Position < len(f.Supporter) {
			return "赡养人" + model.MaskName(f.Supporter[k.Position].Name)
		}
	case model.ConsentAgent:
		return "代办人"
	}
	return "有关人员"
}

func (s *Kernel) SealFacts(f *Facts) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return s.cipher.Encrypt(b)
}

// openFacts decrypts a case's declared facts (an application made before drafts has none).
func (s *Kernel) OpenFacts(f *model.CaseFile) (*Facts, error) {
	out := &Facts{}
	if f.Facts == nil {
		return out, nil
	}
	b, err := s.cipher.Decrypt(f.Facts.FactsEnc)
	if err != nil {
		return nil, fmt.Errorf("case %d facts: %w", f.Case.ID, err)
	}
	return out, json.Unmarshal(b, out)
}

// masked is a copy with every ID number masked (what the screens show).
func (f *Facts) Masked() *Facts {
	cp := *f
	cp.Members = append([]MemberFacts(nil), f.Members...)
	for i := range cp.Members {
		if cp.Members[i].IDNumber != "" {
			cp.Members[i].IDNumber = model.MaskIDNumber(cp.Members[i].IDNumber)
		}
	}
	cp.Supporter = append([]SupporterDecl(nil), f.Supporter...)
	for i := range cp.Supporter {
		if cp.Supporter[i].IDNumber != "" {
			cp.Supporter[i].IDNumber = model.MaskIDNumber(cp.Supporter[i].IDNumber)
		}
	}
	cp.Income = append([]IncomeLine(nil), f.Income...)
	return &cp
}

// unmask lets a client send back the masked ID numbers it was shown: a masked value that
// matches exactly one number of the earlier declaration stands for it.
func (f *Facts) RestoreMasked(old *Facts) {
	known := map[string][]string{}
	for _, m := range old.Members {
		known[model.MaskIDNumber(m.IDNumber)] = append(known[model.MaskIDNumber(m.IDNumber)], m.IDNumber)
	}
	for _, sp := range old.Supporter {
		if sp.IDNumber != "" {
			known[model.MaskIDNumber(sp.IDNumber)] = append(known[model.MaskIDNumber(sp.IDNumber)], sp.IDNumber)
		}
	}
	fix := func(v *string) {
		if strings.Contains(*v, "*") {
			if ids := known[strings.TrimSpace(*v)]; len(ids) == 1 {
				*v = ids[0]
			}
		}
	}
	for i := range f.Members {
		fix(&f.Members[i].IDNumber)
	}
	for i := range f.Supporter {
		fix(&f.Supporter[i].IDNumber)
	}
}
