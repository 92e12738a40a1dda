package notify

import (
	"context"

	"palmaid/model"
)

var errMessageNotFound = model.E(model.KindNotFound, "message.not_found", "消息不存在")

// MessagePage is one page of the resident's messages with the public ids of the cases they
// link to and the unread count.
type MessagePage struct {
	Messages []model.Message
	CaseIDs  map[uint64]string // case id → public id
	Unread   int64
}

// MessageCentre lists the resident's messages (newest first) with their case links and the
// unread count.
func (s *Service) MessageCentre(ctx context.Context, residentID uint64, before uint64, limit int) (*MessagePage, error) {
	ms, err := s.st.ListMessages(ctx, residentID, before, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, 0, len(ms))
	for _, m := range ms {
		if m.CaseID != 0 {
			ids = append(ids, m.CaseID)
		}
	}
	links, err := s.st.CasePublicIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	n, err := s.st.UnreadMessages(ctx, residentID)
	if err != nil {
		return nil, err
	}
	return &MessagePage{Messages: ms, CaseIDs: links, Unread: n}, nil
}

// UnreadCount is the badge of the message centre.
func (s *Service) UnreadCount(ctx context.Context, residentID uint64) (int64, error) {
	return s.st.UnreadMessages(ctx, residentID)
}

// MarkRead marks one of the resident's messages read; another resident's message is
// message.not_found, like one that does not exist.
func (s *Service) MarkRead(ctx context.Context, residentID, messageID uint64) error {
	ok, err := s.st.MarkMessageRead(ctx, residentID, messageID, s.now())
	if err != nil {
		return err
	}
	if !ok {
		return errMessageNotFound
	}
	return nil
}

// MarkAllRead marks every message of the resident read and returns how many were unread.
func (s *Service) MarkAllRead(ctx context.Context, residentID uint64) (int64, error) {
	return s.st.MarkAllMessagesRead(ctx, residentID, s.now())
}

// ErrMessageNotFound is the answer for a message id that is not the resident's (the handler
// uses it for ids that do not parse).
func ErrMessageNotFound() error { return errMessageNotFound }
