package benefits

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"palmaid/model"
)

// MaxFeedbackFileBytes caps an imported feedback file (a county of 100 000 lines is about 10 MB
// in CSV).
const MaxFeedbackFileBytes = 32 << 20

// FeedbackForm reads the import's form once the roster is known to be the officer's: the
// roster's version and the file.
type FeedbackForm func() (version int, file []byte, err error)

var (
	// ErrFeedbackFile is roster.invalid_feedback_file (the API adds its own field hints).
	ErrFeedbackFile     = model.Invalid("roster.invalid_feedback_file", "回盘文件不正确")
	errFeedbackFile     = ErrFeedbackFile
	errFeedbackMismatch = model.E(model.KindUnprocessable, "roster.feedback_file_mismatch", "回盘文件与花名册不符，整个文件未导入")
)

// fileAnswer is one row of a feedback file that carries an answer.
type fileAnswer struct {
	row   int // the row in the file (1: the header)
	seq   int // 序号: the line's place in the roster (1-based, as exported)
	total string
	tail  string
	item  FeedbackItem
}

// FeedbackFile imports the bank's (or 财政's) answer as a file in the export's own layout (CSV
// or Excel; the columns found by their headers: 序号 and 反馈状态 are needed, 发放合计 and 账号
// are checked when present). 反馈状态 is 成功, 失败：原因, or empty (no answer yet). The file is
// validated whole: a line named twice, a 序号 not in the roster, an amount or card tail that is
// not the line's, or an answer to a line already answered refuses it all. Audited with the
// file's SHA-256 and counts.
func (s *Service) FeedbackFile(ctx context.Context, st *model.Staff, publicID string, form FeedbackForm) (*RosterRecord, error) {
	if _, _, err := s.roster(ctx, st, publicID, false); err != nil {
		return nil, err
	}
	version, file, err := form()
	if err != nil {
		return nil, err
	}
	answers, err := parseFeedbackFile(file)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(file)
	return s.feedback(ctx, st, publicID, version, func(ctx context.Context, r *model.Roster, lines []model.RosterLine) ([]FeedbackItem, error) {
		items := make([]FeedbackItem, 0, len(answers))
		seen := make(map[int]int, len(answers))
		paid, failed := 0, 0
		for _, a := range answers {
			if first, ok := seen[a.seq]; ok {
				return nil, errFeedbackMismatch.WithField("file", fmt.Sprintf("第%d行与第%d行是同一序号 %d", a.row, first, a.seq))
			}
			seen[a.seq] = a.row
			if a.seq < 1 || a.seq > len(lines) {
				return nil, errFeedbackMismatch.WithField("file", fmt.Sprintf("第%d行：序号 %d 不在本花名册中", a.row, a.seq))
			}
			l := lines[a.seq-1]
			if a.total != "" && a.total != cents(l.TotalCents) {
				return nil, errFeedbackMismatch.WithField("file", fmt.Sprintf("第%d行：发放合计 %s 与花名册的 %s 不符", a.row, a.total, cents(l.TotalCents)))
			}
			if a.tail != "" && l.AccountTail4 != "" && !strings.HasSuffix(a.tail, l.AccountTail4) {
				return nil, errFeedbackMismatch.WithField("file", fmt.Sprintf("第%d行：账号尾号与花名册不符", a.row))
			}
			if l.Status != model.LinePending {
				return nil, errFeedbackMismatch.WithField("file", fmt.Sprintf("第%d行：该行已有回盘结果", a.row))
			}
			it := a.item
			it.LineID = l.ID
			items = append(items, it)
			if it.Status == model.LinePaid {
				paid++
			} else {
				failed++
			}
		}
		if len(items) == 0 {
			return nil, errFeedbackFile.WithField("file", "文件中没有填写反馈状态的行")
		}
		detail := fmt.Sprintf("roster=%s sha256=%s rows=%d paid=%d failed=%d", r.PublicID, hex.EncodeToString(h[:]), len(answers), paid, failed)
		return items, s.repo.Audit(ctx, audit(ctx, st, "roster.feedback_file", nil, detail, s.now()))
	})
}

// parseFeedbackFile reads the rows with an answer from a CSV (UTF-8, a BOM allowed) or Excel
// (the first sheet) file.
func parseFeedbackFile(file []byte) ([]fileAnswer, error) {
	var rows [][]string
	switch {
	case len(file) == 0:
		return nil, errFeedbackFile.WithField("file", "必填：CSV 或 Excel（xlsx）文件")
	case bytes.HasPrefix(file, []byte("PK\x03\x04")):
		book, err := excelize.OpenReader(bytes.NewReader(file))
		if err != nil {
			return nil, errFeedbackFile.WithField("file", "无法读取 Excel 文件").WithCause(err)
		}
		defer func() { _ = book.Close() }()
		sheets := book.GetSheetList()
		if len(sheets) == 0 {
			return nil, errFeedbackFile.WithField("file", "Excel 文件没有工作表")
		}
		if rows, err = book.GetRows(sheets[0]); err != nil {
			return nil, errFeedbackFile.WithField("file", "无法读取 Excel 文件").WithCause(err)
		}
	default:
		if !utf8.Valid(file) {
			return nil, errFeedbackFile.WithField("file", "CSV 文件须为 UTF-8 编码")
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(file, []byte("\ufeff"))))
		r.FieldsPerRecord = -1
		var err error
		if rows, err = r.ReadAll(); err != nil {
			return nil, errFeedbackFile.WithField("file", "无法读取 CSV 文件").WithCause(err)
		}
	}
	if len(rows) < 2 {
		return nil, errFeedbackFile.WithField("file", "文件中没有名单行")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	seqCol, okSeq := col["序号"]
	statusCol, okStatus := col["反馈状态"]
	if !okSeq || !okStatus {
		return nil, errFeedbackFile.WithField("file", "表头须有“序号”和“反馈状态”两列（与导出文件相同）")
	}
	cell := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	var out []fileAnswer
	for n, row := range rows[1:] {
		rowNo := n + 2
		status := ""
		if statusCol < len(row) {
			status = strings.TrimSpace(row[statusCol])
		}
		if status == "" {
			continue // no answer yet: the line stays pending
		}
		seqText := ""
		if seqCol < len(row) {
			seqText = strings.TrimSpace(row[seqCol])
		}
		seq, err := strconv.Atoi(seqText)
		if err != nil || seq < 1 {
			return nil, errFeedbackFile.WithField("file", fmt.Sprintf("第%d行：序号应为正整数", rowNo))
		}
		a := fileAnswer{row: rowNo, seq: seq, total: cell(row, "发放合计"), tail: cell(row, "账号")}
		switch {
		case status == "成功":
			a.item = FeedbackItem{Status: model.LinePaid}
		case strings.HasPrefix(status, "失败"):
			reason := strings.TrimSpace(strings.TrimLeft(strings.TrimPrefix(status, "失败"), "：:"))
			if reason == "" || utf8.RuneCountInString(reason) > 100 || model.CheckText("reason", reason) != nil {
				return nil, errFeedbackFile.WithField("file", fmt.Sprintf("第%d行：发放失败须写明原因（“失败：原因”，最多100字）", rowNo))
			}
			a.item = FeedbackItem{Status: model.LineFailed, Reason: reason}
		default:
			return nil, errFeedbackFile.WithField("file", fmt.Sprintf("第%d行：反馈状态应为“成功”或“失败：原因”", rowNo))
		}
		if len(out) >= 200000 {
			return nil, errFeedbackFile.WithField("file", "最多200000行")
		}
		out = append(out, a)
	}
	return out, nil
}
