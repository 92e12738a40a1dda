package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"

	"palmaid/model"
	"palmaid/service/documents"
	dt "palmaid/service/documents/doctest"
	"palmaid/service/seed"
	"palmaid/service/storage"
	"palmaid/service/storage/fakes3"
	"palmaid/service/testenv"
)

// Uploads: every refused file is a clear 4xx and leaves no row and no object; accepted files
// are sanitised, downloadable by the applicant and the area's staff only, deletable while the
// case is the applicant's, reviewed item by item by staff.

// multipartBody builds a form with one file part (declared may be empty: no Content-Type line).
func multipartBody(t testing.TB, field, fileName, declared string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, fileName))
	if declared != "" {
		hdr.Set("Content-Type", declared)
	}
	p, err := w.CreatePart(hdr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, w.FormDataContentType()
}

// send posts a raw body; chunked hides its length (no Content-Length header).
func (h *harness) send(method, path, token, contentType string, body io.Reader, chunked bool) resp {
	h.t.Helper()
	if chunked && body != nil {
		body = io.MultiReader(body) // not a *bytes.Buffer: net/http cannot know the length
	}
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{Status: res.StatusCode, Body: b, Header: res.Header}
}

func (h *harness) upload(tok, caseID string, itemID uint64, fileName, declared string, data []byte) resp {
	h.t.Helper()
	body, ct := multipartBody(h.t, "file", fileName, declared, data)
	return h.send("POST", fmt.Sprintf("/mp/v1/cases/%s/items/%d/documents", caseID, itemID), tok, ct, body, false)
}

// stored counts the documents rows (deleted ones too) and the objects in storage.
func stored(t *testing.T, h *harness) (rows, objects int) {
	t.Helper()
	dump, err := testenv.OpenRows(t, h.app.Config).TextDump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := h.app.Storage.(storage.Lister).Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(dump["documents"]), len(keys)
}

// returnedCase files an application and has the town return it asking for two items; it
// returns the resident's token, the case id and the two item ids.
func returnedCase(t *testing.T, h *harness, r *reviewer, who string, seq int) (tok, id string, items []uint64) {
	t.Helper()
	tok, id = r.apply(who, seed.DemoVillageE1, []string{"minimum_living"},
		map[string]string{"relation": "self", "name": "卫材", "idNumber": makeID("990101", "19700505", seq), "employment": "employed"})
	// Two items of the one-time list: the wage earner's income proof (committed at filing) and
	// the declaration (given online), asked for on paper.
	r.act("town_east", id, "return", map[string]any{"opinion": "请补充材料", "missingItems": []map[string]string{
		{"name": "家庭财产申报"}, {"name": "收入证明/无收入承诺（家庭成员1）"}}}, 200)
	for _, it := range h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["missingItems"].([]any) {
		if it.(map[string]any)["status"] == "missing" {
			items = append(items, uint64(it.(map[string]any)["id"].(float64)))
		}
	}
	if len(items) != 2 || items[0] == 0 {
		t.Fatalf("items: %v", items)
	}
	return tok, id, items
}

