// Package keyrotation re-encrypts personal data sealed with an older data key under the current
// one (`palmaid keys rotate`): every encrypted column (store.SealedColumns) and every uploaded
// document object. The key id byte each ciphertext starts with says which key sealed it, so a
// run skips what is already current: it is idempotent, and an interrupted run is resumed by
// running it again. Each row is replaced only if it still holds the ciphertext that was read
// (a concurrent write wins); each object is replaced atomically by the storage (write to a
// temporary name, rename; S3 PUT). The service keeps working during a rotation when it is
// started with the old keys in PALMAID_OLD_DATA_KEYS.
package keyrotation

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"

	"palmaid/service/crypto"
	"palmaid/service/storage"
	"palmaid/service/store"
)

// Options tune a run.
type Options struct {
	DryRun bool // count only
	Batch  int  // rows read per query (default 200)
	// MaxChanges stops after this many re-encryptions in all (0: no limit): a throttled run,
	// or a test of resuming.
	MaxChanges int
}

// Count is what a run found in one column (or in the document objects).
type Count struct {
	Name    string
	ByKey   map[byte]int // ciphertexts per key id, as found
	Changed int          // re-encrypted (0 in a dry run)
	Skipped int          // changed concurrently, or stopped by MaxChanges: left for the next run
	Failed  int          // unreadable: unknown key id or failed authentication (reported, not touched)
	// Plain counts legacy plaintext found in a sealed text column (written before migration
	// 00020): a run seals it (Changed counts it then).
	Plain int
}

// Report is a run's result.
type Report struct {
	CurrentKeyID byte
	Counts       []Count
	Stopped      bool // MaxChanges reached
}

// Pending is how many ciphertexts are still under another key (unreadable ones included).
func (r Report) Pending() int {
	n := 0
	for _, c := range r.Counts {
		for id, k := range c.ByKey {
			if id != r.CurrentKeyID {
				n += k
			}
		}
		n += c.Plain - c.Changed
	}
	return n
}

// Write prints the report, one line per column.
func (r Report) Write(w io.Writer, dry bool) {
	for _, c := range r.Counts {
		ids := make([]int, 0, len(c.ByKey))
		for id := range c.ByKey {
			ids = append(ids, int(id))
		}
		sort.Ints(ids)
		var keys []string
		for _, id := range ids {
			keys = append(keys, fmt.Sprintf("key %d: %d", id, c.ByKey[byte(id)]))
		}
		if c.Plain > 0 {
			keys = append(keys, fmt.Sprintf("plaintext: %d", c.Plain))
		}
		verb := "re-encrypted"
		if dry {
			verb = "would re-encrypt"
		}
		fmt.Fprintf(w, "%-32s %v; %s %d, skipped %d, unreadable %d\n", c.Name, keys, verb, c.pending(r.CurrentKeyID, dry), c.Skipped, c.Failed)
	}
}

func (c Count) pending(cur byte, dry bool) int {
	if !dry {
		return c.Changed
	}
	n := 0
	for id, k := range c.ByKey {
		if id != cur {
			n += k
		}
	}
	return n + c.Plain - c.Failed
}

