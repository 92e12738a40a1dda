package application

import (
	"fmt"
	"palmaid/model"
	"palmaid/service/cases"
	"time"
)

// invitationNotice tells an invited person who already has an account that a family member
// asks them to confirm the pledge and the data-check authorisation. It names nobody and carries
// no personal data (the case number, when there is one, identifies the application); one key
// per invitation issued.
func invitationNotice(c *model.Case, cats []model.CaseCategory, inviteeID, consentID uint64, inviteHash string, exp, now time.Time) model.Outbox {
	cc := *c
	cc.Categories = cats
	until := exp.In(model.China()).Format("2006-01-02 15:04")
	ref := ""
	if c.CaseNo != "" {
		ref = "（" + c.CaseNo + "）"
	}
	o := cases.ProgressNotice(&cc, now, "待确认", "家人邀请您确认授权",
		"您的家人在为家庭申请社会救助"+ref+"，邀请您确认诚信承诺和家庭经济状况核对授权。请打开家人通过微信发给您的邀请（"+until+"前有效）进行确认；如未收到，可请家人重新发送。")[0]
	o.ResidentID = inviteeID
	o.IdempotencyKey = fmt.Sprintf("invite:%d:%s:r%d", consentID, inviteHash[:16], inviteeID)
	return o
}

func tellWithdrawn(f *model.CaseFile, now time.Time) {
	cases.Tell(f, now, "已撤回", "申请已按您的要求撤回",
		fmt.Sprintf("您的申请（%s）已按您的要求撤回。如仍有困难，可随时重新申请。", f.Case.CaseNo)+cases.RateInvitation)
}
