package cases

import (
	"palmaid/model"
	"palmaid/service/residents"
	"regexp"
	"strings"
)

// ObjectionInput is a named objection with a contact.
type ObjectionInput struct {
	Name    string
	Contact string
	Content string
}

var phoneRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// Objection checks an objection to a public notice and builds its row (contact sealed).
func (s *Kernel) Objection(in ObjectionInput) (model.Objection, error) {
	name := strings.TrimSpace(in.Name)
	if !residents.ValidName(name) {
		return model.Objection{}, model.Invalid("objection.invalid_name", "请填写真实姓名（实名反映）").WithField("name", "1至30字")
	}
	contact := strings.TrimSpace(in.Contact)
	if !phoneRe.MatchString(contact) {
		return model.Objection{}, model.Invalid("objection.invalid_contact", "请填写11位手机号码，便于核实后回复").WithField("contact", "11位手机号码")
	}
	content, err := Text("content", in.Content, 1000, true)
	if err != nil {
		return model.Objection{}, err
	}
	enc, err := s.cipher.EncryptString(contact)
	if err != nil {
		return model.Objection{}, err
	}
	return model.Objection{Name: name, ContactEnc: enc, ContactMasked: model.MaskPhone(contact), Content: content}, nil
}
