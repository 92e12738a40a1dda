package cases

import (
	"encoding/json"
	"fmt"
	"palmaid/model"
)

// ConsentWho names, masked, whose consent k is.
func ConsentWho(k *model.Consent, f *model.HouseholdFacts) string {
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

// SealFacts encrypts the declaration for the case file.
func (s *Kernel) SealFacts(f *model.HouseholdFacts) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return s.cipher.Encrypt(b)
}

// OpenFacts decrypts a case's declared facts (an application made before drafts has none).
func (s *Kernel) OpenFacts(f *model.CaseFile) (*model.HouseholdFacts, error) {
	out := &model.HouseholdFacts{}
	if f.Facts == nil {
		return out, nil
	}
	b, err := s.cipher.Decrypt(f.Facts.FactsEnc)
	if err != nil {
		return nil, fmt.Errorf("case %d facts: %w", f.Case.ID, err)
	}
	return out, json.Unmarshal(b, out)
}
