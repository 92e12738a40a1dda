package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
)

type countView struct {
	Households int `json:"households"`
	Persons    int `json:"persons"`
}

type categoryCountView struct {
	Category      model.Category `json:"category"`
	CategoryLabel string         `json:"categoryLabel"`
	Households    int            `json:"households"`
	Persons       int            `json:"persons"`
}

type recipientStatsView struct {
	Households int                 `json:"households"`
	Persons    int                 `json:"persons"`
	ByCategory []categoryCountView `json:"byCategory"`
	Urban      countView           `json:"urban"` // villages coded as 居委会 (001–199)
	Rural      countView           `json:"rural"` // villages coded as 村委会 (200–399)
	New        int                 `json:"newThisMonth"`
	Stopped    int                 `json:"stoppedThisMonth"`
}

type moneyStatsView struct {
	PaidMonth    int64 `json:"paidThisMonthCents"`
	PaidYear     int64 `json:"paidThisYearCents"`
	PerCapita    int64 `json:"perCapitaCents"`
	FailedLines  int   `json:"failedLines"`
	FailedCents  int64 `json:"failedCents"`
	ArrearsLines int   `json:"arrearsLines"`
	ArrearsCents int64 `json:"arrearsCents"`
}

type benefitStatsView struct {
	AreaCode   string             `json:"areaCode"`
	Month      string             `json:"month"`
	Recipients recipientStatsView `json:"recipients"`
	Money      moneyStatsView     `json:"money"`
}

func (h *Handler) benefitStats(c *gin.Context) {
	st, err := h.app.Benefits.Statistics(c.Request.Context(), staff(c), c.Query("area"), c.Query("month"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := benefitStatsView{AreaCode: st.AreaCode, Month: st.Month,
		Recipients: recipientStatsView{Households: st.Households, Persons: st.Persons, ByCategory: []categoryCountView{},
			Urban: countView(st.Urban), Rural: countView(st.Rural), New: st.New, Stopped: st.Stopped},
		Money: moneyStatsView{PaidMonth: st.PaidMonth, PaidYear: st.PaidYear, PerCapita: st.PerCapita, FailedLines: st.FailedLines,
			FailedCents: st.FailedCents, ArrearsLines: st.ArrearsLines, ArrearsCents: st.ArrearsCents}}
	for _, b := range st.ByCategory {
		out.Recipients.ByCategory = append(out.Recipients.ByCategory, categoryCountView{Category: b.Category, CategoryLabel: b.Category.Label(),
			Households: b.Households, Persons: b.Persons})
	}
	httpx.OK(c, http.StatusOK, out)
}

func benefitStatsDocs() docs.Route {
	return docs.Route{Method: http.MethodGet, Path: "/api/v1/benefit-stats", OperationID: "staffBenefitStats", Tag: "staff", Auth: true,
		Summary: "保障统计（本人辖区或其下级区划，不含其他区划）：在保户数、人数、分类别、城乡（按村级区划代码：居委会/村委会）、本月新增和停发；本月和本年已发放金额、人均、发放失败、补发",
		Query: []docs.Param{{Name: "month", Description: "月份 YYYY-MM（北京时间）；不传为本月"},
			{Name: "area", Description: "本人辖区内的区划代码；不传为本人辖区"}},
		Responses: []docs.Response{{Status: http.StatusOK, Body: benefitStatsView{}, Description: "统计"},
			{Status: http.StatusBadRequest, Description: "`stats.invalid_query`：月份或区划代码格式不正确"},
			{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能查看在保对象"},
			{Status: http.StatusNotFound, Description: "`area.not_found`：区划不存在，或不在本人辖区"}}}
}
