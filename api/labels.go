package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/cases/worklist"
)

// The one catalogue of the Chinese labels of the API's codes (issue 22: labels lived in four
// layers, one category had two names on one page). The console loads it after login and keeps
// no label table of its own; the codes with a label in model (statuses, categories, roles,
// relations, settings) or in a service (emergency kinds) are read from there, the staff-facing
// ones that exist nowhere else (worklists, steps, actions, audit actions) are defined here, and
// TestLabelCatalogueCoversEveryCode fails when a code appears without a label.

type codeLabel struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type settingLabel struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit,omitempty"`
	Group string `json:"group"`
}

type labelCatalogue struct {
	Statuses         []codeLabel    `json:"statuses"`
	Categories       []codeLabel    `json:"categories"` // in review order
	Worklists        []codeLabel    `json:"worklists"`
	Steps            []codeLabel    `json:"steps"` // clocks and history steps
	Actions          []codeLabel    `json:"actions"`
	AuditActions     []codeLabel    `json:"auditActions"` // case.<action> are named by actions
	EmergencyKinds   []codeLabel    `json:"emergencyKinds"`
	CheckOutcomes    []codeLabel    `json:"checkOutcomes"`
	DecisionOutcomes []codeLabel    `json:"decisionOutcomes"`
	DeadlineStates   []codeLabel    `json:"deadlineStates"`
	NoticeStates     []codeLabel    `json:"noticeStates"`
	Roles            []codeLabel    `json:"roles"`
	Relations        []codeLabel    `json:"relations"`
	Settings         []settingLabel `json:"settings"`
}

var worklistNames = map[worklist.Worklist]string{
	worklist.WLAll: "全部", worklist.WLToAccept: "待受理", worklist.WLReturned: "需补充材料", worklist.WLToInvestigate: "待启动调查",
	worklist.WLToCheck: "待核对", worklist.WLToVisit: "待入户", worklist.WLToOpinion: "待初审", worklist.WLToNotice: "待公示",
	worklist.WLInNotice: "公示中", worklist.WLToDecide: "待审核确认", worklist.WLToBackfill: "待补办手续",
	worklist.WLRefusalNotice: "待送达不予批准告知", worklist.WLDecided: "已决定", worklist.WLClosed: "已办结",
	worklist.WLOverdue: "已超期", worklist.WLDueSoon: "即将到期",
}

var stepNames = []codeLabel{
	{model.StepApplication, "申请"}, {model.StepAcceptance, "受理"}, {model.StepInvestigation, "启动调查"},
	{model.StepDataCheck, "核对"}, {model.StepVisit, "入户调查"}, {model.StepPreliminary, "初审"},
	{model.StepNotice, "公示"}, {model.StepDecision, "审核确认"}, {model.StepRefusalNotice, "不予批准书面告知"},
	{model.StepBackfill, "补办手续"}, {model.StepOverall, "低保全程时限"}, {model.StepClosing, "撤回、终止"},
}

var actionNames = map[model.Action]string{
	model.ActDraft: "保存草稿", model.ActSubmit: "提交申请", model.ActTakeOver: "接手申请", model.ActDeclareChange: "申报变化",
	model.ActAccept: "受理", model.ActReturn: "退回补正", model.ActResubmit: "补正后重新提交", model.ActRefuseAcceptance: "不予受理",
	model.ActWithdraw: "撤回申请", model.ActStartInvestigation: "启动调查", model.ActDataCheckResult: "记录核对结果",
	model.ActDataCheckObjection: "对核对结果提出异议", model.ActRecordVisit: "记录入户调查", model.ActScheduleVisit: "预约入户调查",
	model.ActOpinion: "初审意见", model.ActStartNotice: "开始公示", model.ActObject: "登记异议", model.ActResolveObjection: "处理异议",
	model.ActCloseNotice: "结束公示", model.ActSpotCheck: "特困抽查", model.ActDecide: "审核确认",
	model.ActRefusalDelivered: "不予批准告知已送达", model.ActUrgentGrant: "先行救助", model.ActBackfill: "补办手续完成",
	model.ActTerminate: "终止办理", model.ActFlagCloseRelative: "近亲属备案", model.ActExtend: "延长办理时限",
	model.ActReviewItem: "审核材料", model.ActUploadDocument: "上传材料", model.ActDeleteDocument: "删除材料",
}

// actionOrder: the workflow's actions in the order of the procedure.
var actionOrder = []model.Action{
	model.ActDraft, model.ActSubmit, model.ActTakeOver, model.ActDeclareChange, model.ActAccept, model.ActReturn, model.ActResubmit,
	model.ActRefuseAcceptance, model.ActWithdraw, model.ActStartInvestigation, model.ActDataCheckResult, model.ActDataCheckObjection,
	model.ActScheduleVisit, model.ActRecordVisit, model.ActOpinion, model.ActStartNotice, model.ActObject, model.ActResolveObjection,
	model.ActCloseNotice, model.ActSpotCheck, model.ActDecide, model.ActRefusalDelivered, model.ActUrgentGrant, model.ActBackfill,
	model.ActTerminate, model.ActFlagCloseRelative, model.ActExtend, model.ActReviewItem, model.ActUploadDocument, model.ActDeleteDocument,
}

