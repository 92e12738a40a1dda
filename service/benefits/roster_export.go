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

	"github.com/xuri/excelize/v2"

	"palmaid/model"
)

// Export is the bank (or 财政) file of an approved roster, CSV or Excel in the usual ledger columns; the
// first export moves the roster to exported, each export stores the file's SHA-256 and is
// audited. Masked (names and account numbers masked) with roster.prepare; the unmasked file
// the bank needs takes roster.export_unmasked.
func (s *Service) Export(ctx context.Context, st *model.Staff, publicID, format string, unmasked bool) (file []byte, name, sum string, err error) {
	if format != FormatCSV && format != FormatXLSX {
		return nil, "", "", errFormat
	}
	now := s.now()
	err = s.repo.InTx(ctx, func(ctx context.Context) error {
		r, only, err := s.roster(ctx, st, publicID, true)
		if err != nil {
			return err
		}
		if !st.Can(model.PermRosterPrepare) || only != "" || (unmasked && !st.Can(model.PermRosterExportUnmasked)) {
			return errForbidden
		}
		switch r.Status {
		case model.RosterApproved:
			if err := r.Advance(model.RosterExported, st.ID); err != nil {
				return err
			}
		case model.RosterExported, model.RosterFedBack, model.RosterClosed:
		default:
			return model.ErrRosterState
		}
		lines, err := s.repo.Lines(ctx, r.ID, "")
		if err != nil {
			return err
		}
		pol, err := s.repo.RegionPolicy(ctx, model.AreaCode(r.CountyCode), r.Month+"-01")
		if err != nil {
			return err
		}
		layout := pol.Eligibility.ExportColumns
		if len(layout) == 0 {
			layout = ExportColumns
		}
		rows := func(each func([]string) error) error { return s.exportRows(ctx, r, lines, layout, unmasked, each) }
		if format == FormatXLSX {
			file, err = encodeXLSX(rows)
		} else {
			file, err = encodeCSV(rows)
		}
		if err != nil {
			return err
		}
		h := sha256.Sum256(file)
		sum = hex.EncodeToString(h[:])
		r.FileSHA256, r.UpdatedAt = sum, now
		if err := s.repo.SaveRoster(ctx, r); err != nil {
			return err
		}
		kind := "masked"
		if unmasked {
			kind = "unmasked"
		}
		name = fmt.Sprintf("roster-%s-%s-%s.%s", r.CountyCode, r.Month, r.Category, format)
		return s.repo.Audit(ctx, audit(ctx, st, "roster.export", nil, fmt.Sprintf("roster=%s file=%s format=%s sha256=%s lines=%d", r.PublicID, kind, format, sum, len(lines)), now))
	})
	return file, name, sum, err
}

// ExportColumns are the export's default columns (the CAMS ledger's, with the line number and
// a note); a region sets its own layout (payment.export_columns).
var ExportColumns = model.ExportColumnNames

// exportRows hands the file's rows (the header first) to each, one at a time, reading the
// benefits and accounts of a chunk of lines at a time: 100 000 lines are never held as rows,
// nor their sealed accounts all at once.
func (s *Service) exportRows(ctx context.Context, r *model.Roster, lines []model.RosterLine, layout []string, unmasked bool, each func(row []string) error) error {
	if err := each(layout); err != nil {
		return err
	}
	row := make([]string, len(layout))
	label := r.Category.Label()
	for start := 0; start < len(lines); start += buildChunk {
		chunk := lines[start:min(start+buildChunk, len(lines))]
		ids := make([]uint64, len(chunk))
		for i, l := range chunk {
			ids[i] = l.BenefitID
		}
		bs, err := s.repo.BenefitsByIDs(ctx, ids)
		if err != nil {
			return err
		}
		var accIDs []uint64
		for _, b := range bs {
			if b.AccountID != nil {
				accIDs = append(accIDs, *b.AccountID)
			}
		}
		accounts, err := s.repo.AccountsByIDs(ctx, accIDs, unmasked)
		if err != nil {
			return err
		}
		for i, l := range chunk {
			b := bs[l.BenefitID]
			bank, holder, number := "", l.PayeeMasked, ""
			if b.AccountID != nil {
				a := accounts[*b.AccountID]
				bank = a.Bank
				number = strings.Repeat("*", 12) + a.Tail4
				if unmasked {
					if holder, err = s.cipher.DecryptString(a.HolderEnc); err != nil {
						return err
					}
					if number, err = s.cipher.DecryptString(a.NumberEnc); err != nil {
						return err
					}
				}
			}
			note := ""
			if l.Kind == model.LineArrears {
				note = "补发" + l.ForMonth
			}
			status := map[string]string{model.LinePending: "", model.LinePaid: "成功", model.LineFailed: "失败：" + l.FailReason}[l.Status]
			cell := map[string]string{"序号": strconv.Itoa(start + i + 1), "发放月份": r.Month, "救助类别": label, "保障人口数": strconv.Itoa(l.Persons),
				"救助金额": cents(l.TotalCents), "分类救助金额": "0.00", "发放合计": cents(l.TotalCents), "开户银行": bank, "账户名称": holder,
				"账号": number, "反馈状态": status, "备注": note}
			for j, c := range layout {
				row[j] = cell[c]
			}
			if err := each(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// Export formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// encodeCSV is the file in CSV (UTF-8 with the BOM Excel needs, CRLF).
func encodeCSV(rows func(each func([]string) error) error) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := rows(w.Write); err != nil {
		return nil, err
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// encodeXLSX writes one sheet through excelize's stream writer; every cell is text, so an
// account number keeps its digits.
func encodeXLSX(rows func(each func([]string) error) error) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	n := 0
	cells := make([]any, 0, 16)
	err = rows(func(row []string) error {
		n++
		cells = cells[:0]
		for _, c := range row {
			cells = append(cells, c)
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func cents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }
