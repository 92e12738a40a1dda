package server_test

import (
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/gin-gonic/gin"

	"palmaid/service/seed"
	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

// sim is the one WeChat simulator of this test process: the SDK's HTTP client is
// process-wide, so it is installed once here and every test's app shares it (tests tell
// their messages apart by openid).
var sim *wxsim.Simulator

const (
	testAppID  = "wxsimulator0000001"
	testSecret = "simulator-secret"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	sim = wxsim.New(wxsim.Options{AppID: testAppID, AppSecret: testSecret, Templates: []string{seed.SimulatorTemplateID}})
	base, stop, err := sim.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start simulator:", err)
		os.Exit(1)
	}
	u, _ := url.Parse(base)
	wechat.InstallHTTPClient(wechat.NewHTTPClient(0, wechat.NewRewritingTransport(u, nil)))
	code := m.Run()
	_ = stop()
	os.Exit(code)
}
