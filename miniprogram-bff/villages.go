package bff

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
)

type villageHit struct {
	Code       string `json:"code"`       // 12-digit area code: the villageCode of an application
	Name       string `json:"name"`       // 村（社区）
	TownName   string `json:"townName"`   // 乡镇（街道）
	CountyName string `json:"countyName"` // 县（市、区）
}

type villageList struct {
	Items []villageHit `json:"items"` // by code; at most limit
}

// searchVillages is the village picker of the application form (public, before login).
func (h *Handler) searchVillages(c *gin.Context) {
	limit := 20
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			httpx.Fail(c, model.ErrInvalidPage.WithField("limit", "1至50"))
			return
		}
		limit = n
	}
	hits, err := h.app.Residents.SearchVillages(c.Request.Context(), c.Query("q"), limit)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := villageList{Items: make([]villageHit, 0, len(hits))}
	for _, v := range hits {
		out.Items = append(out.Items, villageHit{Code: v.Code, Name: v.Name, TownName: v.TownName, CountyName: v.CountyName})
	}
	httpx.OK(c, http.StatusOK, out)
}
