package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/cases"
	"palmaid/service/cases/application"
	"palmaid/service/cases/review"
	"palmaid/service/cases/spotcheck"
)

// Every case action is a POST /api/v1/cases/{id}/<path> whose body carries the version the
// officer saw. The table below is the one list: Register mounts it, Docs documents it.

type versioned struct {
	Version *int `json:"version" docs:"required"`
}

func (v *versioned) action() *versioned { return v }

type opinionOnly struct {
	versioned
	Opinion string `json:"opinion"`
}

type returnRequest struct {
	versioned
	Opinion      string                    `json:"opinion"`
	MissingItems []review.MissingItemInput `json:"missingItems"`
}

type reasonRequest struct {
	versioned
	Reason string `json:"reason"`
}

type noteRequest struct {
	versioned
	Note string `json:"note"`
}

type dataCheckRequest struct {
	versioned
	Outcome string `json:"outcome"` // pass | negative; empty: from the data sources' answers
	Summary string `json:"summary"`
}

// householdChangeRequest is a member joining (join: as a member is declared) or leaving (leave:
// the member's place from 0; not 0), recorded at the town's counter, with the reason.
type householdChangeRequest struct {
	versioned
	Join   *model.MemberFacts `json:"join,omitempty"`
	Leave  *int               `json:"leave,omitempty"`
	Reason string             `json:"reason" docs:"required"` // 出生、婚入、死亡、迁出 …
}

// spotCheckRequest is the in-person check (抽查核实) of a case the county's draw sampled.
type spotCheckRequest struct {
	versioned
	CheckedOn string   `json:"checkedOn" docs:"required"` // YYYY-MM-DD, not after today
	Place     string   `json:"place" docs:"required"`     // where the officers checked
	Officers  []string `json:"officers" docs:"required"`  // staff usernames: at least two, who did not investigate the case
	Findings  string   `json:"findings" docs:"required"`
	Confirmed bool     `json:"confirmed"` // the facts are as the town reported them
}

type visitRequest struct {
	versioned
	VisitedOn       string   `json:"visitedOn"`
	Investigators   []string `json:"investigators"` // staff usernames, at least two
	Findings        string   `json:"findings"`
	FamilyConfirmed bool     `json:"familyConfirmed"`
}

type appointmentRequest struct {
	versioned
	On            string   `json:"on"`            // YYYY-MM-DD
	From          string   `json:"from"`          // HH:MM
	To            string   `json:"to"`            // HH:MM
	Investigators []string `json:"investigators"` // staff usernames, none (not yet known) or at least two
}

type entry struct {
	Category       model.Category `json:"category"`
	MemberPosition *int           `json:"memberPosition"` // omitted: the household; 特困 and 单人保 per person
	Outcome        string         `json:"outcome"`        // approved | refused | not_applicable
	MonthlyCents   int64          `json:"monthlyCents"`
	OneOffCents    int64          `json:"oneOffCents"`
	Reason         string         `json:"reason"`
	EffectiveMonth string         `json:"effectiveMonth"` // YYYY-MM; default: the month after the decision
	MeetingRef     string         `json:"meetingRef"`     // 一事一议 minutes (county leader)
	// MeetingOn and MeetingParticipants complete the 一事一议 record a 临时救助 above the overall
	// cap needs: the meeting's date (YYYY-MM-DD) and who took part.
	MeetingOn           string `json:"meetingOn"`
	MeetingParticipants string `json:"meetingParticipants"`
	// DeviationReason: why a preliminary opinion departs from the engine's suggestion
	// (suggestedOpinion in the case detail); required then, ignored otherwise.
	DeviationReason string `json:"deviationReason"`
}

func toEntries(in []entry) []review.EntryInput {
	out := make([]review.EntryInput, len(in))
	for i, e := range in {
		out[i] = review.EntryInput{Category: e.Category, MemberPosition: e.MemberPosition, Outcome: e.Outcome, MonthlyCents: e.MonthlyCents,
			OneOffCents: e.OneOffCents, Reason: e.Reason, EffectiveMonth: e.EffectiveMonth, MeetingRef: e.MeetingRef,
			MeetingOn: e.MeetingOn, MeetingParticipants: e.MeetingParticipants, DeviationReason: e.DeviationReason}
	}
	return out
}

