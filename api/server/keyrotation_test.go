package server_test

import (
	"context"
	"encoding/hex"
	"io"
	"testing"

	"palmaid/config"
	"palmaid/service/app"
	"palmaid/service/crypto"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/keyrotation"
	"palmaid/service/store"
	"palmaid/service/testenv"
)

// `palmaid keys rotate` on both backends: data sealed with key 1 (identities, members, the
// declared facts, a staff second-factor secret, an uploaded document) is counted by a dry run
// without a write, re-encrypted under key 2 in a run stopped half way and resumed, and a third
// run changes nothing. Afterwards a cipher holding key 2 only opens every ciphertext and
// object, and the old key opens none.
func TestKeyRotation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "rotate-"+be.Name, 311)
		h.expect(h.upload(tok, id, items[0], "a.png", "", dt.FixturePNG(9, 9)), 201)
		h.expect(h.do("POST", "/api/v1/me/second-factor", h.staffLogin("admin"), nil), 200)
		ctx := context.Background()

		newKey := "6e65772d646174612d6b65792d303032" // "new-data-key-002"
		cfg := be.Config
		cfg.Crypto.KeyID, cfg.Crypto.DataKeyHex, cfg.Crypto.OldDataKeys = 2, newKey, "1:"+config.DevDataKeyHex
		m, err := app.OpenMaintenance(ctx, cfg, nil)
		testenv.Must(t, err)
		t.Cleanup(func() { _ = m.Close() })
		ring := m.Cipher.(*crypto.Ring)

		dry, err := keyrotation.Rotate(ctx, m.Store, ring, m.Storage, keyrotation.Options{DryRun: true, Batch: 2}, nil)
		testenv.Must(t, err)
		byName := map[string]keyrotation.Count{}
		for _, c := range dry.Counts {
			byName[c.Name] = c
			if c.Changed != 0 || c.ByKey[2] != 0 {
				t.Fatalf("dry run wrote: %+v", c)
			}
		}
		for _, name := range []string{"residents.id_enc", "household_members.id_enc", "staff.totp_secret_enc", "documents (stored objects)"} {
			if byName[name].ByKey[1] == 0 {
				t.Fatalf("dry run found nothing in %s: %+v", name, dry.Counts)
			}
		}
		total := dry.Pending()

		half, err := keyrotation.Rotate(ctx, m.Store, ring, m.Storage, keyrotation.Options{Batch: 2, MaxChanges: 3}, nil)
		testenv.Must(t, err)
		if !half.Stopped || half.Pending() != total-3 {
			t.Fatalf("stopped run: stopped=%v pending %d of %d", half.Stopped, half.Pending(), total)
		}
		rest, err := keyrotation.Rotate(ctx, m.Store, ring, m.Storage, keyrotation.Options{Batch: 2}, nil)
		testenv.Must(t, err)
		changed := 0
		for _, c := range rest.Counts {
			changed += c.Changed
		}
		if rest.Pending() != 0 || changed != total-3 {
			t.Fatalf("resumed run: pending %d, changed %d of %d", rest.Pending(), changed, total-3)
		}
		again, err := keyrotation.Rotate(ctx, m.Store, ring, m.Storage, keyrotation.Options{}, nil)
		testenv.Must(t, err)
		for _, c := range again.Counts {
			if c.Changed != 0 || c.ByKey[1] != 0 {
				t.Fatalf("second run changed something: %+v", c)
			}
		}

		// Key 2 alone opens everything; key 1 nothing.
		dk, _ := hex.DecodeString(newKey)
		ik, _ := hex.DecodeString(config.DevIndexKeyHex)
		only2, err := crypto.NewSM(2, dk, ik)
		testenv.Must(t, err)
		open := func(what string, ct []byte) {
			if _, err := only2.Decrypt(ct); err != nil {
				t.Fatalf("%s: key 2 cannot open it: %v", what, err)
			}
			if _, err := h.app.Cipher.Decrypt(ct); err == nil {
				t.Fatalf("%s: the old key still opens it", what)
			}
		}
		for _, col := range store.SealedColumns {
			rows, err := m.Store.SealedBatch(ctx, col, 0, 1000)
			testenv.Must(t, err)
			for _, v := range rows {
				open(col.String(), v.Value)
			}
		}
		docs, err := m.Store.DocumentObjects(ctx, 0, 100)
		testenv.Must(t, err)
		for _, d := range docs {
			rc, _, err := m.Storage.Get(ctx, d.StorageKey)
			testenv.Must(t, err)
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			open("document", b)
		}
	})
}
