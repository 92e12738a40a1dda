package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/documents"
)

// downloadDocument streams an upload of a case in the officer's area; every download is audited.
func (h *Handler) downloadDocument(c *gin.Context) {
	d, err := h.app.Documents.OpenForStaff(c.Request.Context(), staff(c), c.Param("id"), c.Param("docId"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	defer d.Body.Close()
	httpx.Attachment(c, d.Document.FileName, d.Document.MIME, d.Size, d.Body)
}

// UploadPath is the staff upload route under /api/v1 (multipart, one part named file).
const UploadPath = "/cases/:id/items/:itemId/documents"

// RouteLimits: the staff upload takes the same body cap and time as the resident's.
func RouteLimits(prefix string) []httpx.RouteLimit {
	return []httpx.RouteLimit{{Path: prefix + UploadPath, Max: documents.MaxBytes + 64<<10, Err: documents.ErrTooLarge, Time: 2 * time.Minute},
		feedbackFileLimit(prefix)}
}

type uploadedDocument struct {
	ID         uint64    `json:"id"`
	FileName   string    `json:"fileName"`
	Size       int64     `json:"size"`
	Type       string    `json:"type"`
	UploadedAt time.Time `json:"uploadedAt"`
	ItemID     uint64    `json:"itemId"`
	ItemStatus string    `json:"itemStatus"`
}

// uploadDocument: an officer scans a paper document handed in at the window onto an item of a
// case of their area (帮办代办; an elder without a phone).
func (h *Handler) uploadDocument(c *gin.Context) {
	res, err := h.app.Documents.UploadForStaff(c.Request.Context(), staff(c), c.Param("id"), c.Param("itemId"), documents.FromMultipart(c.Request))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/cases/"+c.Param("id")+"/documents/"+strconv.FormatUint(res.Document.ID, 10))
	httpx.OK(c, http.StatusCreated, uploadedDocument{ID: res.Document.ID, FileName: res.Document.FileName, Size: res.Document.Size,
		Type: res.Document.MIME, UploadedAt: res.Document.CreatedAt.In(model.China()), ItemID: res.Item.ID, ItemStatus: res.Item.Status})
}
