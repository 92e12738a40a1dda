package model

// Permission is one thing a staff role may do. Handlers and services ask Staff.Can; the table
// below is the only place that says which role holds what.
type Permission string

const (
	PermCaseRead        Permission = "case.read"         // see cases of one's area (masked)
	PermCaseAssist      Permission = "case.assist"       // 帮办代办: file an application for a resident, with their signed paper forms
	PermCaseUnmask      Permission = "case.unmask"       // read a phone/ID in clear, with a reason (audited)
	PermCaseAccept      Permission = "case.accept"       // 受理 / 退回补正 / 不予受理 / 终止
	PermCaseInvestigate Permission = "case.investigate"  // start the investigation, request the data check, book the home visit
	PermCaseVisit       Permission = "case.visit"        // record a home visit (入户调查)
	PermCaseDataCheck   Permission = "case.data_check"   // record the 核对 result (county 核对 centre)
	PermCaseOpinion     Permission = "case.opinion"      // 初审意见, public notice, objections, forwarding
	PermCaseUrgent      Permission = "case.urgent_grant" // 先行救助 within the town cap
	PermCaseDecideTown  Permission = "case.decide_town"  // 审核确认 where the region delegates it to the town
	PermCaseDecide      Permission = "case.decide"       // 审核确认 at the county (incl. the 特困 spot check)
	PermCaseMeeting     Permission = "case.meeting"      // 一事一议 (county coordination meeting)
	PermStaffAdmin      Permission = "staff.admin"       // create, disable, re-role staff; reset passwords
	PermRegionAdmin     Permission = "region.admin"      // region settings
	PermCalendarAdmin   Permission = "calendar.admin"    // load and correct the holiday calendar
	PermNotifyAdmin     Permission = "notify.admin"      // list and requeue notifications that failed
	PermAuditRead       Permission = "audit.read"        // read the audit log of one's area, verify the hash chain
	PermIdentityDesk    Permission = "identity.desk"     // desk-verify a resident's identity (saw the 身份证 in person)
	// Recipients and payments (issue 24).
	PermBenefitRead          Permission = "benefit.read"           // see the recipients (在保对象) and the roster lines of one's area
	PermPayeeRecord          Permission = "payee.record"           // record a payee's account (town), audited
	PermRosterPrepare        Permission = "roster.prepare"         // build the county's monthly roster, export it masked, import the bank's feedback, close it
	PermRosterConfirm        Permission = "roster.confirm"         // confirm the town's lines of a roster
	PermRosterApprove        Permission = "roster.approve"         // approve a roster someone else prepared (four eyes)
	PermRosterExportUnmasked Permission = "roster.export_unmasked" // export the bank file with full names and account numbers (audited)
	// Dynamic management (issue 25).
	PermBenefitReview Permission = "benefit.review" // open a review, record the 核查, propose its outcome (town)
	PermBenefitDecide Permission = "benefit.decide" // decide a review (county): 增发、减发、渐退、停发
	PermCreditPublish Permission = "credit.publish" // publish a confirmed 失信 record of the gravest level (county leader)
)

var rolePermissions = map[Role][]Permission{
	RoleVillageAssistant: {PermCaseRead, PermCaseAssist, PermCaseVisit, PermIdentityDesk, PermBenefitRead},
	RoleTownCaseworker: {PermCaseRead, PermCaseAssist, PermCaseUnmask, PermCaseAccept, PermCaseInvestigate, PermCaseVisit, PermCaseOpinion, PermCaseUrgent, PermIdentityDesk,
		PermBenefitRead, PermPayeeRecord, PermRosterConfirm, PermBenefitReview},
	RoleTownLeader: {PermCaseRead, PermCaseAssist, PermCaseUnmask, PermCaseAccept, PermCaseInvestigate, PermCaseVisit, PermCaseOpinion, PermCaseUrgent, PermCaseDecideTown, PermIdentityDesk,
		PermBenefitRead, PermPayeeRecord, PermRosterConfirm, PermBenefitReview},
	RoleCountyOfficer: {PermCaseRead, PermCaseUnmask, PermCaseDataCheck, PermCaseVisit, PermCaseDecide,
		PermBenefitRead, PermRosterPrepare, PermRosterApprove, PermBenefitDecide},
	RoleCountyLeader: {PermCaseRead, PermCaseUnmask, PermCaseDataCheck, PermCaseVisit, PermCaseDecide, PermCaseMeeting,
		PermBenefitRead, PermRosterPrepare, PermRosterApprove, PermRosterExportUnmasked, PermBenefitDecide, PermCreditPublish},
	RoleAuditor: {PermCaseRead, PermAuditRead, PermBenefitRead},
	RoleAdmin:   {PermStaffAdmin, PermRegionAdmin, PermCalendarAdmin, PermNotifyAdmin},
}

// Permissions lists what a role may do (a copy).
func (r Role) Permissions() []Permission {
	return append([]Permission(nil), rolePermissions[r]...)
}

// Can reports whether the role holds p.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Can reports whether an active staff account holds p.
func (s *Staff) Can(p Permission) bool { return s != nil && s.Active && s.Role.Can(p) }
