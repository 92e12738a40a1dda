// Package documents is the upload use case: a resident attaches files to the checklist items
// of their own case, downloads them back or deletes them while the case is theirs; staff of the
// case's area download them (audited). Every upload is sanitised (sanitize.go) before anything
// is stored, sealed with the personal-data key (SM4-GCM, service/crypto: the storage — disk or
// bucket — holds only ciphertext), stored under a random key (service/storage) with the
// plaintext's SHA-256, and recorded through the case file aggregate (store.UpdateCaseFile), so a
// refused upload leaves no row and no object, and a failed database write removes the object it
// had put. A download opens the seal and checks the SHA-256 against the row.
package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"time"

	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/crypto"
	"palmaid/service/reqmeta"
	"palmaid/service/storage"
	"palmaid/service/store"
)

// Service runs the upload use cases.
type Service struct {
	st       Store
	files    storage.Storage
	cipher   crypto.Cipher
	now      func() time.Time
	log      *slog.Logger
	san      Sanitiser
	gate     *Gate
	accounts *accountUploads
}

// Option sets a bound of the service at construction (limits.go).
type Option func(*Service)

// WithSanitiser sets the pixel ceiling and the PDF scan's budgets (default DefaultSanitiser).
func WithSanitiser(z Sanitiser) Option { return func(s *Service) { s.san = z } }

// WithGate shares a process-wide gate (default: a gate of its own, DefaultDecodeSlots and
// DefaultDecodeWait).
func WithGate(g *Gate) Option { return func(s *Service) { s.gate = g } }

// WithPerAccount sets how many uploads one account may have in progress (default
// DefaultPerAccount).
func WithPerAccount(n int) Option { return func(s *Service) { s.accounts = newAccountUploads(n) } }

// New builds the service.
func New(st Store, files storage.Storage, cipher crypto.Cipher, now func() time.Time, log *slog.Logger, opts ...Option) *Service {
	s := &Service{st: st, files: files, cipher: cipher, now: now, log: log, san: DefaultSanitiser(),
		gate: NewGate(DefaultDecodeSlots, DefaultDecodeWait), accounts: newAccountUploads(DefaultPerAccount)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// sealedType is the content type of every stored object: ciphertext.
const sealedType = "application/octet-stream"

// File is what a client sent: its name and declared type (neither trusted) and its bytes
// (at most MaxBytes: the reader stops there).
type File struct {
	Name     string
	Declared string
	Data     []byte
}

// Stored answers an upload: the new document and the item it answers.
type Stored struct {
	Document model.Document
	Item     model.ChecklistItem
}

var errRoleForbidden = cases.ErrRoleForbidden

// Upload attaches one file to an item of the resident's case. The case and the item are checked
// before the body is read (read calls back for it): a case that is not theirs is 404 and the
// file is never read. One account has at most a few uploads in progress (limits.go). Then the
// file is sanitised under the process-wide gate, put under a random key, and recorded with the
// case locked (status and counts checked again); if that fails, the object is deleted.
func (s *Service) Upload(ctx context.Context, residentID uint64, publicID, itemID string, read func() (File, error)) (*Stored, error) {
	by := residentID
	return s.upload(ctx, store.ResidentScope(residentID), model.Actor{Type: model.ActorResident, ID: residentID}, &by, publicID, itemID, read)
}

// UploadForStaff: an officer scans a paper document the applicant handed in at the window
// (帮办代办, or an elder without a phone) onto an item of a case of their area, while the case
// awaits documents. The same checks apply; the row records no resident, the audit row the
// officer.
func (s *Service) UploadForStaff(ctx context.Context, st *model.Staff, publicID, itemID string, read func() (File, error)) (*Stored, error) {
	if !st.Can(model.PermCaseAssist) && !st.Can(model.PermCaseAccept) {
		return nil, errRoleForbidden
	}
	return s.upload(ctx, store.StaffScope(st), model.Actor{Type: model.ActorStaff, ID: st.ID, AreaCode: st.AreaCode}, nil, publicID, itemID, read)
}

func (s *Service) upload(ctx context.Context, sc store.Scope, actor model.Actor, residentID *uint64, publicID, itemID string, read func() (File, error)) (*Stored, error) {
	f, err := s.st.LoadCaseFile(ctx, sc, publicID)
	if err != nil {
		return nil, err
	}
	item, err := model.ParseID(itemID)
	if err != nil {
		return nil, err
	}
	if err := f.CheckUpload(item); err != nil {
		return nil, err
	}
	done, err := s.accounts.enter(fmt.Sprintf("%s:%d", actor.Type, actor.ID))
	if err != nil {
		return nil, err
	}
	defer done()
	in, err := read()
	if err != nil {
		return nil, err
	}
	clean, err := s.sanitise(ctx, in)
	if err != nil {
		return nil, err
	}
	key, err := storage.NewKey()
	if err != nil {
		return nil, model.Internal(err)
	}
	sum := sha256.Sum256(clean.Data)
	sealed, err := s.cipher.Encrypt(clean.Data)
	if err != nil {
		return nil, model.Internal(err)
	}
	if err := s.files.Put(ctx, key, bytes.NewReader(sealed), int64(len(sealed)), sealedType); err != nil {
		s.removeObject(ctx, key) // a partial object, if the store kept one
		return nil, storageErr(err)
	}
	doc := model.Document{StorageKey: key, FileName: clean.FileName, MIME: clean.MIME, Size: int64(len(clean.Data)),
		SHA256: hex.EncodeToString(sum[:]), UploadedByResidentID: residentID}
	g, err := s.st.UpdateCaseFile(ctx, sc, publicID, 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env := model.Env{Now: s.now(), By: actor}
		if err := f.AddDocument(env, item, doc); err != nil {
			return err
		}
		id := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, actor.Type, actor.ID, f.Case.AreaCode, "case."+string(model.ActUploadDocument), &id,
			fmt.Sprintf("item=%d key=%s sha256=%s size=%d type=%s", item, key, doc.SHA256, doc.Size, doc.MIME), env.Now))
		return nil
	})
	if err != nil {
		s.removeObject(ctx, key)
		return nil, err
	}
	var out Stored
	for _, d := range g.Documents { // the saved row, with its id
		if d.StorageKey == key {
			out.Document = d
		}
	}
	it, err := g.Item(item)
	if err != nil {
		return nil, err
	}
	out.Item = *it
	return &out, nil
}