func TestUploadsRefusedStoreNothing(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "refused-"+be.Name, 301)
		before := r.version(id)
		big := append(dt.FixturePDF(), bytes.Repeat([]byte(" "), 12<<20)...) // 12 MB
		justOver := append(dt.FixturePDF(), bytes.Repeat([]byte(" "), documents.MaxBytes)...)
		for _, tc := range []struct {
			name, file, declared string
			data                 []byte
			status               int
			code                 string
			chunked              bool
		}{
			{"PNG renamed .pdf", "收入证明.pdf", "application/pdf", dt.FixturePNG(32, 32), 415, "document.type_mismatch", false},
			{"PNG renamed .pdf, declared octet-stream", "收入证明.pdf", "application/octet-stream", dt.FixturePNG(32, 32), 415, "document.type_mismatch", false},
			{"polyglot PDF+HTML", "a.pdf", "application/pdf", dt.FixturePolyglotPDFHTML(), 422, "document.polyglot", false},
			{"polyglot PDF+ZIP", "a.pdf", "application/pdf", dt.FixturePolyglotPDFZIP(), 422, "document.polyglot", false},
			{"polyglot JPEG+PDF", "a.jpg", "image/jpeg", dt.FixturePolyglotJPEGPDF(), 422, "document.polyglot", false},
			{"12 MB (declared length)", "big.pdf", "application/pdf", big, 413, "document.too_large", false},
			{"12 MB (chunked, no length)", "big.pdf", "application/pdf", big, 413, "document.too_large", true},
			{"one byte over 10 MB", "big.pdf", "application/pdf", justOver, 413, "document.too_large", false},
			{"decompression bomb 50000×50000", "bomb.png", "image/png", dt.FixturePNGBomb(50000, 50000), 422, "document.too_many_pixels", false},
			{"empty file", "空.jpg", "image/jpeg", nil, 422, "document.empty", false},
			{"HTML page", "a.html", "text/html", []byte("<!doctype html><script>alert(1)</script>"), 415, "document.type_not_allowed", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body, ct := multipartBody(t, "file", tc.file, tc.declared, tc.data)
				res := h.send("POST", fmt.Sprintf("/mp/v1/cases/%s/items/%d/documents", id, items[0]), tok, ct, body, tc.chunked)
				if res.Status != tc.status || res.errCode(t) != tc.code {
					t.Fatalf("%d %s, want %d %s", res.Status, res.Body, tc.status, tc.code)
				}
				if msg := res.json(t)["error"].(map[string]any)["message"].(string); msg == "" || msg == model.Internal(nil).Message {
					t.Fatalf("no message a resident understands: %s", res.Body)
				}
				if rows, objects := stored(t, h); rows != 0 || objects != 0 {
					t.Fatalf("refused upload stored %d rows, %d objects", rows, objects)
				}
			})
		}
		// Malformed forms are 400 and store nothing either.
		itemPath := fmt.Sprintf("/mp/v1/cases/%s/items/%d/documents", id, items[0])
		if res := h.do("POST", itemPath, tok, map[string]string{"file": "x"}); res.Status != 400 || res.errCode(t) != "request.content_type" {
			t.Fatalf("JSON body: %d %s", res.Status, res.Body)
		}
		body, ct := multipartBody(t, "photo", "a.png", "image/png", dt.FixturePNG(8, 8))
		if res := h.send("POST", itemPath, tok, ct, body, false); res.Status != 400 || res.errCode(t) != "document.unexpected_field" {
			t.Fatalf("wrong field: %d %s", res.Status, res.Body)
		}
		var two bytes.Buffer
		mw := multipart.NewWriter(&two)
		for range 2 {
			p, _ := mw.CreateFormFile("file", "a.png")
			_, _ = p.Write(dt.FixturePNG(8, 8))
		}
		_ = mw.Close()
		if res := h.send("POST", itemPath, tok, mw.FormDataContentType(), &two, false); res.Status != 400 || res.errCode(t) != "document.unexpected_field" {
			t.Fatalf("two files: %d %s", res.Status, res.Body)
		}
		if res := h.upload(tok, id, 999999999, "a.png", "image/png", dt.FixturePNG(8, 8)); res.Status != 404 || res.errCode(t) != "document.item_not_found" {
			t.Fatalf("unknown item: %d %s", res.Status, res.Body)
		}
		if rows, objects := stored(t, h); rows != 0 || objects != 0 {
			t.Fatalf("malformed uploads stored %d rows, %d objects", rows, objects)
		}
		if v := r.version(id); v != before {
			t.Fatalf("refused uploads changed the case: version %d → %d", before, v)
		}
		for _, it := range h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["missingItems"].([]any) {
			if m := it.(map[string]any); !slices.Contains(items, uint64(m["id"].(float64))) {
				continue // an item of the list not asked for in the return
			} else if m["status"] != "missing" || len(m["documents"].([]any)) != 0 {
				t.Fatalf("item after refused uploads: %v", m)
			}
		}
	})
}

