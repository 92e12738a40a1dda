package model

// Error codes shared by more than one package (issue 23): each is declared here once and
// reused; a caller that needs another detail adds it with WithField.
var (
	// the request envelope, for every face
	ErrInvalidPage         = Invalid("request.invalid_page", "分页参数不正确")
	ErrIdempotencyKey      = Invalid("request.invalid_idempotency_key", "请求编号格式不正确")
	ErrCredentialsRequired = Invalid("auth.credentials_required", "请输入用户名和密码")
	ErrWeChatBusy          = E(KindUnavailable, "wechat.unavailable", "微信服务繁忙，请稍后再试")

	// records the store and their services both report
	ErrBenefitNotFound         = E(KindNotFound, "benefit.not_found", "保障记录不存在")
	ErrComplaintNotFound       = E(KindNotFound, "complaint.not_found", "投诉不存在")
	ErrNoticeNotFound          = E(KindNotFound, "notice.not_found", "公示不存在或已结束")
	ErrCreditVersionConflict   = E(KindConflict, "credit.version_conflict", "该记录已被他人更新，请刷新后重试")
	ErrStandardVersionConflict = E(KindConflict, "standard.version_conflict", "调标批次已被他人更新，请刷新后重试")
	ErrVisitDate               = Invalid("case.invalid_visit_date", "入户日期不正确")
)
