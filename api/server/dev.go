package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/service/app"
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

type notifyRun struct {
	Handled int `json:"handled"`
}

// registerDev mounts the embedded-mode helpers: what the WeChat simulator received, and a
// way to run the notification worker now instead of waiting for its next poll.
func registerDev(g *gin.RouterGroup, a *app.App) {
	g.GET("/wechat/messages", func(c *gin.Context) {
		out := simMessages{Items: []simMessage{}}
		for _, m := range a.Simulator.Messages() {
			out.Items = append(out.Items, simMessage{ToOpenID: m.ToOpenID, TemplateID: m.TemplateID, Page: m.Page,
				MiniprogramState: m.MiniprogramState, Lang: m.Lang, Data: m.Data, At: m.At})
		}
		httpx.OK(c, http.StatusOK, out)
	})
	g.POST("/notify/run", func(c *gin.Context) {
		n, err := a.Notify.RunOnce(c.Request.Context())
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		httpx.OK(c, http.StatusOK, notifyRun{Handled: n})
	})
}