type opinionRequest struct {
	versioned
	Summary string  `json:"summary"`
	Entries []entry `json:"entries"`
}

type decideRequest struct {
	versioned
	Note    string  `json:"note"`
	Entries []entry `json:"entries"`
}

type objectionRequest struct {
	versioned
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Content string `json:"content"`
}

type resolveRequest struct {
	versioned
	ObjectionID uint64 `json:"objectionId"`
	Upheld      bool   `json:"upheld"`
	Resolution  string `json:"resolution"`
	Followup    string `json:"followup"` // reinvestigation | democratic_evaluation (when upheld)
}

type mergeObjectionRequest struct {
	versioned
	ObjectionID uint64 `json:"objectionId"` // the duplicate (pending)
	IntoID      uint64 `json:"intoId"`      // the objection it duplicates (same notice)
}

type urgentRequest struct {
	versioned
	AmountCents int64  `json:"amountCents"`
	Reason      string `json:"reason"`
}

type reviewItemRequest struct {
	versioned
	Accepted *bool  `json:"accepted"`
	Reason   string `json:"reason"` // required when not accepted; the applicant sees it
}

type refusalRequest struct {
	versioned
	How string `json:"how"`
}

// caseAction is one row of the table.
type caseAction struct {
	path, opID, summary string
	who                 string       // who may do it, for the document
	params              []docs.Param // path parameters besides the case id
	newReq              func() interface{ action() *versioned }
	run                 func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error)
	errors              []docs.Response
}

var (
	e422Reason = docs.Response{Status: http.StatusUnprocessableEntity, Description: "`case.reason_required`：缺少理由"}
)

