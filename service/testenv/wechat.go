package testenv

import (
	"net/url"

	"palmaid/service/seed"
	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

// Simulated WeChat app credentials (the embedded defaults).
const (
	SimAppID     = "wxsimulator0000001"
	SimAppSecret = "simulator-secret"
)

// StartSimulator starts a WeChat simulator on loopback and points the SDK's process-wide HTTP
// client at it. Call it once, from TestMain: every app of the test binary shares it.
func StartSimulator() (*wxsim.Simulator, func() error, error) {
	sim := wxsim.New(wxsim.Options{AppID: SimAppID, AppSecret: SimAppSecret, Templates: seed.SimulatorTemplateIDs(), TemplateKeywords: seed.SimulatorTemplateKeywords(),
		RequireSubscriptionFor: seed.SimulatorLongTermTemplateIDs(), LongTerm: seed.SimulatorLongTermTemplateIDs()})
	base, stop, err := sim.Start()
	if err != nil {
		return nil, nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		_ = stop()
		return nil, nil, err
	}
	wechat.InstallHTTPClient(wechat.NewHTTPClient(0, wechat.NewRewritingTransport(u, nil)))
	return sim, stop, nil
}
