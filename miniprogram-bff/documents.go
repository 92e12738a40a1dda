package bff

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/documents"
)

// UploadPath is the upload route under /mp/v1: a multipart form with one part, `file`.
const UploadPath = "/cases/:id/items/:itemId/documents"

// uploadBodyMax is the upload route's body cap: the largest file plus the form's own bytes.
const uploadBodyMax = documents.MaxBytes + 64<<10

// uploadTime is the upload route's deadline: 10 MB over a slow mobile network (about 0.7
// Mbit/s) instead of the common request deadline and the server's read timeout.
const uploadTime = 2 * time.Minute

// RouteLimits are the routes under prefix (the /mp/v1 group) whose bodies may exceed the
// JSON cap and take longer than the common deadline, for httpx.BodyLimit and httpx.Deadline.
func RouteLimits(prefix string) []httpx.RouteLimit {
	return []httpx.RouteLimit{{Path: prefix + UploadPath, Max: uploadBodyMax, Err: documents.ErrTooLarge, Time: uploadTime}}
}

type documentView struct {
	ID         uint64    `json:"id"`
	FileName   string    `json:"fileName"`
	Size       int64     `json:"size"`
	Type       string    `json:"type"` // image/jpeg, image/png or application/pdf (sniffed)
	UploadedAt time.Time `json:"uploadedAt"`
}

func toDocumentView(d model.Document) documentView {
	return documentView{ID: d.ID, FileName: d.FileName, Size: d.Size, Type: d.MIME, UploadedAt: d.CreatedAt.In(model.China())}
}

// itemDocuments lists an item's documents for the views (never nil).
func itemDocuments(f *model.CaseFile, itemID uint64) []documentView {
	out := []documentView{}
	for _, d := range f.ItemDocuments(itemID) {
		out = append(out, toDocumentView(d))
	}
	return out
}

type uploadedItem struct {
	ID     uint64 `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type uploadResult struct {
	Document documentView `json:"document"`
	Item     uploadedItem `json:"item"`
}

// readUpload reads the form when the service asks for it (after the case and item are found).
func readUpload(c *gin.Context) func() (documents.File, error) {
	return documents.FromMultipart(c.Request)
}

func (h *Handler) uploadDocument(c *gin.Context) {
	res, err := h.app.Documents.Upload(c.Request.Context(), residentID(c), c.Param("id"), c.Param("itemId"), readUpload(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/mp/v1/cases/"+c.Param("id")+"/documents/"+strconv.FormatUint(res.Document.ID, 10))
	httpx.OK(c, http.StatusCreated, uploadResult{Document: toDocumentView(res.Document),
		Item: uploadedItem{ID: res.Item.ID, Name: res.Item.Name, Status: res.Item.Status}})
}

func (h *Handler) downloadDocument(c *gin.Context) {
	d, err := h.app.Documents.OpenMine(c.Request.Context(), residentID(c), c.Param("id"), c.Param("docId"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	defer d.Body.Close()
	httpx.Attachment(c, d.Document.FileName, d.Document.MIME, d.Size, d.Body)
}

func (h *Handler) deleteDocument(c *gin.Context) {
	if err := h.app.Documents.Delete(c.Request.Context(), residentID(c), c.Param("id"), c.Param("docId")); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
