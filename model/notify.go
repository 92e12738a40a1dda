package model

import "time"

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxDone    = "done"
	OutboxDead    = "dead" // gave up after the retries: listed for an administrator to requeue
)

// Delivery channels recorded on a done row.
const (
	ChannelSubscribe = "subscribe"
	ChannelInApp     = "in_app"
)

// Outbox is a notification written in the same transaction as the change it reports, delivered
// after commit by the notify worker. IdempotencyKey is unique: a retried row never sends twice.
type Outbox struct {
	ID             uint64 `gorm:"primaryKey"`
	CaseID         uint64 `gorm:"not null"`
	ResidentID     uint64 `gorm:"not null"`
	TemplateKey    string `gorm:"size:64;not null"`
	Title          string `gorm:"size:64;not null"`
	Body           string `gorm:"type:text;not null" seal:"text"` // up to 30 missing items of 60 characters
	Payload        string `gorm:"type:text;not null" seal:"text"` // JSON map of subscribe fields
	IdempotencyKey string `gorm:"size:96;not null"`
	Status         string `gorm:"size:16;not null"`
	Channel        string `gorm:"size:16;not null;default:''"`
	Attempts       int    `gorm:"not null;default:0"`
	NextAttemptAt  time.Time
	LastError      string `gorm:"size:255;not null;default:''"`
	CreatedAt      time.Time
	DoneAt         *time.Time
}

func (Outbox) TableName() string { return "outbox" }

// Message is the resident's in-app copy of a notification; it exists whether or not a
// subscribe message could be sent.
type Message struct {
	ID             uint64 `gorm:"primaryKey"`
	ResidentID     uint64 `gorm:"not null"`
	CaseID         uint64 `gorm:"not null"`
	Title          string `gorm:"size:64;not null"`
	Body           string `gorm:"type:text;not null" seal:"text"` // up to 30 missing items of 60 characters
	IdempotencyKey string `gorm:"size:96;not null"`
	Pushed         bool   `gorm:"not null"` // also delivered as a WeChat subscribe message
	// PushStartedAt is set, in its own commit, just before the subscribe message is handed to
	// WeChat, and cleared when WeChat answers that it did not take it. A worker that finds it set
	// on an unpushed message knows an earlier worker died with the push in flight: WeChat may
	// have delivered it, so it is not pushed again (at most one push per key).
	PushStartedAt *time.Time
	// QuotaTaken: a one-time quota was taken for this message's push and not yet given back, so
	// a worker that takes the row over after a crash does not take a second one.
	QuotaTaken bool `gorm:"not null;default:false"`
	ReadAt     *time.Time
	CreatedAt  time.Time
}

func (Message) TableName() string { return "messages" }

// SubscribeQuota counts how many messages of a template a resident has allowed
// (one per accept in wx.requestSubscribeMessage).
type SubscribeQuota struct {
	ResidentID uint64 `gorm:"primaryKey;autoIncrement:false"`
	TemplateID string `gorm:"primaryKey;size:64"`
	Remaining  int    `gorm:"not null"`
	LastResult string `gorm:"size:16;not null"` // accept, reject, ban
	UpdatedAt  time.Time
}

func (SubscribeQuota) TableName() string { return "subscribe_quotas" }

// NotifyTemplate maps our template key to the WeChat template id configured for this app, and
// our values to that template's keyword ids (Fields: JSON of []TemplateField). The rows are
// written at start from the template registry (configuration), never by hand.
type NotifyTemplate struct {
	Key        string `gorm:"primaryKey;size:64"`
	TemplateID string `gorm:"size:64;not null"`
	Title      string `gorm:"size:64;not null"`
	Page       string `gorm:"size:255;not null"`
	Fields     string `gorm:"type:text;not null"`
	// Kind is one_time (each accept in the popup allows one message) or long_term (长期订阅: one
	// accept allows messages until the user turns them off; only for mini-programs of the
	// public-service categories WeChat grants it to, such as government services).
	Kind string `gorm:"size:16;not null;default:one_time"`
}

// Template kinds (NotifyTemplate.Kind).
const (
	TemplateOneTime  = "one_time"
	TemplateLongTerm = "long_term"
)

// LongTerm reports whether the template is a long-term subscription (its quota is not consumed).
func (t NotifyTemplate) LongTerm() bool { return t.Kind == TemplateLongTerm }

// TemplateField maps one of our values to a keyword of a WeChat library template: Keyword is
// the template's own id ("thing7", "time12"), Type its WeChat field type ("thing", "time"), Value
// the name of our value (NotifyValue*).
type TemplateField struct {
	Keyword string `json:"keyword"`
	Type    string `json:"type"`
	Value   string `json:"value"`
}

// The values a progress notification carries (outbox payload keys); a template maps some or
// all of them to its keywords.
const (
	NotifyValueService = "service" // 事项：社会救助申请（低保、临时救助）
	NotifyValueStatus  = "status"  // 状态：已受理
	NotifyValueTime    = "time"    // 时间 (2006-01-02 15:04, China Standard Time)
	NotifyValueHint    = "hint"    // 提示：将于2026-11-25前启动调查
	NotifyValueCaseNo  = "caseNo"  // 编号：JZ2026112300000001
)

// NotifyValues lists every value name a template may map.
func NotifyValues() []string {
	return []string{NotifyValueService, NotifyValueStatus, NotifyValueTime, NotifyValueHint, NotifyValueCaseNo}
}

func (NotifyTemplate) TableName() string { return "notify_templates" }

// TemplateCaseProgress is the key of the "办理进度提醒" template.
const TemplateCaseProgress = "case_progress"

// IdempotencyRecord remembers a resident's Idempotency-Key for a case creation.
type IdempotencyRecord struct {
	ResidentID  uint64 `gorm:"primaryKey;autoIncrement:false"`
	Key         string `gorm:"primaryKey;size:64"`
	RequestHash string `gorm:"size:64;not null"`
	CaseID      uint64 `gorm:"not null"`
	CreatedAt   time.Time
}

func (IdempotencyRecord) TableName() string { return "idempotency_keys" }
