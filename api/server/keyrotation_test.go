package server_test

import (
	"context"
	"encoding/hex"
	"io"
	"strings"
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

		// A row written before free text was sealed (migration 00020) holds plaintext: it reads
		// as it is, and the rotation seals it.
		reasonCol := store.SealedColumn{Table: "cases", PK: "id", Column: "reason"}
		reasons, err := m.Store.SealedTextBatch(ctx, reasonCol, 0, 1000)
		testenv.Must(t, err)
		if len(reasons) == 0 || !store.IsSealedText(reasons[0].Value) {
			t.Fatalf("the application reason is not sealed: %+v", reasons)
		}
		const legacy = "旧版本写入的明文理由"
		if ok, err := m.Store.ReplaceSealedText(ctx, reasonCol, reasons[0].ID, reasons[0].Value, legacy); err != nil || !ok {
			t.Fatalf("write legacy plaintext: %v %v", ok, err)
		}
		if det := h.do("GET", "/api/v1/cases/"+id, r.staff("town_east"), nil); det.Status != 200 || !strings.Contains(string(det.Body), legacy) {
			t.Fatalf("legacy plaintext unreadable: %d %s", det.Status, det.Body)
		}

		dry, err := keyrotation.Rotate(ctx, m.Store, ring, m.Storage, keyrotation.Options{DryRun: true, Batch: 2}, nil)
		testenv.Must(t, err)
		byName := map[string]keyrotation.Count{}
		for _, c := range dry.Counts {
			byName[c.Name] = c
			if c.Changed != 0 || c.ByKey[2] != 0 {
				t.Fatalf("dry run wrote: %+v", c)
			}
		}
		for _, name := range []string{"residents.id_enc", "household_members.id_enc", "staff.totp_secret_enc", "documents (stored objects)",
			"households.address", "documents.file_name", "case_events.opinion"} {
			if byName[name].ByKey[1] == 0 {
				t.Fatalf("dry run found nothing in %s: %+v", name, dry.Counts)
			}
		}
		if byName["cases.reason"].Plain != 1 {
			t.Fatalf("dry run: legacy plaintext in cases.reason not counted: %+v", byName["cases.reason"])
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
		texts := 0
		for _, col := range store.SealedTextColumns {
			rows, err := m.Store.SealedTextBatch(ctx, col, 0, 1000)
			testenv.Must(t, err)
			for _, v := range rows {
				ct, sealed := store.SealedTextCiphertext(v.Value)
				if !sealed {
					t.Fatalf("%s row %d still in clear: %q", col, v.ID, v.Value)
				}
				open(col.String(), ct)
				texts++
			}
		}
		if texts < 5 {
			t.Fatalf("only %d sealed text values checked", texts)
		}
		if p, err := store.OpenText(only2, mustText(t, m.Store, reasonCol, reasons[0].ID)); err != nil || p != legacy {
			t.Fatalf("the sealed legacy reason opens to %q, %v", p, err)
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

func mustText(t *testing.T, st *store.Store, col store.SealedColumn, id uint64) string {
	t.Helper()
	rows, err := st.SealedTextBatch(context.Background(), col, id-1, 1)
	testenv.Must(t, err)
	if len(rows) != 1 || rows[0].ID != id {
		t.Fatalf("%s row %d not found", col, id)
	}
	return rows[0].Value
}