var auditActionNames = []codeLabel{
	{"case.view", "查看申请"}, {"case.list", "查看工作清单"}, {"case.search", "查找申请"}, {"case.unmask", "查看完整号码"},
	{"case.assisted_create", "帮办代办申请"}, {"case.clocks_recomputed", "重算办理时限"}, {"case.draft_saved", "保存草稿"},
	{"case.document.download", "查看材料文件"}, {"case.rating", "评价办理"}, {"case.export", "导出台账"},
	{"area.import", "导入行政区划"}, {"audit.gap_accepted", "确认审计记录缺口"}, {"audit.read", "查询审计日志"}, {"audit.verify", "校验哈希链"},
	{"auth.recovery_code_used", "使用恢复码登录"}, {"auth.second_factor_enabled", "启用动态验证码"},
	{"calendar.confirm_year", "确认节假日安排"}, {"calendar.load_year", "导入节假日安排"}, {"calendar.propose_year", "提交节假日安排修改"},
	{"checklist.rules.set", "修改材料清单规则"}, {"complaint.answer", "答复投诉"}, {"complaint.file", "提交投诉"}, {"complaint.list", "查看投诉清单"},
	{"consent.confirm", "确认授权承诺"}, {"consent.invite", "邀请家庭成员确认"}, {"consent.paper", "登记纸质授权书"},
	{"identity.beneficiary_linked", "关联受益人"}, {"identity.conflict", "身份冲突"}, {"identity.desk_verified", "窗口核验身份"},
	{"identity.not_verified", "身份未核验"}, {"identity.taken_over", "身份被接管"},
	{"item.commit", "告知承诺代替材料"}, {"notice.objection", "公示异议"}, {"notify.requeue", "重新发送通知"}, {"payee.record", "登记收款账户"},
	{"policy.set", "修改地区政策"}, {"resident.login", "居民登录"}, {"roster.export", "导出发放名册"}, {"roster.prepare", "生成发放名册"},
	{"spot_check.draw", "特困抽查抽取"}, {"stats.export", "导出统计"},
	{"staff.create", "新建账号"}, {"staff.disable", "停用账号"}, {"staff.login", "工作人员登录"}, {"staff.office_phone", "设置办公电话"},
	{"staff.reset_password", "重置密码"}, {"staff.reset_second_factor", "重置动态验证码"}, {"staff.role", "变更岗位"},
	{"payee.change_request", "申请变更收款账户"}, {"payee.change_verify", "核实收款账户变更"}, {"payee.change_reject", "退回收款账户变更"},
	{"roster.confirm_lapsed", "发放名册逾期未确认"}, {"roster.feedback_file", "导入银行回盘文件"},
	{"credit.draft", "登记失信记录"}, {"credit.statement", "提交陈述申辩"},
	{"review.open", "发起动态核查"}, {"review.change_reported", "报告家庭变化"},
	{"standard.prepare", "准备调标批次"}, {"standard.approve", "批准调标批次"},
}

// labelCatalogueOf builds the catalogue (the same for every officer: codes and words only).
func labelCatalogueOf() labelCatalogue {
	var out labelCatalogue
	for _, s := range model.AllStatuses {
		out.Statuses = append(out.Statuses, codeLabel{string(s), s.Label()})
	}
	for _, c := range model.AllCategories {
		out.Categories = append(out.Categories, codeLabel{string(c), c.Label()})
	}
	out.Worklists = append(out.Worklists, codeLabel{string(worklist.WLAll), worklistNames[worklist.WLAll]})
	for _, w := range worklist.AllWorklists {
		out.Worklists = append(out.Worklists, codeLabel{string(w), worklistNames[w]})
	}
	out.Steps = stepNames
	for _, a := range actionOrder {
		out.Actions = append(out.Actions, codeLabel{string(a), actionNames[a]})
	}
	out.AuditActions = auditActionNames
	for _, k := range model.EmergencyKinds {
		out.EmergencyKinds = append(out.EmergencyKinds, codeLabel{string(k), k.Cause()})
	}
	out.CheckOutcomes = []codeLabel{{model.CheckPass, "未见异常"}, {model.CheckNegative, "结果异常"}}
	out.DecisionOutcomes = []codeLabel{{model.OutcomeApproved, "批准"}, {model.OutcomeRefused, "不予批准"}, {model.OutcomeNotApplicable, "不适用"}}
	out.DeadlineStates = []codeLabel{{model.ClockOpen, "进行中"}, {model.ClockMet, "按时完成"}, {model.ClockMissed, "已超期"}, {model.ClockCancelled, "已取消"}}
	out.NoticeStates = []codeLabel{{model.NoticeOpen, "公示中"}, {model.NoticeClosed, "期满结束"}, {model.NoticeVoided, "因异议成立作废"}}
	for _, r := range model.AllRoles {
		out.Roles = append(out.Roles, codeLabel{string(r), r.Label()})
	}
	for _, r := range []model.Relation{model.RelSelf, model.RelSpouse, model.RelChild, model.RelParent, model.RelGrandchild,
		model.RelGrandparent, model.RelSibling, model.RelOther} {
		out.Relations = append(out.Relations, codeLabel{string(r), r.Label()})
	}
	for _, s := range model.Settings() {
		out.Settings = append(out.Settings, settingLabel{Key: string(s.Key), Label: s.Label, Unit: s.Unit, Group: s.Group})
	}
	return out
}

func (h *Handler) registerLabels(g *httpx.Router) {
	cat := labelCatalogueOf()
	g.GET("/labels", staffRead(), func(c *gin.Context) {
		c.Header("Cache-Control", "private, max-age=300")
		httpx.OK(c, http.StatusOK, cat)
	})
}

func labelDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/labels", OperationID: "staffLabels", Tag: "staff", Auth: true,
			Summary:   "代码的中文名称（一处定义）：办理状态、救助类别、工作清单、环节、办理操作、审计操作、急难情形、核对结果、审核结论、时限和公示状态、岗位、家庭关系、地区政策设置项的名称和单位。工作台登录后加载，不另存标签表",
			Responses: []docs.Response{{Status: http.StatusOK, Body: labelCatalogue{}, Description: "各类代码，每项 code、label（设置项为 key、label、unit、group），按办理顺序"}}},
	}
}
