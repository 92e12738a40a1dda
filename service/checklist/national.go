package checklist

// NationalFrom is the effective date of the national rows (最低生活保障审核确认办法 and 特困人员认定
// 办法, 2021).
const NationalFrom = "2021-01-01"

// NationalRules are the national defaults: written to checklist_rules (area_code "") at start-up,
// replacing what an earlier binary wrote; regions override them row by row. Data sharing follows
// the national rule that what government platforms hold is never asked for (identity, household
// register, marriage, disability certificate, social insurance, real estate, vehicles).
// docs/CHECKLIST.md shows this table; a test keeps the two equal.
func NationalRules() []Rule {
	r := func(order int, code, name, note, when, scope, shared string, commitment bool, aliases string) Rule {
		return Rule{Code: code, Name: name, Note: note, AppliesWhen: when, Scope: scope, SharedSource: shared,
			CommitmentAllowed: commitment, Aliases: aliases, SortOrder: order, EffectiveFrom: NationalFrom}
	}
	const hh, mem = ScopeHousehold, ScopeMember
	return []Rule{
		r(10, "id_card", "身份证", "家庭成员的居民身份证，由公安人口信息共享核验", "always", mem, "公安人口信息", false, "居民身份证"),
		r(20, "household_register", "户口簿", "户主页和家庭成员页，由公安户籍信息共享核验", "always", hh, "公安户籍", false, "户口本,户籍证明"),
		r(30, "marriage_record", "结婚证", "婚姻状况由民政婚姻登记信息共享核验", "member_relation:spouse", hh, "民政婚姻登记", false, "结婚证书,婚姻证明,婚姻状况证明"),
		r(40, "residence_permit", "居住证", "在居住地申请的，提供有效期内的居住证", "member_hukou_elsewhere", mem, "", false, ""),
		r(50, "agent_authorization", "代办委托书（授权书）", "申请人签字或按手印，写明代办人和代办事项；可在小程序中在线签署", "by_agent", hh, "", false, "委托书,授权书,授权委托书"),
		r(60, "disability_certificate", "残疾证", "第二代残疾人证，由残联残疾人信息共享核验", "member_disabled", mem, "残联", false, "残疾人证,残疾证明"),
		r(70, "diagnosis_certificate", "疾病诊断证明（6个月内）", "二级及以上医院6个月内开具的疾病诊断证明", "member_seriously_ill,emergency:serious_illness", mem, "", false, "诊断证明,疾病诊断书,病历"),
		r(80, "medical_receipts", "医疗费用票据", "近12个月的门诊、住院费用票据和医保结算单", "member_seriously_ill,emergency:serious_illness,category:illness_poverty", hh, "", false, "医疗票据,医药费票据,医疗费用发票"),
		r(90, "accident_proof", "意外事故证明", "公安、应急管理等部门或村（居）委会出具的事故证明", "emergency:accident", hh, "", true, "事故证明"),
		r(100, "disaster_proof", "受灾情况证明", "村（居）委会或应急管理部门出具的受灾情况证明", "emergency:disaster", hh, "", true, "灾情证明"),
		r(110, "enrollment_proof", "在读证明", "学校出具的本学期在读（学籍）证明", "member_in_education", mem, "", false, "学籍证明,在校证明"),
		r(120, "supporters_statement", "赡养（抚养、扶养）义务人情况说明", "列明每位法定赡养（抚养、扶养）义务人的姓名、身份证号、住址、收入和赡养能力", "extreme_with_supporters", hh, "", false, "赡养人情况说明,赡养义务人情况说明"),
		r(130, "income_proof", "收入证明/无收入承诺", "工作单位出具的近6个月收入证明；无法取得的签署收入情况承诺书", "member_employed", mem, "", true, "收入证明,工资证明"),
		r(140, "asset_declaration", "家庭财产申报", "如实申报家庭收入和财产，全体家庭成员签字确认（可在线确认）", "always", hh, "", false, "家庭经济状况申报表,财产申报表"),
		r(150, "social_insurance_record", "社会保险参保缴费情况", "由人力资源社会保障部门信息共享核对", "always", hh, "人社", false, "社保缴费证明,社保证明"),
		r(160, "real_estate_record", "不动产登记情况", "由不动产登记信息共享核对", "always", hh, "不动产登记", false, "房产证,房产证明,不动产权证书,无房证明"),
		r(170, "vehicle_record", "机动车登记情况", "由公安交通管理信息共享核对", "always", hh, "公安交通管理", false, "行驶证,车辆登记证书,机动车登记证书"),
	}
}
