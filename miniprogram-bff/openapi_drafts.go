package bff

import (
	"net/http"

	"palmaid/docs"
)

// draftDocs documents the application flow (drafts.go).
func draftDocs() []docs.Route {
	const tag = "mp"
	factsErr := "`case.invalid_facts`：家庭情况有误（fields 以 facts.members[0].idNumber 这样的路径逐项指明）\n" +
		"`case.invalid_members`：每位成员须填写关系、姓名和身份证号\n" +
		"`case.applicant_mismatch`：本人申请时第一位成员须为本人\n" +
		"`case.agent_is_beneficiary`：代办时第一位成员应为被申请人，不能是代办人本人"
	consentID := []docs.Param{{Name: "consentId", Type: "integer", Description: "授权记录编号（申请进度 application.consents[].id）"}}
	itemID := []docs.Param{{Name: "itemId", Type: "integer", Description: "材料项编号（application.checklist[].id）"}}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关"}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`case.not_applicant`：只有提交申请的人可以修改或提交"}
	invite := docs.Response{Status: http.StatusNotFound, Description: "`invitation.not_found`：邀请不存在、已使用、已过期，或不是发给本人的（身份证号与实名登记不一致）"}
	return []docs.Route{
		{Method: http.MethodPost, Path: "/mp/v1/drafts", OperationID: "mpCreateDraft", Tag: tag, Auth: true,
			Summary: "新建申请草稿：为本人或代家人（agentRelation）申请；申报家庭成员、收入、财产、赡养人（服务端加密保存，提交前可修改）",
			Request: draftRequest{},
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: caseView{}, Description: "草稿；application 给出材料清单（一次性告知）、需确认授权的成员和尚缺的项目（gaps）"},
				{Status: http.StatusBadRequest, Description: "`case.invalid_categories`：类别不正确\n`case.invalid_agent_relation`：代办关系不正确\n`case.text_too_long`：文字超长\n`area.not_village`：所选区划不是村（社区）"},
				{Status: http.StatusUnprocessableEntity, Description: "`identity.required`：尚未实名登记\n`area.inactive`：该村（社区）已撤销或合并\n" + factsErr},
				{Status: http.StatusConflict, Description: "`case.too_many_drafts`：未提交的草稿已达上限（PALMAID_MAX_OPEN_DRAFTS），请先提交或撤回已有的草稿"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：新建申请过于频繁（每账号每小时约30份，带 Retry-After）"},
			}},
		{Method: http.MethodPut, Path: "/mp/v1/cases/{id}/draft", OperationID: "mpSaveDraft", Tag: tag, Auth: true,
			Summary: "保存草稿：整体替换类别、理由和家庭情况（脱敏的身份证号原样发回即保持不变）；材料清单和授权随之更新，已确认的授权在家庭情况变化后需重新确认",
			Request: draftUpdateRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "保存后的草稿"},
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version\n`case.invalid_categories`：类别不正确"},
				forbidden, notFound,
				{Status: http.StatusConflict, Description: "`case.version_conflict`：草稿已更新，请刷新后重试\n`case.facts_locked`：申请已提交，家庭情况变化请到乡镇（街道）申报"},
				{Status: http.StatusUnprocessableEntity, Description: factsErr},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/submit", OperationID: "mpSubmitDraft", Tag: tag, Auth: true,
			Summary: "提交草稿：检查所申请类别需要的信息是否齐全、材料是否已上传或承诺、每位成年成员（特困另含赡养人）是否已确认授权；开始受理时限",
			Request: submitRequest{},
			Headers: []docs.Param{{Name: "Idempotency-Key",
				Description: "请求编号（8 至 64 位字母、数字、- 或 _）。网络重试时带上同一编号：申请若已由本人提交，返回 200 和申请现状，而不是 409；不带也不会重复提交（同一 version 只能提交一次）"}},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "已提交，待受理（带 Idempotency-Key 的重试：本人已提交过，返回申请现状）"},
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version\n`request.invalid_idempotency_key`：Idempotency-Key 格式不正确"},
				forbidden, notFound,
				{Status: http.StatusConflict, Description: "`case.version_conflict`：草稿已更新，请刷新后重试\n`case.illegal_transition`：申请已提交\n" +
					"`case.already_open`：家庭成员已有一件同类别正在办理的申请（fields.openCase 为其受理编号）"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.pledge_required`：本人未确认诚信承诺或核对授权\n" +
					"`content.risky`：申请理由未通过微信内容安全检测，请修改后再提交\n" +
					"`case.incomplete`：信息不全（fields 逐项给出路径和提示）\n" +
					"`case.consents_missing`：有成员未确认授权（fields 的 consents[编号]）\n" +
					"`case.documents_missing`：有材料未上传或承诺（fields 的 items[编号]）"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/consents/{consentId}/invitation", OperationID: "mpInviteConsent", Tag: tag, Auth: true,
			Summary:    "邀请家庭成员（或赡养人）用自己的微信确认：生成一次性邀请（72 小时有效，重新生成则旧邀请失效），通过小程序分享发给对方；提交后只用于申报变化后须重新确认的成员",
			PathParams: consentID,
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: invitationResponse{}, Description: "邀请：token 只出现这一次"},
				forbidden,
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关\n`consent.not_found`：授权记录不存在"},
				{Status: http.StatusConflict, Description: "`consent.already_given`：该成员已确认\n`case.facts_locked`：申请已提交，且该成员无须重新确认（或申请已办结）"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/consents/{consentId}/paper", OperationID: "mpPaperConsent", Tag: tag, Auth: true,
			Summary:    "该成员以纸质方式确认（如没有手机的老人）：材料清单增加一项签字的承诺及授权书，受理时由乡镇（街道）核验",
			PathParams: consentID, Request: versionRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "更新后的草稿"},
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version"},
				forbidden,
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关\n`consent.not_found`：授权记录不存在"},
				{Status: http.StatusConflict, Description: "`case.version_conflict`：草稿已更新\n`consent.already_given`：该成员已确认\n`case.facts_locked`：申请已提交"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/items/{itemId}/commitment", OperationID: "mpCommitItem", Tag: tag, Auth: true,
			Summary:    "告知承诺：对本地允许以承诺代替的材料，签署承诺代替提供证明",
			PathParams: itemID, Request: versionRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "更新后的申请"},
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version"},
				forbidden,
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关\n`item.not_found`：材料项不存在"},
				{Status: http.StatusConflict, Description: "`case.version_conflict`：申请已更新\n`case.facts_locked`：申请不在可修改的状态"},
				{Status: http.StatusUnprocessableEntity, Description: "`item.commitment_not_allowed`：本地不允许以承诺代替该项材料"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/take-over", OperationID: "mpTakeOver", Tag: tag, Auth: true,
			Summary: "被申请人本人接手代办的申请：此后由本人办理，代办人不再能操作",
			Request: versionRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "接手后的申请"},
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version"},
				{Status: http.StatusForbidden, Description: "`case.not_beneficiary`：只有被申请救助的本人可以接手"},
				notFound,
				{Status: http.StatusConflict, Description: "`case.version_conflict`：申请已更新\n`case.no_agent`：不是代办的申请\n`case.illegal_transition`：申请已进入审核，不能再转交"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/changes", OperationID: "mpDeclareChange", Tag: tag, Auth: true,
			Summary: "提交后申报家庭情况变化（收入、财产、健康、就业、赡养人等）：整体替换申报内容并在办理记录中说明变化，由工作人员据此核实；材料清单随之重新生成（新需要的材料、涉及变化成员或财产的材料，乡镇可在退回补正时要求）；" +
				"情况变化的成员须重新确认诚信承诺和核对授权（申报人本人可在本请求中以 pledgeAccepted、authorizationAccepted 重新确认，其他成员通过邀请），确认前不对其核对；成员增减须到乡镇（街道）办理",
			Request: changeRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "申报后的申请"},
				{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version\n`case.text_too_long`：说明超长\n`case.reason_required`：须说明变化"},
				forbidden, notFound,
				{Status: http.StatusConflict, Description: "`case.version_conflict`：申请已更新\n`case.illegal_transition`：草稿请直接修改；已办结的申请不能申报\n`case.facts_locked`：该申请没有申报信息"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.change_members`：成员或身份证号与申请时不一致\n" + factsErr + "\n`case.incomplete`：信息不全\n`content.risky`：说明未通过微信内容安全检测"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/invitations/{token}", OperationID: "mpViewInvitation", Tag: tag, Auth: true,
			Summary:    "打开邀请：以本人的姓名和身份证号（脱敏）显示要确认的诚信承诺和核对授权（须已实名登记，且与被邀请人一致）",
			PathParams: []docs.Param{{Name: "token", Description: "邀请中的一次性 token"}},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: invitationView{}, Description: "要确认的内容"},
				{Status: http.StatusUnprocessableEntity, Description: "`identity.required`：请先实名登记"},
				invite,
			}},
		{Method: http.MethodPost, Path: "/mp/v1/invitations/{token}/confirm", OperationID: "mpConfirmInvitation", Tag: tag, Auth: true,
			Summary:    "确认邀请：记录本人、方式（本人微信）、时间和承诺书版本；邀请随即失效。被申请人本人确认后即可在“我的申请”中看到该申请",
			PathParams: []docs.Param{{Name: "token", Description: "邀请中的一次性 token"}},
			Request:    confirmRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: invitationView{}, Description: "已确认"},
				{Status: http.StatusConflict, Description: "`consent.text_changed`：承诺书已更新，请重新阅读（fields.textVersion 为当前版本）"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.pledge_required`：未勾选诚信承诺或核对授权\n`identity.required`：请先实名登记"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：操作过于频繁"},
				invite,
			}},
	}
}
