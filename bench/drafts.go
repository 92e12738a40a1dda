package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"sync/atomic"
	"time"
)

// draft is one prepared draft application, complete but not submitted: a household of four
// declared with its income items and assets, the other adult members' consents declared on
// paper, and a document uploaded for every item its one-time list requires (so the submit
// writes the case file of a real application: facts, consents, checklist, documents).
type draft struct {
	token   string
	id      string
	version int
}

// benchPDF is the smallest document the upload accepts as a PDF (type sniffed from the bytes).
const benchPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

// draftView is what the draft answers carry that the preparation needs.
type draftView struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	Application struct {
		Consents []struct {
			ID      int    `json:"id"`
			Subject string `json:"subject"`
			State   string `json:"state"`
		} `json:"consents"`
		Checklist []struct {
			ID      int    `json:"id"`
			Status  string `json:"status"`
			Provide string `json:"provide"` // required | shared | commitment_allowed
		} `json:"checklist"`
		Gaps      map[string]string `json:"gaps"`
		CanSubmit bool              `json:"canSubmit"`
	} `json:"application"`
}

// prepareDraft makes household n a complete draft (see draft).
func (s *session) prepareDraft(ctx context.Context, run string, n int) (draft, error) {
	h, adults, err := s.residentOfFour(ctx, run, n)
	if err != nil {
		return draft{}, err
	}
	members := make([]map[string]any, len(adults))
	for i, m := range adults {
		members[i] = map[string]any{"relation": m["relation"], "name": m["name"], "idNumber": m["idNumber"], "hukouType": "local",
			"health": "healthy", "workAbility": "full", "employment": "farming"}
	}
	members[0]["health"], members[0]["seriousIllness"], members[0]["workAbility"], members[0]["employment"] = "serious", "慢性肾衰竭", "none", "none"
	facts := map[string]any{"residence": "rural", "members": members,
		"income": []map[string]any{
			{"member": 1, "kind": "business", "amountCents": 960000, "period": "yearly", "source": "承包地种植"},
			{"member": 2, "kind": "wage", "amountCents": 150000, "period": "monthly", "source": "县城务工"},
			{"member": 0, "kind": "pension", "amountCents": 180000, "period": "yearly", "source": "城乡居民养老保险"},
		},
		"assets": map[string]any{"declared": true, "depositCents": 500000, "housing": 1}}
	var v draftView
	if err := s.call(ctx, "POST", "/mp/v1/drafts", h.token, map[string]any{"villageCode": demoVillage, "address": fmt.Sprintf("孙庄村委会%d组%d号", 1+n%9, 1+n%97),
		"categories": []string{"minimum_living"}, "reason": "户主患重病，家庭收入低于当地低保标准", "facts": facts}, 201, &v); err != nil {
		return draft{}, err
	}
	for _, k := range v.Application.Consents {
		if k.Subject != "member" || k.State == "confirmed" {
			continue
		}
		var next draftView
		if err := s.call(ctx, "POST", fmt.Sprintf("/mp/v1/cases/%s/consents/%d/paper", v.ID, k.ID), h.token, map[string]int{"version": v.Version}, 200, &next); err != nil {
			return draft{}, err
		}
		v.Version = next.Version
	}
	// Every item the list still misses gets its document (the signed forms of the paper consents
	// among them): what a resident photographs before submitting.
	var cur draftView
	if err := s.call(ctx, "GET", "/mp/v1/cases/"+v.ID, h.token, nil, 200, &cur); err != nil {
		return draft{}, err
	}
	for gap := range cur.Application.Gaps {
		var item int
		if _, err := fmt.Sscanf(gap, "items[%d]", &item); err != nil {
			continue
		}
		if err := s.upload(ctx, h.token, fmt.Sprintf("/mp/v1/cases/%s/items/%d/documents", v.ID, item), "证明.pdf", []byte(benchPDF)); err != nil {
			return draft{}, err
		}
	}
	if err := s.call(ctx, "GET", "/mp/v1/cases/"+v.ID, h.token, nil, 200, &cur); err != nil {
		return draft{}, err
	}
	if !cur.Application.CanSubmit {
		return draft{}, fmt.Errorf("draft %s is not ready to submit: %v", v.ID, cur.Application.Gaps)
	}
	return draft{token: h.token, id: v.ID, version: cur.Version}, nil
}

// upload posts one file as multipart/form-data field "file" and expects 201.
func (s *session) upload(ctx context.Context, token, path, name string, content []byte) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return err
	}
	if _, err := fw.Write(content); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+path, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: status %d, want 201: %.300s", path, res.StatusCode, b)
	}
	return nil
}

// prepareDrafts prepares n drafts (prepare: 8 workers), numbering residents from first.
func (s *session) prepareDrafts(ctx context.Context, run string, first, n int) ([]draft, error) {
	t := time.Now()
	out := make([]draft, n)
	if err := prepare(n, func(i int) (err error) {
		out[i], err = s.prepareDraft(ctx, run, first+i)
		return err
	}); err != nil {
		return nil, err
	}
	fmt.Printf("setup: %d complete drafts (household of 4, 3 income items, paper consents, a document per required item) in %s\n", n, time.Since(t).Round(time.Millisecond))
	return out, nil
}

// draftSubmitPhase submits the prepared drafts (each once) for at most d; every answer must be
// 200 with the case submitted.
func (s *session) draftSubmitPhase(ctx context.Context, drafts []draft, conns int, d time.Duration) result {
	next := atomic.Int64{}
	p := phase{name: "POST /mp/v1/cases/{id}/submit", conns: conns, ok: func(st int) bool { return st == 200 }}
	p.request = func(w, i int) *http.Request {
		k := int(next.Add(1)) - 1
		if k >= len(drafts) {
			return nil
		}
		dr := drafts[k]
		b, _ := json.Marshal(map[string]any{"version": dr.version, "pledgeAccepted": true, "authorizationAccepted": true})
		req, _ := http.NewRequest(http.MethodPost, s.base+"/mp/v1/cases/"+dr.id+"/submit", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+dr.token)
		return req
	}
	var bad atomic.Int64
	p.after = func(w, i, status int, body []byte) {
		if status == 200 && !bytes.Contains(body, []byte(`"status":"submitted"`)) {
			bad.Add(1)
		}
	}
	r := run(ctx, p, d)
	r.Errors += int(bad.Load())
	r.Note = fmt.Sprintf("%d drafts prepared, %d submitted (a finite phase: every request counts, warm-up included), each answered with the case submitted", len(drafts), r.Requests)
	return r
}