func TestUploadDownloadReviewDelete(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "uploader-"+be.Name, 302)
		ctx := context.Background()

		// JPEG with GPS EXIF: stored without it, turned upright, still a JPEG.
		gps := dt.FixtureJPEGWithGPS(40, 30)
		up := h.expect(h.upload(tok, id, items[0], "IMG_0001.JPG", "image/jpeg", gps), 201)
		doc := up["document"].(map[string]any)
		if up["item"].(map[string]any)["status"] != "provided" || doc["type"] != "image/jpeg" || doc["fileName"] != "IMG_0001.jpg" {
			t.Fatalf("upload answer: %v", up)
		}
		f, err := h.app.Store.LoadCaseFile(ctx, storeSystem(), id)
		if err != nil || len(f.Documents) != 1 {
			t.Fatalf("case file documents: %v %v", f, err)
		}
		rc, _, err := h.app.Storage.Get(ctx, f.Documents[0].StorageKey)
		if err != nil {
			t.Fatal(err)
		}
		sealed, _ := io.ReadAll(rc)
		_ = rc.Close()
		if bytes.HasPrefix(sealed, []byte("\xff\xd8")) || bytes.Contains(sealed, []byte("JFIF")) {
			t.Fatal("the stored object is not sealed")
		}
		obj, err := h.app.Cipher.Decrypt(sealed)
		if err != nil {
			t.Fatal(err)
		}
		for _, needle := range []string{dt.GPSMarker, "Exif"} {
			if bytes.Contains(obj, []byte(needle)) {
				t.Fatalf("stored object still holds %q", needle)
			}
		}
		img, err := jpeg.Decode(bytes.NewReader(obj))
		if err != nil || img.Bounds().Dx() != 30 || img.Bounds().Dy() != 40 {
			t.Fatalf("stored image: %v %v", img, err)
		}
		if int64(len(obj)) != f.Documents[0].Size || len(f.Documents[0].SHA256) != 64 || !storage.ValidKey(f.Documents[0].StorageKey) {
			t.Fatalf("row: %+v", f.Documents[0])
		}

		// PNG and PDF on the second item.
		pngDoc := h.expect(h.upload(tok, id, items[1], "工资条.png", "image/png", dt.FixturePNG(20, 10)), 201)["document"].(map[string]any)
		pdf := dt.FixturePDF()
		pdfDoc := h.expect(h.upload(tok, id, items[1], "收入证明.pdf", "", pdf), 201)["document"].(map[string]any)

		// The applicant downloads: the stored bytes, as an attachment, the sniffed type.
		docURL := func(d map[string]any) string {
			return fmt.Sprintf("/cases/%s/documents/%d", id, int(d["id"].(float64)))
		}
		dl := h.do("GET", "/mp/v1"+docURL(pdfDoc), tok, nil)
		if dl.Status != 200 || !bytes.Equal(dl.Body, pdf) || dl.Header.Get("Content-Type") != "application/pdf" ||
			dl.Header.Get("X-Content-Type-Options") != "nosniff" || dl.Header.Get("Cache-Control") != "private, no-store" ||
			dl.Header.Get("Content-Disposition") != `attachment; filename="____.pdf"; filename*=UTF-8''%E6%94%B6%E5%85%A5%E8%AF%81%E6%98%8E.pdf` {
			t.Fatalf("download: %d %v", dl.Status, dl.Header)
		}
		if dl := h.do("GET", "/mp/v1"+docURL(doc), tok, nil); dl.Status != 200 || !bytes.Equal(dl.Body, obj) || dl.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("jpeg download: %d %v", dl.Status, dl.Header)
		}
		if dl := h.do("GET", "/mp/v1"+docURL(pngDoc), tok, nil); dl.Status != 200 {
			t.Fatalf("png download: %d", dl.Status)
		} else if _, err := png.Decode(bytes.NewReader(dl.Body)); err != nil {
			t.Fatalf("png download does not decode: %v", err)
		}
		// The resident's view lists each item's documents.
		view := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		var second map[string]any
		for _, it := range view["missingItems"].([]any) {
			if m := it.(map[string]any); uint64(m["id"].(float64)) == items[1] {
				second = m
			}
		}
		if second["status"] != "provided" || len(second["documents"].([]any)) != 2 {
			t.Fatalf("resident view: %v", second)
		}

		// Another resident and an officer of another town: 404, as for a case that does not exist.
		other := h.residentLogin("stranger-" + be.Name)
		for _, res := range []resp{h.do("GET", "/mp/v1"+docURL(pdfDoc), other, nil), h.do("DELETE", "/mp/v1"+docURL(pdfDoc), other, nil),
			h.upload(other, id, items[0], "a.pdf", "", pdf), h.do("GET", "/api/v1"+docURL(pdfDoc), r.staff("town_west"), nil)} {
			if res.Status != 404 || res.errCode(t) != "case.not_found" {
				t.Fatalf("stranger: %d %s", res.Status, res.Body)
			}
		}
		// A document id of another case through this case: not found either.
		_, otherID, otherItems := returnedCase(t, h, r, "second-"+be.Name, 303)
		otherTok := h.residentLogin("second-" + be.Name)
		foreign := h.expect(h.upload(otherTok, otherID, otherItems[0], "x.pdf", "", pdf), 201)["document"].(map[string]any)
		if res := h.do("GET", fmt.Sprintf("/mp/v1/cases/%s/documents/%d", id, int(foreign["id"].(float64))), tok, nil); res.Status != 404 || res.errCode(t) != "document.not_found" {
			t.Fatalf("another case's document through mine: %d %s", res.Status, res.Body)
		}

		// Staff of the area download (audited) and see the documents in the detail.
		sdl := h.do("GET", "/api/v1"+docURL(pdfDoc), r.staff("town_east"), nil)
		if sdl.Status != 200 || !bytes.Equal(sdl.Body, pdf) || sdl.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("staff download: %d %v", sdl.Status, sdl.Header)
		}
		audit, err := testenv.OpenRows(t, h.app.Config).AuditForCase(ctx, f.Case.ID)
		if err != nil {
			t.Fatal(err)
		}
		var downloads, uploads int
		for _, a := range audit {
			switch a.Action {
			case "case.document.download":
				downloads++
			case "case.upload_document":
				uploads++
			}
		}
		if downloads != 1 || uploads != 3 {
			t.Fatalf("audit: %d downloads, %d uploads", downloads, uploads)
		}

		// The applicant deletes the PNG: object gone, the item keeps the PDF.
		key := ""
		f, _ = h.app.Store.LoadCaseFile(ctx, storeSystem(), id)
		for _, d := range f.Documents {
			if d.ID == uint64(pngDoc["id"].(float64)) {
				key = d.StorageKey
			}
		}
		h.expect(h.do("DELETE", "/mp/v1"+docURL(pngDoc), tok, nil), 204)
		if _, err := h.app.Storage.Stat(ctx, key); err != storage.ErrNotFound {
			t.Fatalf("deleted document's object: %v", err)
		}
		if res := h.do("GET", "/mp/v1"+docURL(pngDoc), tok, nil); res.Status != 404 || res.errCode(t) != "document.not_found" {
			t.Fatalf("deleted document: %d %s", res.Status, res.Body)
		}

		// Resubmit; the town rejects the income proof with a reason the resident sees, accepts
		// the household register, and returns the rejected item.
		v := int(h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["version"].(float64))
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/resubmit", tok, map[string]any{"version": v}), 200)
		// Awaiting acceptance, the applicant may still add a file.
		h.expect(h.upload(tok, id, items[0], "补充.pdf", "", pdf), 201)
		e := r.act("town_east", id, fmt.Sprintf("items/%d/review", items[1]), map[string]any{"accepted": false}, 422)
		if e["code"] != "case.reason_required" {
			t.Fatalf("reject without reason: %v", e)
		}
		if e := r.act("town_east", id, fmt.Sprintf("items/%d/review", items[1]), map[string]any{"reason": "x"}, 400); e["code"] != "case.review_verdict_required" {
			t.Fatalf("review without verdict: %v", e)
		}
		det := r.act("town_east", id, fmt.Sprintf("items/%d/review", items[1]), map[string]any{"accepted": false, "reason": "收入证明未加盖单位公章"}, 200)
		r.act("town_east", id, fmt.Sprintf("items/%d/review", items[0]), map[string]any{"accepted": true}, 200)
		var staffItem map[string]any
		for _, it := range det["checklist"].([]any) {
			if m := it.(map[string]any); uint64(m["id"].(float64)) == items[1] {
				staffItem = m
			}
		}
		if staffItem["status"] != "rejected" || staffItem["rejectReason"] != "收入证明未加盖单位公章" || len(staffItem["documents"].([]any)) != 1 {
			t.Fatalf("staff view of the rejected item: %v", staffItem)
		}
		if e := r.act("town_west", id, fmt.Sprintf("items/%d/review", items[1]), map[string]any{"accepted": true}, 404); e["code"] != "case.not_found" {
			t.Fatalf("review by another town: %v", e)
		}
		mine := h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)
		found := false
		for _, it := range mine["application"].(map[string]any)["checklist"].([]any) {
			m := it.(map[string]any)
			if uint64(m["id"].(float64)) == items[1] {
				found = m["status"] == "rejected" && m["rejectReason"] == "收入证明未加盖单位公章"
			}
		}
		if !found {
			t.Fatalf("the resident does not see the rejection: %v", mine["application"])
		}
		// The accepted item takes no more files.
		if res := h.upload(tok, id, items[0], "b.pdf", "", pdf); res.Status != 409 || res.errCode(t) != "document.item_accepted" {
			t.Fatalf("upload to an accepted item: %d %s", res.Status, res.Body)
		}
		r.act("town_east", id, "return", map[string]any{"missingItems": []map[string]string{{"name": "收入证明/无收入承诺（家庭成员1）", "note": "须加盖公章"}}}, 200)
		// Upload to the item asked for again by the second return, then the case is accepted.
		var newItem uint64
		for _, it := range h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["missingItems"].([]any) {
			if m := it.(map[string]any); m["status"] == "missing" {
				newItem = uint64(m["id"].(float64))
			}
		}
		h.expect(h.upload(tok, id, newItem, "盖章收入证明.pdf", "application/pdf", pdf), 201)
		v = int(h.expect(h.do("GET", "/mp/v1/cases/"+id, tok, nil), 200)["version"].(float64))
		h.expect(h.do("POST", "/mp/v1/cases/"+id+"/resubmit", tok, map[string]any{"version": v}), 200)
		r.act("town_east", id, "accept", nil, 200)
		// Accepted: no more uploads or deletions.
		if res := h.upload(tok, id, newItem, "c.pdf", "", pdf); res.Status != 409 || res.errCode(t) != "document.case_not_open" {
			t.Fatalf("upload after acceptance: %d %s", res.Status, res.Body)
		}
		if res := h.do("DELETE", "/mp/v1"+docURL(pdfDoc), tok, nil); res.Status != 409 {
			t.Fatalf("delete after acceptance: %d %s", res.Status, res.Body)
		}
		r.privacyScan()
	})
}