// sanitise runs Sanitise under the process-wide gate. A large image's pixel buffer (4 bytes a
// pixel: 67 MB at the default ceiling) is garbage once the re-encoded copy exists; it is
// collected at once, so the garbage collector's heap goal (twice what was live at the last
// collection) does not grow around buffers nobody holds any more.
func (s *Service) sanitise(ctx context.Context, in File) (*Clean, error) {
	leave, err := s.gate.Enter(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.san.Sanitise(in.Data, in.Name, in.Declared)
	leave()
	if err == nil && int64(c.Width)*int64(c.Height) >= collectAfterPixels {
		runtime.GC()
	}
	return c, err
}

// collectAfterPixels: images from this size on are followed by a collection (a 4 MP photo's
// buffers are 16 MB; below, the collector's own pace is cheaper).
const collectAfterPixels = 4_000_000

// removeObject deletes an object whose row was not written; the request's context may have
// ended (that may be why the write failed), so the deletion gets its own time.
func (s *Service) removeObject(ctx context.Context, key string) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.files.Delete(dctx, key); err != nil {
		s.log.ErrorContext(ctx, "orphaned document object: delete failed", "key", key, "err", err)
	}
}

// Download is an open document: its row and its bytes, opened and checked (the caller closes
// Body). At most MaxBytes are held per download.
type Download struct {
	Document model.Document
	Body     io.ReadCloser
	Size     int64
}

// OpenMine streams a document of the resident's own case (applicant, agent or beneficiary).
func (s *Service) OpenMine(ctx context.Context, residentID uint64, publicID, docID string) (*Download, error) {
	f, err := s.st.LoadCaseFile(ctx, store.ResidentScope(residentID), publicID)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, f, docID)
}

