package server_test

import (
	"context"
	"fmt"
	"testing"

	"palmaid/model"
	"palmaid/service/documents"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/testenv"
)

// Issue 19, "image decoding is unbounded": sanitising runs under a process-wide gate (full: 503
// document.busy with Retry-After, nothing stored) and one account has a bounded number of
// uploads in progress (one more: 429 document.upload_in_progress with Retry-After, at once,
// before its body is read), while another account's upload goes through. The slots are held by
// the test itself, so nothing here depends on timing.
func TestUploadBoundsGateAndPerAccount(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		be.Config.Uploads.DecodeWait = 0 // a full gate answers at once
		be.Config.Uploads.PerAccount = 1
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "bounds-"+be.Name, 321)
		otherTok, otherID, otherItems := returnedCase(t, h, r, "bounds-other-"+be.Name, 322)
		ctx := context.Background()
		photo := dt.FixtureJPEG(640, 480)

		// The gate full: 503, Retry-After, nothing stored; free again: 201.
		var leaves []func()
		for range be.Config.Uploads.DecodeSlots {
			leave, err := h.app.Uploads.Enter(ctx)
			if err != nil {
				t.Fatal(err)
			}
			leaves = append(leaves, leave)
		}
		res := h.upload(tok, id, items[0], "photo.jpg", "image/jpeg", photo)
		if res.Status != 503 || res.errCode(t) != "document.busy" || res.Header.Get("Retry-After") != "5" {
			t.Fatalf("gate full: %d %s %v", res.Status, res.Body, res.Header)
		}
		if rows, objects := stored(t, h); rows != 0 || objects != 0 {
			t.Fatalf("busy upload stored %d rows, %d objects", rows, objects)
		}
		for _, leave := range leaves {
			leave()
		}
		h.expect(h.upload(tok, id, items[0], "photo.jpg", "image/jpeg", photo), 201)

		// One upload of the account in progress (its body not yet read): the next is 429 at
		// once; another account's is not held up.
		f, err := h.app.Store.LoadCaseFile(ctx, storeSystem(), id)
		if err != nil {
			t.Fatal(err)
		}
		reading, release := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			_, err := h.app.Documents.Upload(ctx, f.Case.ApplicantResidentID, id, fmt.Sprint(items[1]), func() (documents.File, error) {
				close(reading)
				<-release
				return documents.File{Name: "slow.jpg", Data: photo}, nil
			})
			first <- err
		}()
		<-reading
		res = h.upload(tok, id, items[1], "photo.jpg", "image/jpeg", photo)
		if res.Status != 429 || res.errCode(t) != "document.upload_in_progress" || res.Header.Get("Retry-After") != "2" {
			t.Fatalf("second upload of the account: %d %s %v", res.Status, res.Body, res.Header)
		}
		h.expect(h.upload(otherTok, otherID, otherItems[0], "photo.jpg", "image/jpeg", photo), 201)
		close(release)
		if err := <-first; err != nil {
			t.Fatalf("the slow upload: %v", model.AsError(err))
		}
		// finished, the account uploads again
		h.expect(h.upload(tok, id, items[1], "photo2.jpg", "image/jpeg", photo), 201)
		if rows, _ := stored(t, h); rows != 4 {
			t.Fatalf("%d documents, want 4", rows)
		}
	})
}
