package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/cases/spotcheck"
	"palmaid/service/store"
)

// registerSpotChecks mounts the county's 特困 spot-check draws (随机抽查抽签).
func (h *Handler) registerSpotChecks(g *httpx.Router) {
	g.POST("/spot-check-draws", staffWrite(), h.drawSpotChecks)
	g.GET("/spot-check-draws", staffRead(), h.spotCheckDraws)
	g.GET("/spot-check-draws/:drawId", staffRead(), h.spotCheckDraw)
}

type drawRequest struct {
	From string `json:"from" docs:"required"` // YYYY-MM-DD
	To   string `json:"to" docs:"required"`   // YYYY-MM-DD, not after today
}

// drawSummary is one draw: the period, the seed, the share and the sizes.
type drawSummary struct {
	ID             uint64    `json:"id"`
	CountyCode     string    `json:"countyCode"`
	From           string    `json:"from"`
	To             string    `json:"to"`
	Seed           string    `json:"seed"`
	Percent        int       `json:"percent"`
	PopulationSize int       `json:"populationSize"`
	SampleSize     int       `json:"sampleSize"`
	DrawnAt        time.Time `json:"drawnAt"`
}

type drawCase struct {
	CaseID    string `json:"caseId"`
	Sampled   bool   `json:"sampled"`
	Checked   bool   `json:"checked"`
	CheckedOn string `json:"checkedOn,omitempty"`
	Confirmed bool   `json:"confirmed"`
}

// drawDetail is a draw with its population, its sample and the sample re-drawn now from the
// recorded seed (reproducible: the two agree).
type drawDetail struct {
	drawSummary
	Cases        []drawCase `json:"cases"`
	Sample       []string   `json:"sample"`
	Redrawn      []string   `json:"redrawn"`
	Reproducible bool       `json:"reproducible"`
}

type drawList struct {
	Items []drawSummary `json:"items"`
}

func toDrawSummary(d *model.SpotCheckDraw) drawSummary {
	return drawSummary{ID: d.ID, CountyCode: d.CountyCode, From: d.PeriodFrom, To: d.PeriodTo, Seed: d.Seed, Percent: d.Percent,
		PopulationSize: d.PopulationSize, SampleSize: d.SampleSize, DrawnAt: d.DrawnAt.In(model.China())}
}

func toDrawDetail(r *spotcheck.DrawRecord) drawDetail {
	out := drawDetail{drawSummary: toDrawSummary(&r.Draw), Cases: []drawCase{}, Sample: []string{}, Redrawn: r.Redrawn, Reproducible: r.Reproducible}
	for _, c := range r.Cases {
		out.Cases = append(out.Cases, drawCase{CaseID: c.PublicID, Sampled: c.Sampled, Checked: c.RecordedAt != nil, CheckedOn: c.CheckedOn, Confirmed: c.Confirmed})
		if c.Sampled {
			out.Sample = append(out.Sample, c.PublicID)
		}
	}
	if out.Redrawn == nil {
		out.Redrawn = []string{}
	}
	return out
}

func (h *Handler) drawSpotChecks(c *gin.Context) {
	var req drawRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	r, err := h.app.SpotChecks.DrawSpotChecks(c.Request.Context(), staff(c), req.From, req.To)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toDrawDetail(r))
}

func (h *Handler) spotCheckDraws(c *gin.Context) {
	rows, err := h.app.SpotChecks.SpotCheckDraws(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := drawList{Items: []drawSummary{}}
	for i := range rows {
		out.Items = append(out.Items, toDrawSummary(&rows[i]))
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) spotCheckDraw(c *gin.Context) {
	id, err := strconv.ParseUint(c.Param("drawId"), 10, 64)
	if err != nil || id == 0 {
		httpx.Fail(c, store.ErrSpotDrawNotFound)
		return
	}
	r, err := h.app.SpotChecks.SpotCheckDraw(c.Request.Context(), staff(c), id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toDrawDetail(r))
}

func spotCheckDocs() []docs.Route {
	const tag = "staff"
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：特困抽查抽签由县级民政部门（审核确认岗位）进行"}
	return []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/spot-check-draws", OperationID: "staffDrawSpotChecks", Tag: tag, Auth: true,
			Summary: "特困认定随机抽查抽签（县级，留痕）：总体为本县在该期间进入审核确认、尚未抽签的特困案件——申请特困的，或乡镇初审提出特困的；" +
				"按本地区比例（默认30%，向上取整）由系统以新生成并记录的随机种子抽取：样本为 SHA-256(种子:案件编号) 最小的若干件，可据记录复核",
			Request: drawRequest{},
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: drawDetail{}, Description: "抽签结果：种子、总体数量、样本；被抽中的案件须先入户抽查核实才能批准特困，未抽中的可直接审核确认"},
				forbidden,
				{Status: http.StatusConflict, Description: "`spot_check.draw_conflict`：另一次抽签同时进行"},
				{Status: http.StatusUnprocessableEntity, Description: "`spot_check.invalid_period`：期间不正确（结束日不晚于今天，不超过一年）\n`spot_check.empty_population`：该期间没有待抽签的特困案件"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/spot-check-draws", OperationID: "staffListSpotCheckDraws", Tag: tag, Auth: true,
			Summary:   "本县的特困抽查抽签记录（最近100次，新的在前）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: drawList{}, Description: "抽签记录"}, forbidden}},
		{Method: http.MethodGet, Path: "/api/v1/spot-check-draws/{drawId}", OperationID: "staffGetSpotCheckDraw", Tag: tag, Auth: true,
			Summary:    "一次抽签的总体、样本和核实情况，以及用记录的种子对记录的总体重新抽取的样本（reproducible：与记录一致）",
			PathParams: []docs.Param{{Name: "drawId", Type: "integer", Required: true, Description: "抽签编号"}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: drawDetail{}, Description: "抽签记录"}, forbidden,
				{Status: http.StatusNotFound, Description: "`spot_check.draw_not_found`：抽签记录不存在，或不属于本县"}}},
	}
}
