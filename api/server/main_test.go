package server_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/gin-gonic/gin"

	"palmaid/service/testenv"
	"palmaid/service/wechat/wxsim"
)

// sim is the one WeChat simulator of this test process: the SDK's HTTP client is
// process-wide, so it is installed once here and every test's app shares it (tests tell
// their messages apart by openid).
var sim *wxsim.Simulator

const (
	testAppID  = testenv.SimAppID
	testSecret = testenv.SimAppSecret
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	s, stop, err := testenv.StartSimulator()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start simulator:", err)
		os.Exit(1)
	}
	sim = s
	code := m.Run()
	_ = stop()
	os.Exit(code)
}
