package api

import (
	"net/http"
	"strings"

	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/cases/worklist"
	"palmaid/service/documents"
)

// Docs describes the routes Register mounts, for the OpenAPI document (docs.Build). A test
// in api/server checks that the two agree.
func Docs() []docs.Route {
	const tag = "staff"
	detailOK := docs.Response{Status: http.StatusOK, Body: caseDetail{}, Description: "办理后的申请详情（version 已加 1）"}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或不在本人辖区"}
	conflict := docs.Response{Status: http.StatusConflict, Description: "`case.version_conflict`：version 已过期，该申请已被他人更新，请刷新后重试\n" +
		"`case.illegal_transition`：申请当前状态不能进行此操作（fields.status 为当前状态，fields.allowedActions 为可进行的操作）"}
	routes := []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/auth/login", OperationID: "staffLogin", Tag: tag,
			Summary: "工作人员登录（用户名、密码）", Request: loginRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: loginResponse{}, Description: "登录成功"},
				{Status: http.StatusAccepted, Body: challengeResponse{}, Description: "密码正确，账号已启用动态验证码：用 challenge 调用 /api/v1/auth/login/second-factor"},
				{Status: http.StatusBadRequest, Description: "`auth.credentials_required`：用户名或密码为空或过长"},
				{Status: http.StatusUnauthorized, Description: "`auth.bad_credentials`：用户名或密码不正确"},
				{Status: http.StatusTooManyRequests, Description: "`auth.locked`：密码连续错误，账号锁定 15 分钟\n`request.rate_limited`：本机地址登录过于频繁（带 Retry-After）"},
				{Status: http.StatusServiceUnavailable, Description: "`service.unavailable`：会话存储暂不可用"},
			}},
		{Method: http.MethodPost, Path: "/api/v1/auth/console-login", OperationID: "staffConsoleLogin", Tag: tag,
			Summary: "工作台（/console）登录：会话令牌放在 HttpOnly、SameSite=Strict、Path=/api 的 Cookie 中（生产环境加 Secure），不返回给脚本；" +
				"返回的 csrfToken 须放在之后每个 POST/PUT/PATCH/DELETE 请求的 X-CSRF-Token 头中。带 Authorization 头的请求不看 Cookie",
			Request: loginRequest{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: consoleSession{}, Description: "登录成功；Set-Cookie 带会话"},
				{Status: http.StatusAccepted, Body: challengeResponse{}, Description: "密码正确，账号已启用动态验证码：尚无会话，用 challenge 调用 /api/v1/auth/console-login/second-factor"},
				{Status: http.StatusBadRequest, Description: "`auth.credentials_required`：用户名或密码为空或过长"},
				{Status: http.StatusUnauthorized, Description: "`auth.bad_credentials`：用户名或密码不正确"},
				{Status: http.StatusTooManyRequests, Description: "`auth.locked`：密码连续错误，账号锁定 15 分钟\n`request.rate_limited`：本机地址登录过于频繁（带 Retry-After）"},
				{Status: http.StatusServiceUnavailable, Description: "`service.unavailable`：会话存储暂不可用"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/auth/console-session", OperationID: "staffConsoleSession", Tag: tag, Auth: true,
			Summary:   "工作台会话（Cookie 或令牌）：本会话的 CSRF 令牌、闲置超时和当前工作人员（页面刷新后取回 CSRF 令牌）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: consoleSession{}, Description: "会话信息"}}},
		{Method: http.MethodPost, Path: "/api/v1/auth/console-logout", OperationID: "staffConsoleLogout", Tag: tag, Auth: true,
			Summary: "工作台退出：会话立即失效，Cookie 清除（Cookie 会话须带 X-CSRF-Token）",
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已退出"},
				{Status: http.StatusForbidden, Description: "`auth.csrf_invalid`：Cookie 会话的请求缺少或带错 X-CSRF-Token"}}},
		{Method: http.MethodPost, Path: "/api/v1/auth/console-password", OperationID: "staffConsolePassword", Tag: tag, Auth: true,
			Summary: "工作台修改本人密码（初始密码或重置后首次登录，及日常修改）：须输入原密码；本账号其他会话全部失效，本会话换为新的 Cookie 会话（返回新的 csrfToken，不返回令牌）",
			Request: passwordChange{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: consoleSession{}, Description: "新会话；Set-Cookie 带新会话，旧 Cookie 已失效"},
				{Status: http.StatusUnprocessableEntity, Description: "`auth.wrong_password`：原密码不正确\n`auth.weak_password`：密码须为10至128位，且含字母和数字\n`auth.same_password`：新旧密码相同"},
				{Status: http.StatusForbidden, Description: "`auth.csrf_invalid`：Cookie 会话的请求缺少或带错 X-CSRF-Token"}}},
		{Method: http.MethodPost, Path: "/api/v1/auth/logout", OperationID: "staffLogout", Tag: tag, Auth: true,
			Summary:   "退出登录：令牌立即失效",
			Responses: []docs.Response{{Status: http.StatusNoContent, Description: "已退出"}}},
		{Method: http.MethodGet, Path: "/api/v1/me", OperationID: "staffGetMe", Tag: tag, Auth: true,
			Summary:   "当前工作人员",
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffView{}, Description: "账号、角色和所辖区划"}}},
		{Method: http.MethodGet, Path: "/api/v1/me/sessions", OperationID: "staffMySessions", Tag: tag, Auth: true,
			Summary:   "本人当前登录的会话（登录时间、最近使用、到期时间）；闲置 30 分钟或登录满 12 小时自动失效",
			Responses: []docs.Response{{Status: http.StatusOK, Body: sessionList{}, Description: "会话列表，新的在前；current 为本次请求所用会话"}}},
		{Method: http.MethodGet, Path: "/api/v1/villages", OperationID: "staffListVillages", Tag: tag, Auth: true,
			Summary:   "本人辖区内的村（社区）及所属乡镇（街道），供按名称选择（筛选、公示名单）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: villageList{}, Description: "按代码排序"}}},
		{Method: http.MethodGet, Path: "/api/v1/case-search", OperationID: "staffSearchCases", Tag: tag, Auth: true,
			Summary: "查找本人辖区内的申请：受理编号（完整）、家庭成员身份证号（经盲索引比对，号码不落库、不入日志）、家庭成员姓名（开头部分）或村（社区）名称（部分）；新的在前，最多 50 件（每次查找留痕：方式和件数）",
			Query:   []docs.Param{{Name: "q", Description: "受理编号、身份证号、姓名或村（社区）名称，1至30个字", Required: true}},
			Responses: []docs.Response{{Status: http.StatusOK, Body: searchResult{}, Description: "找到的申请（姓名脱敏）；matchedBy 为匹配方式"},
				{Status: http.StatusBadRequest, Description: "`case.invalid_search`：查找内容为空或过长\n`identity.invalid_id_number`：身份证号码不正确"}}},
		{Method: http.MethodGet, Path: "/api/v1/cases", OperationID: "staffListCases", Tag: tag, Auth: true,
			Summary: "待办队列：本人辖区内的申请，新的在前；overdue、due_soon 两个到期清单按到期日排序，最早到期的在前（每次查询留痕）",
			Query: []docs.Param{
				{Name: "list", Description: "工作清单。各环节清单及 overdue（已超期）、due_soon（即将到期）按下一办理时限到期日升序（超期的在前；没有计时的排最前）、同日按提交先后排列；all、returned、decided、closed 新的在前", Enum: worklists()},
				{Name: "days", Type: "integer", Description: "due_soon 清单：今天起几个工作日内到期（默认 3，最多 30；已超期的不在此清单，见 overdue）"},
				{Name: "status", Description: "按办理状态筛选", Enum: statuses()},
				{Name: "village", Description: "按村（社区）代码筛选"},
				{Name: "agent", Type: "boolean", Description: "只看代办（true）或本人申请（false）"},
				{Name: "closeRelative", Type: "boolean", Description: "近亲属备案"},
				{Name: "urgent", Type: "boolean", Description: "急难型临时救助"},
				{Name: "category", Description: "按救助类别筛选（五合一的任一类别）", Enum: categories()},
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor，原样传回（不透明，不要解析或拼接）；首页不传。游标只适用于取得它的同一清单和筛选条件：到期清单的游标与其他清单的不能互换，换用时答复 400 request.invalid_page"},
				{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 100"},
			},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: queue{}, Description: "一页申请（申请人姓名脱敏），按 list 说明的顺序；nextCursor 为空表示没有更多"},
				{Status: http.StatusBadRequest, Description: "`case.invalid_filter`：未知的 list、status 或 category\n`request.invalid_page`：limit 不正确，或 cursor 不是本清单上一页的 nextCursor"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/cases/{id}", OperationID: "staffGetCase", Tag: tag, Auth: true,
			Summary: "申请详情（身份证号脱敏；每次查看留痕）",
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: caseDetail{}, Description: "申请详情，含家庭成员、办理记录、材料清单和法定时限"},
				notFound,
			}},
		{Method: http.MethodPost, Path: "/api/v1/assisted-applications", OperationID: "staffCreateAssisted", Tag: tag, Auth: true,
			Summary: "帮办代办：村（社区）协理员或乡镇（街道）经办人为不会使用小程序的群众代为提交申请（须已收取每位成年成员签字的承诺及授权书）；" +
				"被申请人以本人身份证号登录小程序后即可看到并接手",
			Request: assistedRequest{},
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: caseDetail{}, Description: "已提交，待受理；Location 为申请详情"},
				{Status: http.StatusBadRequest, Description: "`case.invalid_categories`：类别不正确\n`case.text_too_long`：文字超长\n`area.not_village`：不是村（社区）"},
				{Status: http.StatusForbidden, Description: "`case.assist_forbidden`：本角色不能代为申请"},
				{Status: http.StatusConflict, Description: "`case.already_open`：家庭成员已有一件同类别正在办理的申请（fields.openCase 为其受理编号）"},
				{Status: http.StatusUnprocessableEntity, Description: "`area.outside_jurisdiction`：该村（社区）不在本人辖区\n`area.inactive`：该村（社区）已撤销或合并\n" +
					"`case.paper_forms_required`：未确认收取签字的纸质授权书\n`case.invalid_facts`：家庭情况有误（fields 逐项指明）\n`case.incomplete`：信息不全（fields 逐项指明）"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/worklists", OperationID: "staffWorklists", Tag: tag, Auth: true,
			Summary:   "各工作清单的件数（角标）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: worklistCounts{}, Description: "每个清单一项：list、count"}}},
		{Method: http.MethodGet, Path: "/api/v1/reminders", OperationID: "staffReminders", Tag: tag, Auth: true,
			Summary: "时限提醒：本人辖区内即将到期（1个工作日内）和已超期的办理时限，新的在前（定时任务每10分钟生成）",
			Query: []docs.Param{
				{Name: "cursor", Description: "翻页游标：上一页响应的 nextCursor；首页不传"},
				{Name: "limit", Type: "integer", Description: "每页条数，默认 20，最多 100"},
			},
			Responses: []docs.Response{{Status: http.StatusOK, Body: reminderList{}, Description: "一页提醒；nextCursor 为空表示没有更多"},
				{Status: http.StatusForbidden, Description: "`case.role_forbidden`：岗位不能查看申请"}}},
		{Method: http.MethodPost, Path: "/api/v1/cases/{id}/unmask", OperationID: "staffUnmask", Tag: tag, Auth: true,
			Summary: "查看明文（申请人手机号或成员身份证号）：须写明理由，留痕", Request: unmaskRequest{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: unmaskResponse{}, Description: "明文值"},
				{Status: http.StatusBadRequest, Description: "`case.invalid_unmask`：field 不是 phone 或 idNumber，或没有这位成员"},
				{Status: http.StatusForbidden, Description: "`case.role_forbidden`：岗位无权查看明文"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.reason_required`：缺少理由\n`unmask.reason_too_short`：理由少于5个字"},
				{Status: http.StatusTooManyRequests, Description: "`unmask.budget_spent`：本人本小时查看明文的次数已达上限（PALMAID_UNMASK_PER_HOUR，带 Retry-After；记为告警）"},
				notFound}},
	}
	for _, a := range caseActions() {
		resp := []docs.Response{detailOK, notFound, conflict,
			{Status: http.StatusForbidden, Description: "`case.role_forbidden`：岗位不能进行此操作（" + a.who + "）\n`case.four_eyes`：参与入户调查者不能审核确认"},
			{Status: http.StatusBadRequest, Description: "`case.version_required`：缺少 version 或小于 1\n`case.text_too_long`：文字超长\n`request.invalid_text`：含不可见字符"}}
		resp = append(resp, a.errors...)
		routes = append(routes, docs.Route{Method: http.MethodPost, Path: "/api/v1/cases/{id}/" + openAPIPath(a.path), OperationID: a.opID, Tag: tag, Auth: true,
			Summary: a.summary + "（" + a.who + "）", Request: a.newReq(), PathParams: a.params, Responses: mergeResponses(resp)})
	}
	routes = append(routes, docs.Route{Method: http.MethodPost, Path: "/api/v1/cases/{id}/items/{itemId}/documents", OperationID: "staffUploadDocument", Tag: tag, Auth: true,
		Summary:    "工作人员扫描上传群众在窗口交来的纸质材料（帮办代办、无手机的老人）：与居民上传同样的检查（JPG、PNG 或 PDF，10MB，类型从内容识别，图片重新编码）；待受理或需补充材料时；留痕",
		PathParams: []docs.Param{{Name: "itemId", Type: "integer", Required: true, Description: "材料项编号（申请详情 checklist[].id）"}},
		Form: &docs.Form{Fields: []docs.FormField{{Name: "file", File: true, Required: true,
			ContentTypes: []string{documents.TypeJPEG, documents.TypePNG, documents.TypePDF, "application/octet-stream"}, Description: "文件（唯一的一个部分）"}}},
		Responses: []docs.Response{
			{Status: http.StatusCreated, Body: uploadedDocument{}, Description: "已保存；Location 头为下载地址"},
			{Status: http.StatusBadRequest, Description: "`document.file_required`：没有名为 file 的文件\n`document.unexpected_field`：除 file 外还有其他部分\n`document.invalid_form`：表单格式不正确"},
			{Status: http.StatusForbidden, Description: "`case.role_forbidden`：本岗位不能上传材料"},
			{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或不在本人辖区\n`document.item_not_found`：该申请没有这个材料项"},
			{Status: http.StatusConflict, Description: "`document.case_not_open`：当前办理阶段不能上传材料\n`document.item_accepted`：该项材料已审核通过\n`document.item_not_needed`：该项无需提供"},
			{Status: http.StatusRequestEntityTooLarge, Description: "`document.too_large`：文件超过 10MB"},
			{Status: http.StatusUnsupportedMediaType, Description: "`document.type_not_allowed`：不是 JPG、PNG 或 PDF\n`document.type_mismatch`：扩展名或声明的类型与内容不符"},
			{Status: http.StatusUnprocessableEntity, Description: "`document.empty`：空文件\n`document.too_many_pixels`：图片像素超过上限（默认 4096×4096）\n`document.unreadable`：文件损坏或 PDF 结构有误\n`document.polyglot`：文件同时是另一种格式\n" +
				"`document.pdf_active_content`：PDF 含脚本、附件、表单提交或非网页链接等\n`document.pdf_encrypted`：PDF 加密\n`document.pdf_too_complex`：PDF 解压后过大或过于复杂\n`document.too_many`：文件数已达上限"},
			{Status: http.StatusTooManyRequests, Description: "`document.upload_in_progress`：本账号已有文件正在上传（带 Retry-After）"},
			{Status: http.StatusServiceUnavailable, Description: "`document.busy`：正在处理的上传已满，请稍后再试（带 Retry-After）\n`document.storage_unavailable`：文件存储暂时不可用"},
		}})
	routes = append(routes, docs.Route{Method: http.MethodGet, Path: "/api/v1/cases/{id}/documents/{docId}", OperationID: "staffDownloadDocument", Tag: tag, Auth: true,
		Summary:    "下载申请人上传的材料（本人辖区内的申请；每次下载留痕）：以附件形式返回",
		PathParams: []docs.Param{{Name: "docId", Type: "integer", Required: true, Description: "文件编号（申请详情 checklist[].documents[].id）"}},
		Responses: []docs.Response{downloadOK,
			{Status: http.StatusForbidden, Description: "`case.role_forbidden`：岗位不能查看申请"},
			{Status: http.StatusNotFound, Description: "`case.not_found`：申请不存在，或不在本人辖区\n`document.not_found`：文件不存在或已删除"},
			{Status: http.StatusServiceUnavailable, Description: "`document.storage_unavailable`：文件存储暂时不可用"}}})
	routes = append(append(routes, calendarDocs()...), notifyDocs()...)
	routes = append(routes, staffAdminDocs()...)
	routes = append(routes, secondFactorDocs()...)
	routes = append(routes, complaintDocs()...)
	routes = append(routes, spotCheckDocs()...)
	routes = append(routes, checklistDocs()...)
	routes = append(routes, policyDocs()...)
	routes = append(routes, auditDocs()...)
	routes = append(routes, identityDocs()...)
	routes = append(routes, labelDocs()...)
	routes = append(routes, investigatorDocs()...)
	routes = append(routes, exportDocs()...)
	routes = append(routes, benefitDocs()...)
	routes = append(routes, reviewDocs()...)
	routes = append(routes, standardDocs()...)
	routes = append(routes, creditDocs()...)
	return append(routes, areaAdminDocs()...)
}

// openAPIPath turns Gin's :name segments into OpenAPI's {name}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// mergeResponses joins responses of the same status (one line each).
func mergeResponses(in []docs.Response) []docs.Response {
	var out []docs.Response
	at := map[int]int{}
	for _, r := range in {
		if i, ok := at[r.Status]; ok {
			out[i].Description += "\n" + r.Description
			continue
		}
		at[r.Status] = len(out)
		out = append(out, r)
	}
	return out
}

func statuses() []string {
	out := make([]string, len(model.AllStatuses))
	for i, s := range model.AllStatuses {
		out[i] = string(s)
	}
	return out
}

func worklists() []string {
	out := []string{string(worklist.WLAll)}
	for _, w := range worklist.AllWorklists {
		out = append(out, string(w))
	}
	return out
}

func categories() []string {
	out := make([]string, len(model.AllCategories))
	for i, c := range model.AllCategories {
		out[i] = string(c)
	}
	return out
}

var downloadOK = docs.Response{Status: http.StatusOK, Binary: []string{documents.TypeJPEG, documents.TypePNG, documents.TypePDF},
	Description: "文件内容（附件）。Content-Type 为从文件内容识别的类型；另有 X-Content-Type-Options: nosniff、Cache-Control: private, no-store",
	Headers: []docs.Param{
		{Name: "Content-Disposition", Description: "attachment; filename=\"<ASCII 名称>\"; filename*=UTF-8''<文件名（百分号编码）>"},
		{Name: "Content-Length", Type: "integer", Description: "字节数"},
	}}