// A write of the documents row that fails after the object was put deletes the object: here the
// case leaves the applicant's hands (withdrawn) between the checks and the write.
func TestUploadFailedWriteRemovesObject(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "racer-"+be.Name, 304)
		_ = tok
		f, err := h.app.Store.LoadCaseFile(context.Background(), storeSystem(), id)
		if err != nil {
			t.Fatal(err)
		}
		hook := &withdrawOnPut{Storage: h.app.Storage, withdraw: func(ctx context.Context) error {
			_, err := h.app.Application.Withdraw(ctx, f.Case.ApplicantResidentID, id, r.version(id), "不再申请")
			return err
		}}
		svc := documents.New(h.app.Store, hook, h.app.Cipher, h.app.Now, h.app.Log)
		_, err = svc.Upload(context.Background(), f.Case.ApplicantResidentID, id, fmt.Sprint(items[0]), func() (documents.File, error) {
			return documents.File{Name: "a.pdf", Data: dt.FixturePDF()}, nil
		})
		if model.AsError(err).Code != "document.case_not_open" || hook.puts != 1 {
			t.Fatalf("upload racing a withdrawal: %v (puts %d)", err, hook.puts)
		}
		if rows, objects := stored(t, h); rows != 0 || objects != 0 {
			t.Fatalf("failed write left %d rows, %d objects", rows, objects)
		}
	})
}