func caseActions() []caseAction {
	return []caseAction{
		{path: "accept", opID: "staffAcceptCase", summary: "受理：开始计算启动调查（3个工作日）、特困初审（15个工作日）和低保全程时限", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &opinionOnly{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.Accept(c.Request.Context(), st, id, v, req.(*opinionOnly).Opinion)
			}},
		{path: "return", opID: "staffReturnCase", summary: "退回补正：一次性列明全部所缺材料；再次退回只能要求第一次告知中的材料", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &returnRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*returnRequest)
				return h.app.Review.Return(c.Request.Context(), st, id, v, r.Opinion, r.MissingItems)
			},
			errors: []docs.Response{{Status: http.StatusBadRequest, Description: "`case.invalid_missing_items`：超过 30 项，或某项名称为空、过长、重复"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.missing_items_required`：未列出所缺材料\n`case.item_not_in_first_notice`：再次退回时要求了第一次告知以外的材料\n" +
					"`case.item_shared`：所列材料本地区已通过政务数据共享获取（如户口簿、残疾证），不得要求群众提供（fields 指明哪一项，如 missingItems[0].name）"}}},
		{path: "items/:itemId/review", opID: "staffReviewItem", summary: "逐项审核申请人提供的材料：通过，或不通过并写明原因（申请人可见）；不通过的材料可在退回补正时再次要求", who: "乡镇经办人",
			params: []docs.Param{{Name: "itemId", Type: "integer", Required: true, Description: "材料项编号（申请详情 checklist[].id）"}},
			newReq: func() interface{ action() *versioned } { return &reviewItemRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*reviewItemRequest)
				if r.Accepted == nil {
					return nil, errAcceptedRequired
				}
				return h.app.Review.ReviewItem(c.Request.Context(), st, id, v, c.Param("itemId"), *r.Accepted, r.Reason)
			},
			errors: []docs.Response{{Status: http.StatusBadRequest, Description: "`case.review_verdict_required`：缺少 accepted（true 或 false）"},
				{Status: http.StatusNotFound, Description: "`document.item_not_found`：该申请没有这个材料项"},
				{Status: http.StatusConflict, Description: "`document.review_not_open`：当前办理阶段不能审核材料（待受理、已受理、调查核对中可以）"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.reason_required`：不通过时须写明原因\n`document.item_not_provided`：申请人尚未提供该项材料"}}},
		{path: "refuse-acceptance", opID: "staffRefuseAcceptance", summary: "不予受理（写明理由）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &reasonRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.RefuseAcceptance(c.Request.Context(), st, id, v, req.(*reasonRequest).Reason)
			}, errors: []docs.Response{e422Reason}},
		{path: "urgent-grant", opID: "staffUrgentGrant", summary: "急难型临时救助先行救助：当日在乡镇额度内发放，免核对、免公示，记录补办时限；超额度报县级", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &urgentRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*urgentRequest)
				return h.app.Review.UrgentGrant(c.Request.Context(), st, id, v, r.AmountCents, r.Reason)
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.urgent_temporary_aid_only`：只适用于仅申请临时救助的案件\n`case.entry_invalid`：金额不正确\n`case.reason_required`：缺少急难情形"}}},
		{path: "start-investigation", opID: "staffStartInvestigation", summary: "启动调查并申请家庭经济状况核对", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &opinionOnly{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.StartInvestigation(c.Request.Context(), st, id, v, req.(*opinionOnly).Opinion)
			}},
		{path: "data-check", opID: "staffRecordDataCheck", summary: "记录核对结果（县级核对机构）；结果异常时告知申请人，申请人可提出异议后复核", who: "县级经办人",
			newReq: func() interface{ action() *versioned } { return &dataCheckRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*dataCheckRequest)
				return h.app.Review.RecordDataCheck(c.Request.Context(), st, id, v, review.DataCheckInput{Outcome: r.Outcome, Summary: r.Summary})
			}, errors: []docs.Response{{Status: http.StatusConflict, Description: "`case.no_data_check_pending`：没有待反馈的核对请求"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.authorization_missing`：有家庭成员没有已记录的核对授权（fields 的 members[位置] 给出第几位成员及其关系，不含身份证号）：不查询该户的经济状况信息"}}},
		{path: "visit-appointment", opID: "staffScheduleVisit", summary: "预约入户调查：日期、时段（及已确定的两名以上调查人员），告知申请人", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &appointmentRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*appointmentRequest)
				return h.app.Review.ScheduleVisit(c.Request.Context(), st, id, v, review.AppointmentInput{On: r.On, From: r.From, To: r.To, Investigators: r.Investigators})
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.invalid_visit_date`：日期不正确\n`case.invalid_visit_window`：时段不正确\n`case.visit_needs_two_investigators`：调查人员少于两名\n`case.visit_investigator_invalid`：调查人员不是本辖区在岗工作人员"}}},
		{path: "visits", opID: "staffRecordVisit", summary: "记录入户调查：至少两名本辖区工作人员，家庭签字确认", who: "村协理员、乡镇、县级",
			newReq: func() interface{ action() *versioned } { return &visitRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*visitRequest)
				return h.app.Review.RecordVisit(c.Request.Context(), st, id, v, review.VisitInput{VisitedOn: r.VisitedOn,
					Investigators: r.Investigators, Findings: r.Findings, FamilyConfirmed: r.FamilyConfirmed})
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.visit_needs_two_investigators`：少于两名不同的调查人员\n`case.visit_investigator_invalid`：调查人员不是本辖区在岗工作人员"}}},
		{path: "opinion", opID: "staffGiveOpinion", summary: "初审意见：五类救助逐项（特困、单人保按人）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &opinionRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*opinionRequest)
				return h.app.Review.GiveOpinion(c.Request.Context(), st, id, v, toEntries(r.Entries), r.Summary)
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.investigation_incomplete`：核对或入户未完成\n`case.categories_incomplete`：五类救助未逐项给出意见\n`case.entry_invalid`：某项内容不正确\n" +
				"`case.deviation_reason_required`：意见与系统测算结果（申请详情 suggestedOpinion）不同，须在 entries[i].deviationReason 说明理由\n" + exclusionErrors}}},
		{path: "notice", opID: "staffStartNotice", summary: "在村（社区）公示7日（次日起算）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &versioned{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.StartNotice(c.Request.Context(), st, id, v)
			}},
		{path: "objections", opID: "staffRecordObjection", summary: "登记公示期间当面或电话反映的异议（实名）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &objectionRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*objectionRequest)
				return h.app.Review.RecordObjection(c.Request.Context(), st, id, v, cases.ObjectionInput{Name: r.Name, Contact: r.Contact, Content: r.Content})
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`notice.closed`：公示已结束"}}},
		{path: "objections/resolve", opID: "staffResolveObjection", summary: "处理异议：成立则公示作废，重新调查（或民主评议）后重新初审、再次公示；不成立（upheld=false）则记录理由，不重新调查，不再阻止结束公示", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &resolveRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*resolveRequest)
				return h.app.Review.ResolveObjection(c.Request.Context(), st, id, v, r.ObjectionID, r.Upheld, r.Resolution, r.Followup)
			}, errors: []docs.Response{{Status: http.StatusNotFound, Description: "`objection.not_found`：没有这条待处理的异议"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.democratic_evaluation_disabled`：本地区未启用民主评议"}}},
		{path: "objections/merge", opID: "staffMergeObjection", summary: "合并重复异议：与同一公示期间另一条异议内容重复的，合并处理（不再阻止结束公示，不重新调查）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &mergeObjectionRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*mergeObjectionRequest)
				return h.app.Review.MergeObjection(c.Request.Context(), st, id, v, r.ObjectionID, r.IntoID)
			}, errors: []docs.Response{{Status: http.StatusNotFound, Description: "`objection.not_found`：没有这条待处理的异议"},
				{Status: http.StatusUnprocessableEntity, Description: "`objection.merge_invalid`：只能合并到同一公示期间另一条未被合并的异议"}}},
		{path: "notice/close", opID: "staffCloseNotice", summary: "公示期满且无待处理异议：结束公示，报审核确认机关", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &versioned{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.CloseNotice(c.Request.Context(), st, id, v)
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.notice_running`：公示期未满\n`case.objection_pending`：有未处理的异议"}}},
		{path: "household", opID: "staffChangeHousehold", summary: "窗口登记提交后的家庭成员增减（出生、婚入、死亡、迁出等，留痕）：申报内容、成员、授权和材料清单随之更新——新成员需要的材料加入清单（退回补正时可要求），成年新成员须确认诚信承诺和核对授权，离开成员的材料不再需要", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &householdChangeRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*householdChangeRequest)
				return h.app.Application.ChangeHousehold(c.Request.Context(), st, id, v, application.HouseholdChangeInput{Join: r.Join, Leave: r.Leave, Reason: r.Reason})
			}, errors: []docs.Response{{Status: http.StatusBadRequest, Description: "`case.text_too_long`：原因过长\n`case.invalid_members`：成员须填写关系、姓名和身份证号"},
				{Status: http.StatusConflict, Description: "`case.already_open`：新成员已有同类正在办理的申请\n`case.facts_locked`：该申请没有申报信息"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.household_change_invalid`：join 与 leave 二选一；被申请救助的本人不能离开\n`case.reason_required`：请填写原因\n`case.invalid_facts`：成员信息有误（fields 逐项指明）\n`case.incomplete`：信息不全"}}},
		{path: "spot-check", opID: "staffSpotCheck", summary: "特困认定随机抽查核实：被本县抽签抽中的案件，由至少两名未参加本案入户调查的工作人员入户核实（日期、地点、发现）", who: "县级",
			newReq: func() interface{ action() *versioned } { return &spotCheckRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*spotCheckRequest)
				return h.app.SpotChecks.SpotCheck(c.Request.Context(), st, id, v, spotcheck.SpotCheckInput{CheckedOn: r.CheckedOn, Place: r.Place,
					Officers: r.Officers, Findings: r.Findings, Confirmed: r.Confirmed})
			}, errors: []docs.Response{{Status: http.StatusBadRequest, Description: "`case.invalid_visit_date`：日期不正确（不晚于今天，不早于抽签日）\n`case.text_too_long`：地点或发现过长"},
				{Status: http.StatusConflict, Description: "`case.spot_check_recorded`：本案的抽查核实已经记录"},
				{Status: http.StatusUnprocessableEntity, Description: "`case.spot_check_not_sampled`：本案未被抽签抽中（抽查对象由系统抽取）\n`case.visit_needs_two_investigators`：至少两名不同的工作人员\n`case.visit_investigator_invalid`：须为本辖区在岗工作人员，且未参加本案入户调查\n`case.reason_required`：请填写地点和发现"}}},
		{path: "decision", opID: "staffDecide", summary: "审核确认：五类救助逐项批准（金额、起始月份）或不予批准（理由）；参与入户调查者不得审核确认", who: "县级，或授权的乡镇分管领导",
			newReq: func() interface{ action() *versioned } { return &decideRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				r := req.(*decideRequest)
				return h.app.Review.Decide(c.Request.Context(), st, id, v, toEntries(r.Entries), r.Note)
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.categories_incomplete`：五类救助未逐项决定\n`case.county_visit_required`：近亲属备案案件须先有县级入户\n`case.spot_check_draw_required`：批准特困（申请的或乡镇初审发现的）前，本案须已参加本县特困抽查抽签\n`case.spot_check_required`：本案被抽中，须先记录入户抽查核实\n`case.entry_invalid`：某项内容不正确\n`case.meeting_required`：临时救助超过总上限（默认10个月低保标准×家庭人数），须有县级分管领导记录的一事一议（日期、参会人员、纪要编号）\n" + exclusionErrors}}},
		{path: "refusal-notice", opID: "staffRefusalDelivered", summary: "不予批准书面告知已送达（决定后3个工作日内）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &refusalRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.RefusalDelivered(c.Request.Context(), st, id, v, req.(*refusalRequest).How)
			}},
		{path: "backfill", opID: "staffBackfill", summary: "先行救助手续补办完成", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &noteRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.Backfill(c.Request.Context(), st, id, v, req.(*noteRequest).Note)
			}},
		{path: "terminate", opID: "staffTerminate", summary: "终止办理（如申请人拒不配合调查），写明理由", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &reasonRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.Terminate(c.Request.Context(), st, id, v, req.(*reasonRequest).Reason)
			}, errors: []docs.Response{e422Reason}},
		{path: "close-relative", opID: "staffFlagCloseRelative", summary: "近亲属备案：须县级入户后才能审核确认", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &noteRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.FlagCloseRelative(c.Request.Context(), st, id, v, req.(*noteRequest).Note)
			}},
		{path: "extend", opID: "staffExtend", summary: "特殊情况延长低保办理时限至45个工作日（写明原因）", who: "乡镇经办人",
			newReq: func() interface{ action() *versioned } { return &reasonRequest{} },
			run: func(h *Handler, c *gin.Context, st *model.Staff, id string, v int, req any) (*cases.StaffRecord, error) {
				return h.app.Review.Extend(c.Request.Context(), st, id, v, req.(*reasonRequest).Reason)
			}, errors: []docs.Response{{Status: http.StatusUnprocessableEntity, Description: "`case.no_overall_clock`：没有可延长的低保时限"}}},
	}
}

var errVersionRequired = cases.ErrVersionRequired.WithField("version", "必填")

var errAcceptedRequired = model.Invalid("case.review_verdict_required", "请选择审核结果（通过或不通过）").WithField("accepted", "必填")

// action adapts one table row to a Gin handler: strict decoding, the version required, the
// case detail after the action.
func (h *Handler) action(a caseAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		req := a.newReq()
		if err := httpx.BindJSON(c, req); err != nil {
			httpx.Fail(c, err)
			return
		}
		if req.action().Version == nil {
			httpx.Fail(c, errVersionRequired)
			return
		}
		rec, err := a.run(h, c, staff(c), c.Param("id"), *req.action().Version, req)
		if err != nil {
			httpx.Fail(c, err)
			return
		}
		httpx.OK(c, http.StatusOK, toDetail(rec))
	}
}

// exclusionErrors lists the exclusion table's codes (model/exclusion.go): two approved entries
// that exclude each other; fields name both entries.
const exclusionErrors = "`exclusion.minimum_living_edge_household`：低保与低保边缘家庭同时批准\n" +
	"`exclusion.minimum_living_extreme_hardship`：低保与特困同时批准\n" +
	"`exclusion.minimum_living_single_person`：低保与单人保同时批准\n" +
	"`exclusion.extreme_hardship_single_person`：同一人特困与单人保同时批准\n" +
	"`exclusion.extreme_hardship_edge_household`：特困与低保边缘家庭同时批准\n" +
	"`exclusion.illness_poverty_covered`：因病致贫与低保、特困、低保边缘或单人保同时批准"
