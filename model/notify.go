package model

import "time"

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxDone    = "done"
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
	Body           string `gorm:"type:text;not null"` // up to 30 missing items of 60 characters
	Payload        string `gorm:"type:text;not null"` // JSON map of subscribe fields
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
	Body           string `gorm:"type:text;not null"` // up to 30 missing items of 60 characters
	IdempotencyKey string `gorm:"size:96;not null"`
	Pushed         bool   `gorm:"not null"` // also delivered as a WeChat subscribe message
	ReadAt         *time.Time
	CreatedAt      time.Time
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

// NotifyTemplate maps our template key to the WeChat template id configured for this app.
type NotifyTemplate struct {
	Key        string `gorm:"primaryKey;size:64"`
	TemplateID string `gorm:"size:64;not null"`
	Title      string `gorm:"size:64;not null"`
	Page       string `gorm:"size:255;not null"`
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