type withdrawOnPut struct {
	storage.Storage
	withdraw func(ctx context.Context) error
	puts     int
}

func (w *withdrawOnPut) Put(ctx context.Context, key string, r io.Reader, size int64, ct string) error {
	w.puts++
	if err := w.Storage.Put(ctx, key, r, size, ct); err != nil {
		return err
	}
	return w.withdraw(ctx)
}

// The whole path once with the app on the s3 driver, against gofakes3 started in the test.
func TestUploadsOnObjectStorage(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		srv := fakes3.Start(t, "palmaid-docs")
		s3 := srv.Config("palmaid-docs")
		be.Config.Storage.Driver, be.Config.Storage.Endpoint, be.Config.Storage.Region = "s3", s3.Endpoint, s3.Region
		be.Config.Storage.Bucket, be.Config.Storage.AccessKey, be.Config.Storage.SecretKey = s3.Bucket, s3.AccessKey, s3.SecretKey
		be.Config.Storage.UseTLS, be.Config.Storage.Lookup = false, s3.Lookup
		h := newHarness(t, be, monday)
		if _, ok := h.app.Storage.(*storage.S3); !ok {
			t.Fatalf("storage is %T", h.app.Storage)
		}
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "s3-"+be.Name, 305)
		if res := h.upload(tok, id, items[0], "证明.pdf", "", dt.FixturePNG(8, 8)); res.Status != 415 {
			t.Fatalf("renamed PNG: %d %s", res.Status, res.Body)
		}
		if list, err := srv.Backend.ListBucket("palmaid-docs", nil, gofakes3.ListBucketPage{}); err != nil || len(list.Contents) != 0 {
			t.Fatalf("refused upload reached the bucket: %v %v", list, err)
		}
		gps := dt.FixtureJPEGWithGPS(40, 30)
		doc := h.expect(h.upload(tok, id, items[0], "photo.jpg", "image/jpeg", gps), 201)["document"].(map[string]any)
		list, err := srv.Backend.ListBucket("palmaid-docs", nil, gofakes3.ListBucketPage{})
		if err != nil || len(list.Contents) != 1 {
			t.Fatalf("bucket after upload: %v %v", list, err)
		}
		obj, err := srv.Backend.GetObject("palmaid-docs", list.Contents[0].Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		sealed, _ := io.ReadAll(obj.Contents)
		_ = obj.Contents.Close()
		if strings.HasPrefix(string(sealed), "\xff\xd8") {
			t.Fatal("the bucket holds the photo in clear")
		}
		raw, err := h.app.Cipher.Decrypt(sealed)
		if err != nil || bytes.Contains(raw, []byte(dt.GPSMarker)) || !strings.HasPrefix(string(raw), "\xff\xd8") {
			t.Fatalf("the bucket holds something else than the sealed, sanitised photo: %v", err)
		}
		url := fmt.Sprintf("/mp/v1/cases/%s/documents/%d", id, int(doc["id"].(float64)))
		if dl := h.do("GET", url, tok, nil); dl.Status != 200 || !bytes.Equal(dl.Body, raw) {
			t.Fatalf("download from the bucket: %d", dl.Status)
		}
		h.expect(h.do("DELETE", url, tok, nil), 204)
		if list, err := srv.Backend.ListBucket("palmaid-docs", nil, gofakes3.ListBucketPage{}); err != nil || len(list.Contents) != 0 {
			t.Fatalf("bucket after delete: %v %v", list, err)
		}
	})
}