// OpenForStaff streams a document of a case in the staff member's area. Every download is
// audited, refused ones included; a download that cannot be audited is not served.
func (s *Service) OpenForStaff(ctx context.Context, st *model.Staff, publicID, docID string) (*Download, error) {
	if !st.Can(model.PermCaseRead) {
		return nil, errRoleForbidden
	}
	f, err := s.st.LoadCaseFile(ctx, store.StaffScope(st), publicID)
	if err != nil {
		if model.AsError(err).Code == model.ErrCaseNotFound.Code {
			if aerr := s.audit(ctx, st, "case.document.download.denied", nil, "public_id="+model.Truncate(publicID, 40)); aerr != nil {
				return nil, aerr
			}
		}
		return nil, err
	}
	id := f.Case.ID
	d, err := s.open(ctx, f, docID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, st, "case.document.download", &id, fmt.Sprintf("document=%d sha256=%s", d.Document.ID, d.Document.SHA256)); err != nil {
		_ = d.Body.Close()
		return nil, err
	}
	return d, nil
}

func (s *Service) audit(ctx context.Context, st *model.Staff, action string, caseID *uint64, detail string) error {
	if err := s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, st.ID, st.AreaCode, action, caseID, detail, s.now())); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

func (s *Service) open(ctx context.Context, f *model.CaseFile, docID string) (*Download, error) {
	id, err := model.ParseID(docID)
	if err != nil {
		return nil, err
	}
	d, err := f.Document(id)
	if err != nil {
		return nil, err
	}
	body, _, err := s.files.Get(ctx, d.StorageKey)
	if err != nil {
		if errors.Is(err, storage.ErrNotFound) {
			s.log.ErrorContext(ctx, "document object missing", "document", d.ID, "key", d.StorageKey)
		}
		return nil, storageErr(err)
	}
	defer body.Close()
	sealed, err := io.ReadAll(io.LimitReader(body, MaxBytes+crypto.Overhead+1))
	if err != nil {
		return nil, storageErr(err)
	}
	plain, err := s.cipher.Decrypt(sealed)
	sum := sha256.Sum256(plain)
	if err != nil || hex.EncodeToString(sum[:]) != d.SHA256 {
		// a swapped, truncated or foreign object: never served
		s.log.ErrorContext(ctx, "document object does not match its row", "document", d.ID, "key", d.StorageKey, "err", err)
		return nil, model.Internal(fmt.Errorf("document %d: object does not open or does not match its SHA-256", d.ID))
	}
	return &Download{Document: *d, Body: io.NopCloser(bytes.NewReader(plain)), Size: int64(len(plain))}, nil
}

// Delete removes a document of the resident's case while the case is theirs: the row is marked
// deleted (an item left without documents is missing again), and the object is deleted after
// the commit.
func (s *Service) Delete(ctx context.Context, residentID uint64, publicID, docID string) error {
	sc := store.ResidentScope(residentID)
	if _, err := s.st.LoadCaseFile(ctx, sc, publicID); err != nil { // not theirs: 404 before anything else
		return err
	}
	id, err := model.ParseID(docID)
	if err != nil {
		return err
	}
	var removed model.Document
	_, err = s.st.UpdateCaseFile(ctx, sc, publicID, 0, s.now(), func(ctx context.Context, f *model.CaseFile) error {
		env := model.Env{Now: s.now(), By: model.Actor{Type: model.ActorResident, ID: residentID}}
		d, err := f.RemoveDocument(env, id)
		if err != nil {
			return err
		}
		removed = d
		cid := f.Case.ID
		f.Audit = append(f.Audit, *reqmeta.Audit(ctx, model.ActorResident, residentID, f.Case.AreaCode, "case."+string(model.ActDeleteDocument), &cid,
			fmt.Sprintf("document=%d sha256=%s", d.ID, d.SHA256), env.Now))
		return nil
	})
	if err != nil {
		return err
	}
	s.removeObject(ctx, removed.StorageKey)
	return nil
}

func storageErr(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return model.ErrDocumentGone.WithCause(err)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return model.ErrUnavailable.WithCause(err)
	}
	return model.E(model.KindUnavailable, "document.storage_unavailable", "文件存储暂时不可用，请稍后再试").WithCause(err)
}
