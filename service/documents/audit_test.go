package documents_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/documents"
	"palmaid/service/store"
)

// refusingStore finds no case and keeps the audit rows written.
type refusingStore struct {
	documents.Store
	audit []model.AuditLog
}

func (s *refusingStore) LoadCaseFile(context.Context, store.Scope, string) (*model.CaseFile, error) {
	return nil, model.ErrCaseNotFound
}

func (s *refusingStore) Audit(_ context.Context, a *model.AuditLog) error {
	s.audit = append(s.audit, *a)
	return nil
}

// A refused download is audited with the case id asked for, cut to 40 characters: never in the
// middle of a character (MariaDB refuses a row whose text is not UTF-8).
func TestRefusedDownloadAuditCutsWholeCharacters(t *testing.T) {
	st := &refusingStore{}
	svc := documents.New(st, nil, nil, func() time.Time { return time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	staff := &model.Staff{ID: 7, Role: model.RoleCountyOfficer, AreaCode: "130102000000", Active: true}
	asked := "xy" + strings.Repeat("申请", 30) // 2 + 180 bytes: byte 40 falls inside a character
	if _, err := svc.OpenForStaff(context.Background(), staff, asked, "1"); model.AsError(err).Code != model.ErrCaseNotFound.Code {
		t.Fatalf("OpenForStaff = %v, want case not found", err)
	}
	if len(st.audit) != 1 {
		t.Fatalf("audit rows %d, want 1", len(st.audit))
	}
	d := st.audit[0].Detail
	if !utf8.ValidString(d) || d != "public_id="+string([]rune(asked)[:40]) {
		t.Fatalf("audit detail %q (valid UTF-8: %v), want the first 40 characters", d, utf8.ValidString(d))
	}
}