// Objects are sealed and bound to their row by the SHA-256: an object replaced in storage (by
// someone with access to the disk or the bucket, but not the key and the database) is never served.
func TestSwappedObjectNotServed(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		r := newReviewer(t, h)
		tok, id, items := returnedCase(t, h, r, "swap-"+be.Name, 306)
		a := h.expect(h.upload(tok, id, items[0], "a.pdf", "", dt.FixturePDF()), 201)["document"].(map[string]any)
		h.expect(h.upload(tok, id, items[1], "b.png", "", dt.FixturePNG(9, 9)), 201)
		ctx := context.Background()
		f, err := h.app.Store.LoadCaseFile(ctx, storeSystem(), id)
		if err != nil || len(f.Documents) != 2 {
			t.Fatalf("%v %v", f, err)
		}
		rc, _, err := h.app.Storage.Get(ctx, f.Documents[1].StorageKey)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := io.ReadAll(rc)
		_ = rc.Close()
		if err := h.app.Storage.Put(ctx, f.Documents[0].StorageKey, bytes.NewReader(other), int64(len(other)), "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
		url := fmt.Sprintf("/mp/v1/cases/%s/documents/%d", id, int(a["id"].(float64)))
		if res := h.do("GET", url, tok, nil); res.Status != 500 || bytes.Contains(res.Body, []byte("PNG")) {
			t.Fatalf("swapped object: %d %q", res.Status, res.Body)
		}
	})
}