// Rotate re-encrypts under ring's current key. files may be nil (no document storage).
func Rotate(ctx context.Context, st Store, ring *crypto.Ring, files storage.Storage, opt Options, log *slog.Logger) (Report, error) {
	if opt.Batch <= 0 {
		opt.Batch = 200
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rep := Report{CurrentKeyID: ring.CurrentKeyID()}
	budget := opt.MaxChanges
	spend := func() bool {
		if opt.MaxChanges == 0 {
			return true
		}
		if budget == 0 {
			rep.Stopped = true
			return false
		}
		budget--
		return true
	}
	for _, col := range store.SealedColumns {
		c := Count{Name: col.String(), ByKey: map[byte]int{}}
		var after uint64
		for {
			batch, err := st.SealedBatch(ctx, col, after, opt.Batch)
			if err != nil {
				return rep, fmt.Errorf("read %s: %w", col, err)
			}
			for _, v := range batch {
				after = v.ID
				id, _ := crypto.KeyIDOf(v.Value)
				c.ByKey[id]++
				if id == rep.CurrentKeyID {
					continue
				}
				if _, err := ring.Decrypt(v.Value); err != nil {
					c.Failed++
					log.WarnContext(ctx, "unreadable ciphertext left as it is", "column", col.String(), "row", v.ID, "err", err)
					continue
				}
				if opt.DryRun {
					continue
				}
				if !spend() {
					c.Skipped++
					continue
				}
				next, _, err := ring.Reseal(v.Value)
				if err != nil {
					return rep, err
				}
				ok, err := st.ReplaceSealed(ctx, col, v.ID, v.Value, next)
				if err != nil {
					return rep, fmt.Errorf("write %s row %d: %w", col, v.ID, err)
				}
				if ok {
					c.Changed++
				} else {
					c.Skipped++
				}
			}
			if len(batch) < opt.Batch {
				break
			}
		}
		rep.Counts = append(rep.Counts, c)
	}
	for _, col := range store.SealedTextColumns {
		c, err := rotateText(ctx, st, ring, col, opt, spend, log)
		rep.Counts = append(rep.Counts, c)
		if err != nil {
			return rep, err
		}
	}
	if files == nil {
		return rep, nil
	}
	c, err := rotateDocuments(ctx, st, ring, files, opt, spend, log)
	rep.Counts = append(rep.Counts, c)
	return rep, err
}

func rotateDocuments(ctx context.Context, st Store, ring *crypto.Ring, files storage.Storage, opt Options, spend func() bool, log *slog.Logger) (Count, error) {
	c := Count{Name: "documents (stored objects)", ByKey: map[byte]int{}}
	cur := ring.CurrentKeyID()
	var after uint64
	for {
		docs, err := st.DocumentObjects(ctx, after, opt.Batch)
		if err != nil {
			return c, fmt.Errorf("read documents: %w", err)
		}
		for _, d := range docs {
			after = d.ID
			body, _, err := files.Get(ctx, d.StorageKey)
			if err != nil {
				c.Failed++
				log.WarnContext(ctx, "document object unreadable", "document", d.ID, "err", err)
				continue
			}
			sealed, err := io.ReadAll(body)
			_ = body.Close()
			if err != nil {
				return c, fmt.Errorf("read document %d: %w", d.ID, err)
			}
			id, _ := crypto.KeyIDOf(sealed)
			c.ByKey[id]++
			if id == cur {
				continue
			}
			if _, err := ring.Decrypt(sealed); err != nil {
				c.Failed++
				log.WarnContext(ctx, "document object unreadable", "document", d.ID, "err", err)
				continue
			}
			if opt.DryRun {
				continue
			}
			if !spend() {
				c.Skipped++
				continue
			}
			next, _, err := ring.Reseal(sealed)
			if err != nil {
				return c, err
			}
			if err := files.Put(ctx, d.StorageKey, bytes.NewReader(next), int64(len(next)), "application/octet-stream"); err != nil {
				return c, fmt.Errorf("write document %d: %w", d.ID, err)
			}
			c.Changed++
		}
		if len(docs) < opt.Batch {
			return c, nil
		}
	}
}

// rotateText re-encrypts a sealed free-text column under the current key, and seals the legacy
// plaintext left from before migration 00020.
func rotateText(ctx context.Context, st Store, ring *crypto.Ring, col store.SealedColumn, opt Options, spend func() bool, log *slog.Logger) (Count, error) {
	c := Count{Name: col.String(), ByKey: map[byte]int{}}
	cur := ring.CurrentKeyID()
	var after uint64
	for {
		batch, err := st.SealedTextBatch(ctx, col, after, opt.Batch)
		if err != nil {
			return c, fmt.Errorf("read %s: %w", col, err)
		}
		for _, v := range batch {
			after = v.ID
			var plain []byte
			if ct, sealed := store.SealedTextCiphertext(v.Value); sealed {
				id, _ := crypto.KeyIDOf(ct)
				c.ByKey[id]++
				if id == cur {
					continue
				}
				if plain, err = ring.Decrypt(ct); err != nil {
					c.Failed++
					log.WarnContext(ctx, "unreadable ciphertext left as it is", "column", col.String(), "row", v.ID, "err", err)
					continue
				}
			} else {
				c.Plain++
				plain = []byte(v.Value)
			}
			if opt.DryRun {
				continue
			}
			if !spend() {
				c.Skipped++
				continue
			}
			next, err := ring.Encrypt(plain)
			if err != nil {
				return c, err
			}
			ok, err := st.ReplaceSealedText(ctx, col, v.ID, v.Value, store.SealedTextOf(next))
			if err != nil {
				return c, fmt.Errorf("write %s row %d: %w", col, v.ID, err)
			}
			if ok {
				c.Changed++
			} else {
				c.Skipped++
			}
		}
		if len(batch) < opt.Batch {
			return c, nil
		}
	}
}
