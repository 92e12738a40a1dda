package api

import (
	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
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