// A draft's one-time list is answered by uploads before submission: an uploaded item is no
// longer a gap; an item data sharing covers takes no file.
func TestUploadInDraft(t *testing.T) {
	testenv.Each(t, func(t *testing.T, be *testenv.Backend) {
		h := newHarness(t, be, monday)
		motherID := makeID("990101", "19500315", 307)
		who := testenv.UniqueName("draft-up-" + be.Name)
		daughter := h.residentLogin(who)
		h.expect(h.do("PUT", "/mp/v1/me/identity", daughter, map[string]string{"name": "李小红", "idNumber": makeID("990101", "19780512", 308)}), 200)
		cs := h.expect(h.do("POST", "/mp/v1/drafts", daughter, map[string]any{"villageCode": seed.DemoVillageE1, "address": "孙庄村2组6号",
			"categories": []string{"minimum_living"}, "reason": "母亲年老残疾，收入很低", "agentRelation": "child", "facts": motherFacts(motherID)}), 201)
		id := cs["id"].(string)
		// The list as the rules give it (added here: the demo region has no rules loaded): one
		// item to provide, one that data sharing covers.
		if _, err := h.app.Store.UpdateCaseFile(context.Background(), residentScope(t, h, who), id, 0, h.clock.Now(),
			func(_ context.Context, f *model.CaseFile) error {
				f.Checklist = append(f.Checklist,
					model.ChecklistItem{Name: "残疾证", Code: "disability_certificate", Provide: model.ProvideRequired, Status: model.ItemMissing, Round: 1, CreatedAt: h.clock.Now()},
					model.ChecklistItem{Name: "户口簿", Code: "hukou", Provide: model.ProvideShared, Source: "公安户籍", Status: model.ItemShared, Round: 1, CreatedAt: h.clock.Now()})
				return nil
			}); err != nil {
			t.Fatal(err)
		}
		cs = h.expect(h.do("GET", "/mp/v1/cases/"+id, daughter, nil), 200)
		var required, shared map[string]any
		for _, it := range cs["application"].(map[string]any)["checklist"].([]any) {
			m := it.(map[string]any)
			switch {
			case m["status"] == "missing" && required == nil:
				required = m
			case m["status"] == "shared" && shared == nil:
				shared = m
			}
		}
		if required == nil || shared == nil {
			t.Fatalf("the draft's list: %v", cs["application"])
		}
		item := uint64(required["id"].(float64))
		gap := fmt.Sprintf("items[%d]", item)
		if _, open := cs["application"].(map[string]any)["gaps"].(map[string]any)[gap]; !open {
			t.Fatalf("the missing item is not a gap: %v", cs["application"])
		}
		up := h.expect(h.upload(daughter, id, item, "诊断证明.pdf", "application/pdf", dt.FixturePDF()), 201)
		if up["item"].(map[string]any)["status"] != "provided" {
			t.Fatalf("upload in a draft: %v", up)
		}
		after := h.expect(h.do("GET", "/mp/v1/cases/"+id, daughter, nil), 200)["application"].(map[string]any)
		if _, open := after["gaps"].(map[string]any)[gap]; open {
			t.Fatalf("the uploaded item is still a gap: %v", after["gaps"])
		}
		for _, it := range after["checklist"].([]any) {
			if m := it.(map[string]any); uint64(m["id"].(float64)) == item && len(m["documents"].([]any)) != 1 {
				t.Fatalf("item's documents: %v", m)
			}
		}
		if res := h.upload(daughter, id, uint64(shared["id"].(float64)), "户口簿.pdf", "", dt.FixturePDF()); res.Status != 409 || res.errCode(t) != "document.item_not_needed" {
			t.Fatalf("upload to a shared item: %d %s", res.Status, res.Body)
		}
		// Staff never see a draft, nor its documents.
		r := newReviewer(t, h)
		doc := int(up["document"].(map[string]any)["id"].(float64))
		if res := h.do("GET", fmt.Sprintf("/api/v1/cases/%s/documents/%d", id, doc), r.staff("town_east"), nil); res.Status != 404 {
			t.Fatalf("staff download from a draft: %d %s", res.Status, res.Body)
		}
	})
}
