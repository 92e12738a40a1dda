package cases

import (
	"palmaid/model"
)

// The resident's side of an application: a draft saved server-side with the declared household
// facts (encrypted), the one-time document list from the rules, the consents of every adult
// member (and, for 特困, every supporter), then submission. An agent (a daughter applying for
// her mother) files the draft; each adult confirms from their own WeChat through a one-time
// invitation, or gives a signed paper form the town verifies.

var (
	ErrNotApplicant   = model.E(model.KindForbidden, "case.not_applicant", "只有提交申请的人可以修改或提交这份申请")
	ErrAgentIsSelf    = model.E(model.KindUnprocessable, "case.agent_is_beneficiary", "为他人代办时，第一位家庭成员应为被申请救助的人，不能是您本人")
	ErrAgentRelation  = model.Invalid("case.invalid_agent_relation", "请选择您与被申请人的关系").WithField("agentRelation", "spouse、child、parent、grandchild、grandparent、sibling、other 之一")
	ErrFactsLocked    = model.E(model.KindConflict, "case.facts_locked", "申请已提交，家庭情况如有变化请联系乡镇（街道）经办窗口申报")
	ErrConsentMissing = model.E(model.KindUnprocessable, "case.consents_missing", "还有家庭成员未确认诚信承诺和核对授权，请发送邀请或上传签字的授权书")
	ErrConsentUnknown = model.E(model.KindNotFound, "consent.not_found", "授权记录不存在")
	ErrConsentGiven   = model.E(model.KindConflict, "consent.already_given", "该成员已确认授权，无需重复邀请")
	ErrTextVersion    = model.E(model.KindConflict, "consent.text_changed", "承诺书内容已更新，请刷新后重新阅读确认")
	ErrNotBeneficiary = model.E(model.KindForbidden, "case.not_beneficiary", "只有被申请救助的本人可以接手这份申请")
	ErrNoAgent        = model.E(model.KindConflict, "case.no_agent", "这份申请不是代办的，无需接手")
	ErrItemUnknown    = model.E(model.KindNotFound, "item.not_found", "材料项不存在")
	ErrNoCommitment   = model.E(model.KindUnprocessable, "item.commitment_not_allowed", "本地不允许以承诺代替该项材料，请上传")
	ErrDocsMissing    = model.E(model.KindUnprocessable, "case.documents_missing", "还有材料未上传，请上传或对可承诺的材料签署承诺后再提交")
)

var (
	ErrIdentityRequired = model.E(model.KindUnprocessable, "identity.required", "请先登记本人的真实姓名和身份证号")
	ErrPledgeRequired   = model.E(model.KindUnprocessable, "case.pledge_required", "请阅读并确认诚信承诺和家庭经济状况核对授权")
	ErrCategories       = model.Invalid("case.invalid_categories", "请选择要申请的救助类别（低保、特困、临时救助）")
	ErrMembers          = model.Invalid("case.invalid_members", "家庭成员信息不完整")
	ErrNotVillage       = model.ErrNotVillage.WithField("villageCode", "12位村（社区）代码")
	ErrIdemKey          = model.ErrIdempotencyKey
	ErrApplicantMatch   = model.E(model.KindUnprocessable, "case.applicant_mismatch", "第一位家庭成员应为申请人本人，身份证号须与实名登记一致")
	ErrDuplicateMember  = model.Invalid("case.duplicate_member", "家庭成员中有重复的身份证号")
	ErrVersionRequired  = model.Invalid("case.version_required", "缺少版本号，请刷新后重试").WithField("version", "必填，且不小于1")
)

var (
	ErrRoleForbidden = model.E(model.KindForbidden, "case.role_forbidden", "您的岗位不能进行此操作")
	ErrInvalidFilter = model.Invalid("case.invalid_filter", "筛选条件不正确")
	ErrUnmaskField   = model.Invalid("case.invalid_unmask", "请选择要查看的信息")
	ErrNotAuthorised = model.E(model.KindUnprocessable, "case.authorization_missing", "有家庭成员尚未授权核对家庭经济状况，不能发起核对")
)
