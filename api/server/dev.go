package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/model"
	"palmaid/service/app"
	"palmaid/service/econcheck"
	"palmaid/service/ratelimit"
	"palmaid/service/realname"
)

type simMessage struct {
	ToOpenID         string            `json:"toOpenId"`
	TemplateID       string            `json:"templateId"`
	Page             string            `json:"page"`
	MiniprogramState string            `json:"miniprogramState"`
	Lang             string            `json:"lang"`
	Data             map[string]string `json:"data"`
	At               time.Time         `json:"at"`
}

type simMessages struct {
	Items []simMessage `json:"items"`
}

// dataCheckAnswer fixes what the economic-status check simulator answers for one ID number.
type dataCheckAnswer struct {
	IDNumber string              `json:"idNumber"`
	Negative bool                `json:"negative"`
	Findings []econcheck.Finding `json:"findings"`
}

// realNameAnswer fixes what the real-name verification simulator answers for one ID number.
type realNameAnswer struct {
	IDNumber string `json:"idNumber"`
	Outcome  string `json:"outcome"` // verified | unchecked | mismatch | no_record
}

type clockAdvance struct {
	Days  int `json:"days"`
	Hours int `json:"hours"`
}

type clockNow struct {
	Now time.Time `json:"now"`
}

type notifyRun struct {
	Handled int `json:"handled"`
}

// registerDev mounts the embedded-mode helpers: what the WeChat simulator received, and a
// way to run the notification worker now instead of waiting for its next poll.
func registerDev(g *httpx.Router, a *app.App) {
	// Embedded mode only (the simulator on, loopback by default); generous per IP.
	dev := httpx.IPClass("dev", ratelimit.PerMinute(600))
	g.GET("/wechat/messages", dev, func(c *gin.Context) {
		out := simMessages{Items: []simMessage{}}
		for _, m := range a.Simulator.Messages() {
			out.Items = append(out.Items, simMessage{ToOpenID: m.ToOpenID, TemplateID: m.TemplateID, Page: m.Page,
				MiniprogramState: m.MiniprogramState, Lang: m.Lang, Data: m.Data, At: m.At})
		}
		httpx.OK(c, http.StatusOK, out)
	})
	g.POST("/data-check/answers", dev, func(c *gin.Context) {
		var req dataCheckAnswer
		if err := httpx.BindJSON(c, &req); err != nil {
			httpx.Fail(c, err)
			return
		}
		id := model.NormalizeIDNumber(req.IDNumber)
		if err := model.ValidateIDNumber(id, a.Now()); err != nil {
			httpx.Fail(c, err)
			return
		}
		a.EconSim.Set(id, req.Negative, req.Findings)
		c.Status(http.StatusNoContent)
	})
	g.POST("/realname/answers", dev, func(c *gin.Context) {
		var req realNameAnswer
		if err := httpx.BindJSON(c, &req); err != nil {
			httpx.Fail(c, err)
			return
		}
		id := model.NormalizeIDNumber(req.IDNumber)
		if err := model.ValidateIDNumber(id, a.Now()); err != nil {
			httpx.Fail(c, err)
			return
		}
		outcome, ok := map[string]realname.Outcome{"verified": realname.Verified, "unchecked": realname.Unchecked,
			"mismatch": realname.Mismatch, "no_record": realname.NoRecord}[req.Outcome]
		if !ok {
			httpx.Fail(c, model.Invalid("dev.invalid_outcome", "outcome 应为 verified、unchecked、mismatch 或 no_record").WithField("outcome", "verified | unchecked | mismatch | no_record"))
			return
		}
		if a.RealNameSim == nil {
			httpx.Fail(c, model.E(model.KindNotFound, "dev.no_simulator", "未使用实名核验模拟器"))
			return
		}
		a.RealNameSim.SetOutcome(id, outcome)
		c.Status(http.StatusNoContent)
	})
	g.POST("/clock/advance", dev, func(c *gin.Context) {
		var req clockAdvance
		if err := httpx.BindJSON(c, &req); err != nil {
			httpx.Fail(c, err)
			return
		}
		if a.DevClock == nil || req.Days < 0 || req.Days > 400 || req.Hours < 0 || req.Hours > 24*400 {
			httpx.Fail(c, model.Invalid("dev.invalid_clock", "只能向前拨动0至400天"))
			return
		}
		now := a.DevClock.Advance(time.Duration(req.Days)*24*time.Hour + time.Duration(req.Hours)*time.Hour)
		// The jump makes the audit rows of the last minutes look days old: seal them now, as
		// the audit-seal job would have done in the time skipped, so that verify does not
		// report honest rows as overdue for their seal.
		for {
			n, err := a.Store.SealAudit(c.Request.Context(), now.Add(-2*time.Minute), 5000)
			if err != nil {
				httpx.Fail(c, err)
				return
			}
			if n == 0 {
				break
			}
		}
		httpx.OK(c, http.StatusOK, clockNow{Now: now.In(model.China())})
	})
	g.POST("/notify/run", dev, func(c *gin.Context) {
		n, err := a.Notify.RunOnce(c.Request.Context())
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		httpx.OK(c, http.StatusOK, notifyRun{Handled: n})
	})
}
