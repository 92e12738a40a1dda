package bff

import (
	"net/http"

	"palmaid/docs"
	"palmaid/service/cases/application"
	"palmaid/service/documents"
	"palmaid/service/eligibility"
)

// Docs describes the routes Register mounts, for the OpenAPI document (docs.Build). A test
// in api/server checks that the two agree.
func Docs() []docs.Route {
	const tag = "mp"
	page := []docs.Param{
		{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
		{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 50"},
	}
	profileOK := docs.Response{Status: http.StatusOK, Body: profile{}, Description: "本人资料（身份证号、手机号只返回脱敏值）"}
	residentGone := docs.Response{Status: http.StatusNotFound, Description: "`resident.not_found`：用户不存在"}
	routes := []docs.Route{
		{Method: http.MethodPost, Path: "/mp/v1/auth/login", OperationID: "mpLogin", Tag: tag,
			Summary: "微信登录：用 wx.login 的 code 换取会话令牌", Request: loginRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: loginResponse{}, Description: "登录成功；首次登录时自动建档"},
				{Status: http.StatusBadRequest, Description: "`auth.code_required`：缺少 code"},
				{Status: http.StatusUnauthorized, Description: "`auth.code_invalid`：code 无效、过期或已使用，请重新进入小程序"},
				{Status: http.StatusForbidden, Description: "`auth.risky_user`：微信判定该账号存在风险"},
				{Status: http.StatusTooManyRequests, Description: "`auth.rate_limited`：微信判定登录过于频繁\n`request.rate_limited`：本机地址登录过于频繁（带 Retry-After）"},
				{Status: http.StatusServiceUnavailable, Description: "`wechat.unavailable`：微信服务繁忙\n`service.unavailable`：会话存储暂不可用"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/auth/logout", OperationID: "mpLogout", Tag: tag, Auth: true,
			Summary:   "退出登录：令牌立即失效",
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已退出"}}},
		{Method: http.MethodGet, Path: "/mp/v1/me", OperationID: "mpGetMe", Tag: tag, Auth: true,
			Summary:   "本人资料",
			Responses: []docs.Response{profileOK, residentGone}},
		{Method: http.MethodPut, Path: "/mp/v1/me/identity", OperationID: "mpSetIdentity", Tag: tag, Auth: true,
			Summary: "实名登记：真实姓名和身份证号（加密存储）。经微信实名核验为 verified；未配置实名核验来源（desk_only）时登记为 unverified：可为本人申请，但不能作为被申请人查看、接手、导出他人为其代办的申请，不能确认授权或提出公示异议，须到窗口核验（见 /mp/v1/me/identity/desk-code）", Request: identityRequest{},
			Responses: []docs.Response{profileOK, residentGone,
				{Status: http.StatusBadRequest, Description: "`identity.invalid_name`：姓名不符合要求（fields.name）\n`identity.invalid_id_number`：身份证号不正确（fields.idNumber 说明原因）"},
				{Status: http.StatusConflict, Description: "`identity.already_bound`：该身份证号已由本人另一个已核验（微信实名或窗口核验）的微信账号登记（仅核验通过的本人可见；未经核验的登记不占用号码，不会得到此答复）\n`identity.locked`：已提交过申请，身份信息不能在线修改"},
				{Status: http.StatusUnprocessableEntity, Description: "`identity.not_verified`：实名核验未通过（与该号码是否已被登记无关，答复相同）"},
				{Status: http.StatusServiceUnavailable, Description: "`identity.verify_unavailable`：实名核验服务暂不可用（带 Retry-After）"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：本账号登记过于频繁（每小时5次，带 Retry-After）"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/me/identity/desk-code", OperationID: "mpDeskCode", Tag: tag, Auth: true,
			Summary: "身份核验码：没有微信实名核验时，出示给乡镇（街道）或村（社区）工作人员，由其核对身份证后完成核验（30分钟内有效）",
			Responses: []docs.Response{{Status: http.StatusCreated, Body: deskCodeResponse{}, Description: "核验码（只保存其摘要，新码使旧码失效）"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：本账号获取过于频繁（每小时5次，带 Retry-After）"}}},
		{Method: http.MethodPost, Path: "/mp/v1/me/phone", OperationID: "mpBindPhone", Tag: tag, Auth: true,
			Summary: "绑定手机号：用 getPhoneNumber 的 code 换取（加密存储）", Request: phoneRequest{},
			Responses: []docs.Response{profileOK, residentGone,
				{Status: http.StatusUnprocessableEntity, Description: "`phone.code_invalid`：code 缺失、无效或已过期，请重新授权"},
				{Status: http.StatusServiceUnavailable, Description: "`wechat.unavailable`：微信服务繁忙（可稍后重试，带 Retry-After）"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：本账号绑定过于频繁（每小时5次，带 Retry-After）"},
			}},
		createCaseRoute(tag),
		{Method: http.MethodGet, Path: "/mp/v1/cases", OperationID: "mpListCases", Tag: tag, Auth: true,
			Summary: "我的申请：本人作为申请人、代办人或家庭成员的申请，新的在前", Query: page,
			Responses: []docs.Response{{Status: http.StatusOK, Body: caseList{}, Description: "一页申请；nextCursor 为空表示没有更多"}}},
		{Method: http.MethodGet, Path: "/mp/v1/cases/{id}", OperationID: "mpGetCase", Tag: tag, Auth: true,
			Summary: "申请进度：办理状态、时间线、所缺材料和下一步",
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseView{}, Description: "申请进度"},
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关"},
			}},
		caseAction("/mp/v1/cases/{id}/resubmit", "mpResubmit", "补正后重新提交：第一次告知所列材料已补齐，重新开始受理时限", resubmitRequest{},
			"`case.illegal_transition`：申请不在“需补充材料”状态"),
		caseAction("/mp/v1/cases/{id}/withdraw", "mpWithdraw", "撤回申请（审核确认前）", withdrawRequest{},
			"`case.illegal_transition`：申请已办结，不能撤回"),
		caseAction("/mp/v1/cases/{id}/data-check-objection", "mpObjectToDataCheck", "对核对结果提出异议并说明证据：重新核对", objectionToCheckRequest{},
			"`case.no_negative_check`：没有可提出异议的核对结果"),
		uploadRoute(tag),
		{Method: http.MethodGet, Path: "/mp/v1/cases/{id}/documents/{docId}", OperationID: "mpDownloadDocument", Tag: tag, Auth: true,
			Summary:    "下载本人申请中已上传的材料（申请人、代办人或受益人）：以附件形式返回，类型为上传时从内容识别的类型",
			PathParams: []docs.Param{docIDParam},
			Responses: []docs.Response{
				DownloadOK,
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关\n`document.not_found`：文件不存在或已删除"},
				{Status: http.StatusServiceUnavailable, Description: "`document.storage_unavailable`：文件存储暂时不可用"},
			}},
		{Method: http.MethodDelete, Path: "/mp/v1/cases/{id}/documents/{docId}", OperationID: "mpDeleteDocument", Tag: tag, Auth: true,
			Summary:    "删除本人上传的材料（仅在草稿、待受理或需补充材料时；该项没有其他文件时恢复为“缺少”）",
			PathParams: []docs.Param{docIDParam},
			Responses: []docs.Response{
				{Status: http.StatusNoContent, Description: "已删除（文件同时从存储中删除）"},
				{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关\n`document.not_found`：文件不存在或已删除"},
				{Status: http.StatusConflict, Description: "`document.case_not_open`：当前办理阶段不能删除材料\n`document.item_accepted`：该项材料已审核通过"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/villages", OperationID: "mpSearchVillages", Tag: tag,
			Summary: "查找村（社区）（无需登录）：按名称中的字或区划代码前几位，供申请表选择 villageCode",
			Query: []docs.Param{
				{Name: "q", Description: "名称中的字（1至20个字），或区划代码前6至12位", Required: true},
				{Name: "limit", Type: "integer", Description: "最多返回条数，默认 20，最多 50"},
			},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: villageList{}, Description: "匹配的村（社区），按代码排序，附乡镇和县名以便区分同名村"},
				{Status: http.StatusBadRequest, Description: "`village.invalid_query`：查询词为空、过长或格式不对\n`request.invalid_page`：limit 不正确"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/villages/{code}/notices", OperationID: "mpVillageNotices", Tag: tag,
			Summary: "本村（社区）正在公示的名单（无需登录）：只含脱敏姓名、家庭人口、救助类别和金额",
			Query:   page,
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: noticeBoard{}, Description: "公示名单，新的在前"},
				{Status: http.StatusBadRequest, Description: "`area.not_village`：不是村（社区）代码"},
				{Status: http.StatusUnprocessableEntity, Description: "`area.unknown`：不在本系统服务范围内"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/eligibility/check", OperationID: "mpEligibilityCheck", Tag: tag,
			Summary: "自助测算（无需登录，不保存）：按填写的家庭情况和本村（社区）所在地区现行标准，测算低保、特困（每人）、低保边缘家庭（含单人保）、因病致贫重病患者、临时救助五类结果及理由，仅供参考。" +
				"residence 为 urban 或 rural；成员 relation 同申请，birthDate 为 YYYY-MM-DD；收入 kind：wage、business、property、pension、transfer_in、other 计入收入，transfer_out 扣减，" +
				"assistance、special_care、award、basic_pension 不计入，employment_cost、social_insurance、income_tax、medical_spending、education_spending 按本地规定扣除；金额单位为分",
			Request: eligibility.CheckInput{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: selfCheckView{}, Description: "五类测算结果（referenceOnly 恒为 true），每项附理由和本地区标准"},
				{Status: http.StatusBadRequest, Description: "`area.not_village`：不是村（社区）代码\n`request.unknown_field`：含无法识别的字段"},
				{Status: http.StatusUnprocessableEntity, Description: "`eligibility.invalid_facts`：家庭情况填写有误（fields 指明哪一项，如 members[0].birthDate）\n`area.unknown`：不在本系统服务范围内"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：测算过于频繁（带 Retry-After）"},
			}},
		{Method: http.MethodPost, Path: "/mp/v1/notices/{id}/objections", OperationID: "mpObjectToNotice", Tag: tag, Auth: true,
			Summary: "对公示提出异议（实名：以本账号已核验——微信实名或窗口核验——的真实姓名登记，不能填写他人姓名；留手机号便于核实回复；同一公示每人最多2条、每人每天最多5条）", Request: noticeObjectionRequest{},
			Responses: []docs.Response{
				{Status: http.StatusNoContent, Description: "已收到，乡镇（街道）将核实处理"},
				{Status: http.StatusBadRequest, Description: "`objection.invalid_contact`：手机号不正确\n`case.text_too_long`：内容过长"},
				{Status: http.StatusForbidden, Description: "`objection.identity_required`：本账号身份未经核验（微信实名或窗口核验），不能实名提出异议"},
				{Status: http.StatusNotFound, Description: "`notice.not_found`：公示不存在或已结束"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.reason_required`：请填写异议内容\n`notice.closed`：公示期已过"},
				{Status: http.StatusTooManyRequests, Description: "`objection.limit`：对该公示或今日提出的异议已达上限\n`request.rate_limited`：提交过于频繁"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/subscriptions/templates", OperationID: "mpListTemplates", Tag: tag, Auth: true,
			Summary:   "可订阅的消息模板（供 wx.requestSubscribeMessage 使用）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: templateList{}, Description: "模板列表"}}},
		{Method: http.MethodPost, Path: "/mp/v1/subscriptions", OperationID: "mpRecordSubscriptions", Tag: tag, Auth: true,
			Summary: "上报订阅弹窗的结果（每次 1 至 3 个模板）", Request: subscriptionsRequest{},
			Responses: []docs.Response{
				{Status: http.StatusNoContent, Description: "已记录"},
				{Status: http.StatusBadRequest, Description: "`subscribe.invalid`：结果数量不是 1 至 3 项，同一模板出现两次，或 result 不是 accept、reject、ban"},
				{Status: http.StatusUnprocessableEntity, Description: "`subscribe.unknown_template`：未知的模板"},
				{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：上报过于频繁（每账号每分钟10次，带 Retry-After；每个模板最多累计10次可发送额度）"},
			}},
		{Method: http.MethodGet, Path: "/mp/v1/messages", OperationID: "mpListMessages", Tag: tag, Auth: true,
			Summary: "站内消息，新的在前；unread 为未读数，caseId 为相关申请（可打开申请进度）", Query: page,
			Responses: []docs.Response{{Status: http.StatusOK, Body: messageList{}, Description: "一页消息；nextCursor 为空表示没有更多"}}},
	}
	routes = append(routes, draftDocs()...)
	routes = append(routes, centreDocs()...)
	routes = append(routes, benefitDocs()...)
	routes = append(routes, reviewDocs()...)
	routes = append(routes, creditDocs()...)
	return append(routes, checklistDocs(tag)...)
}

func createCaseRoute(tag string) docs.Route {
	return docs.Route{Method: http.MethodPost, Path: "/mp/v1/cases", OperationID: "mpCreateCase", Tag: tag, Auth: true,
		Summary: "一次提交完整申请：与草稿（POST /mp/v1/drafts）相同的家庭情况申报，建成草稿后立即按同一套规则提交（材料清单、授权、申报齐全）。" +
			"只有本人一位成年人、清单上没有需上传的材料时可一次提交；否则返回 422 逐项说明，请改用草稿流程（邀请其他成年成员确认、上传材料）",
		Request: application.CreateInput{},
		Headers: []docs.Param{{Name: "Idempotency-Key",
			Description: "请求编号（8 至 64 位字母、数字、- 或 _）。网络重试时带上同一编号，只会创建一份申请"}},
		Responses: []docs.Response{
			{Status: http.StatusCreated, Body: caseView{}, Description: "已提交；Location 头为新申请的地址"},
			{Status: http.StatusOK, Body: caseView{}, Description: "重放：该 Idempotency-Key 已用于同样的申请，返回首次创建的申请，未新建"},
			{Status: http.StatusBadRequest, Description: "`request.invalid_idempotency_key`：Idempotency-Key 格式不正确\n" +
				"`case.invalid_categories`：未选择类别，或类别不是低保、特困、临时救助之一，或重复\n" +
				"`area.invalid_code`：villageCode 不是 12 位行政区划代码\n" +
				"`area.not_village`：所选区划不是村（社区）\n" +
				"`case.invalid_agent_relation`：代办关系不正确\n" +
				"`case.text_too_long`：文字超长\n" +
				"`case.invalid_members`：家庭成员为空，或关系、姓名、身份证号未填（fields 指明哪一位）"},
			{Status: http.StatusNotFound, Description: "`resident.not_found`：用户不存在"},
			{Status: http.StatusConflict, Description: "`request.idempotency_key_reused`：该 Idempotency-Key 已用于另一份不同的申请\n" +
				"`case.already_open`：家庭成员已有一件同类别正在办理的申请（fields.openCase 为其受理编号）"},
			{Status: http.StatusUnprocessableEntity, Description: "`identity.required`：尚未实名登记\n" +
				"`case.pledge_required`：未确认诚信承诺或核对授权\n" +
				"`area.unknown`：所选村（社区）不在服务范围内\n" +
				"`area.inactive`：该村（社区）已撤销或合并\n" +
				"`case.applicant_mismatch`：第一位成员须为申请人本人，身份证号与实名登记一致\n" +
				"`case.agent_is_beneficiary`：代办时第一位成员不能是本人\n" +
				"`case.invalid_facts`：申报内容有误（fields 逐项给出路径）\n" +
				"`case.incomplete`：信息不全（fields 逐项给出路径和提示）\n" +
				"`case.consents_missing`：还有其他成年成员（特困另含赡养人）须确认授权（fields 的 facts.members[位置]）：请用草稿流程邀请\n" +
				"`case.documents_missing`：清单上有材料须上传或承诺（fields 的 items.材料代码）：请用草稿流程上传\n" +
				"`content.risky`：申请理由未通过微信内容安全检测"},
			{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：新建申请过于频繁（每账号每小时约30份，带 Retry-After）"},
		}}
}

func caseAction(path, op, summary string, req any, errs string) docs.Route {
	return docs.Route{Method: http.MethodPost, Path: path, OperationID: op, Tag: "mp", Auth: true, Summary: summary, Request: req,
		Responses: []docs.Response{
			{Status: http.StatusOK, Body: caseView{}, Description: "办理后的申请进度（version 已加 1）"},
			{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version\n`case.text_too_long`：文字超长"},
			{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关"},
			{Status: http.StatusConflict, Description: "`case.version_conflict`：申请已更新，请刷新后重试\n" + errs},
		}}
}

var docIDParam = docs.Param{Name: "docId", Type: "integer", Description: "文件编号（申请进度 missingItems[].documents[].id）", Required: true}

// DownloadOK documents a document download (both faces).
var DownloadOK = docs.Response{Status: http.StatusOK, Binary: []string{documents.TypeJPEG, documents.TypePNG, documents.TypePDF},
	Description: "文件内容（附件）。Content-Type 为从文件内容识别的类型；另有 X-Content-Type-Options: nosniff、Cache-Control: private, no-store",
	Headers: []docs.Param{
		{Name: "Content-Disposition", Description: "attachment; filename=\"<ASCII 名称>\"; filename*=UTF-8''<文件名（百分号编码）>"},
		{Name: "Content-Length", Type: "integer", Description: "字节数"},
	}}

func uploadRoute(tag string) docs.Route {
	return docs.Route{Method: http.MethodPost, Path: "/mp/v1/cases/{id}/items/{itemId}/documents", OperationID: "mpUploadDocument", Tag: tag, Auth: true,
		Summary: "上传一项所缺材料的文件（草稿、待受理或需补充材料时）：照片（JPG、PNG）或 PDF，不超过 10MB，图片不超过 4000 万像素。" +
			"类型从文件内容识别，文件扩展名和声明的类型必须与内容一致；图片会重新编码（去除拍摄位置等 EXIF 信息）。上传后该项状态为 provided。" +
			"每项最多 10 个文件，每份申请最多 60 个；每个账号每分钟最多 30 次",
		PathParams: []docs.Param{{Name: "itemId", Type: "integer", Required: true, Description: "材料项编号（申请进度 missingItems[].id 或 application.checklist[].id）"}},
		Form: &docs.Form{Fields: []docs.FormField{{Name: "file", File: true, Required: true,
			ContentTypes: []string{documents.TypeJPEG, documents.TypePNG, documents.TypePDF, "application/octet-stream"},
			Description:  "文件（唯一的一个部分）。wx.uploadFile 的 name 填 file"}}},
		Responses: []docs.Response{
			{Status: http.StatusCreated, Body: uploadResult{}, Description: "已保存；Location 头为下载地址"},
			{Status: http.StatusBadRequest, Description: "`document.file_required`：没有名为 file 的文件\n`document.unexpected_field`：除 file 外还有其他部分，或有两个 file\n" +
				"`document.invalid_form`：表单格式不正确\n`document.read_failed`：文件没有完整上传"},
			{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或与本人无关\n`document.item_not_found`：该申请没有这个材料项"},
			{Status: http.StatusConflict, Description: "`document.case_not_open`：当前办理阶段不能上传材料（fields.status）\n`document.item_accepted`：该项材料已审核通过\n`document.item_not_needed`：该项无需提供（数据共享获取或已不再需要）"},
			{Status: http.StatusRequestEntityTooLarge, Description: "`document.too_large`：文件超过 10MB（声明的长度超过上限时不读取内容即拒绝）"},
			{Status: http.StatusUnsupportedMediaType, Description: "`document.type_not_allowed`：不是 JPG、PNG 或 PDF\n`document.type_mismatch`：扩展名或声明的类型与内容不符（如 PNG 改名为 .pdf）"},
			{Status: http.StatusUnprocessableEntity, Description: "`document.empty`：空文件\n`document.too_many_pixels`：图片像素超过上限（默认 4096×4096，只读取文件头即拒绝；fields.file 说明尺寸）\n" +
				"`document.unreadable`：文件损坏、不完整或 PDF 结构有误\n`document.polyglot`：文件同时是另一种格式（如 PDF 夹带网页或压缩包、图片夹带 PDF）\n" +
				"`document.pdf_active_content`：PDF 含脚本、自动或附加操作、附件、表单提交、XFA、富媒体，或指向网页和邮件以外的链接\n" +
				"`document.pdf_encrypted`：PDF 设有密码或加密\n`document.pdf_too_complex`：PDF 解压后过大或结构过于复杂（如压缩炸弹）\n`document.too_many`：文件数已达上限"},
			{Status: http.StatusTooManyRequests, Description: "`request.rate_limited`：上传过于频繁（带 Retry-After）\n`document.upload_in_progress`：本账号已有文件正在上传（带 Retry-After）"},
			{Status: http.StatusServiceUnavailable, Description: "`document.storage_unavailable`：文件存储暂时不可用，请稍后再试\n`document.busy`：正在处理的上传已满，请稍后再试（带 Retry-After）"},
		}}
}
