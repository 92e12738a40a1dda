// Command gen fills a MariaDB/MySQL database with a province's worth of palmaid data, for the
// load harness and for EXPLAIN work at scale:
//
//	go run ./bench/gen -dsn 'root@tcp(127.0.0.1:3306)/palmaid_gen' -cases 1000000
//
// The database is created if missing and migrated; areas, two staff accounts, residents,
// households, members, cases, categories, history events, deadlines, outbox rows and the
// recipients (benefits and their approval change, issue 24) of the decided 低保 and 特困 cases are then
// appended with multi-row INSERTs (explicit ids, unique and foreign-key checks off for the
// loading sessions, two writers). The area tree is a province (98) with 3 cities, 15
// counties, 150 towns and 3 000 villages. Each case has a household of four; statuses,
// histories, open deadlines and notifications follow the proportions below. -hot puts a
// share of all cases into the first town (980101001000), the town worklist stress case.
// Staff: gen_town (town caseworker of that town) and gen_county (county officer of
// 980101000000), password palmaid-demo-2026.
//
// Personal data is synthetic: member ID numbers are stored masked with a random blind index and
// no ciphertext; residents have no bound identity.
package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"

	"palmaid/model"
	"palmaid/service/auth"
	"palmaid/service/seed"
	"palmaid/service/store"
)

// status mix of a province's monitoring data: most cases decided long ago, a working set open.
var mix = []struct {
	status model.Status
	stage  model.Stage
	weight int // per mille
	events int
}{
	{model.StatusDecided, model.StageClosed, 560, 8},
	{model.StatusDecided, model.StageRefusalNotice, 10, 8},
	{model.StatusNotAccepted, model.StageClosed, 30, 2},
	{model.StatusWithdrawn, model.StageClosed, 30, 3},
	{model.StatusTerminated, model.StageClosed, 20, 4},
	{model.StatusSubmitted, model.StageToAccept, 50, 1},
	{model.StatusReturned, model.StageReturned, 20, 2},
	{model.StatusAccepted, model.StageToInvestigate, 40, 2},
	{model.StatusInvestigating, model.StageCheckAndVisit, 50, 3},
	{model.StatusInvestigating, model.StageToCheck, 15, 4},
	{model.StatusInvestigating, model.StageToVisit, 15, 4},
	{model.StatusInvestigating, model.StageToOpinion, 20, 5},
	{model.StatusOpinionGiven, model.StageToNotice, 20, 5},
	{model.StatusPublicNotice, model.StageInNotice, 30, 6},
	{model.StatusReviewing, model.StageToDecideCounty, 55, 7},
	{model.StatusReviewing, model.StageToDecideTown, 15, 7},
	{model.StatusUrgentGranted, model.StageToBackfill, 20, 3},
}

// history: the steps a case went through, in order (step, action, to-status).
var history = []struct {
	step, action string
	to           model.Status
}{
	{model.StepApplication, model.ActionSubmit, model.StatusSubmitted},
	{model.StepAcceptance, model.ActionAccept, model.StatusAccepted},
	{model.StepInvestigation, "start_investigation", model.StatusInvestigating},
	{model.StepDataCheck, "data_check", model.StatusInvestigating},
	{model.StepVisit, "visit", model.StatusInvestigating},
	{model.StepPreliminary, "opinion", model.StatusOpinionGiven},
	{model.StepNotice, "notice", model.StatusPublicNotice},
	{model.StepDecision, "decide", model.StatusDecided},
}

func main() {
	dsn := flag.String("dsn", "", "MySQL DSN of the database to fill (created if missing), e.g. root@tcp(127.0.0.1:3306)/palmaid_gen")
	cases := flag.Int("cases", 1_000_000, "number of cases (each a household of four)")
	hot := flag.Float64("hot", 0.2, "share of the cases in the first town (the worklist stress case)")
	writers := flag.Int("writers", 2, "concurrent loading connections")
	deferIdx := flag.Bool("defer-indexes", true, "drop the loaded tables' secondary indexes before the load and build them after it (one sort per index instead of a B-tree insert per row)")
	flag.Parse()
	if *dsn == "" {
		fmt.Fprintln(os.Stderr, "gen: -dsn is required")
		os.Exit(2)
	}
	if err := gen(*dsn, *cases, *hot, *writers, *deferIdx); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type area struct{ code, town, county string }

func gen(dsn string, n int, hot float64, writers int, deferIdx bool) error {
	ctx := context.Background()
	t0 := time.Now()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return err
	}
	dbName := cfg.DBName
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return err
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS `"+dbName+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return err
	}
	admin.Close()
	st, err := store.Open(store.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: writers + 1})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.MigrateUp(ctx); err != nil {
		return err
	}

	// The area tree.
	var areas []model.Area
	var villages []area
	areas = append(areas, model.Area{Code: "980000000000", Name: "生成省", Level: model.LevelProvince})
	for c := 1; c <= 3; c++ {
		city := fmt.Sprintf("98%02d00000000", c)
		areas = append(areas, model.Area{Code: city, ParentCode: "980000000000", Name: fmt.Sprintf("生成%d市", c), Level: model.LevelCity})
		for k := 1; k <= 5; k++ {
			county := fmt.Sprintf("98%02d%02d000000", c, k)
			areas = append(areas, model.Area{Code: county, ParentCode: city, Name: fmt.Sprintf("生成%d-%d县", c, k), Level: model.LevelCounty})
			for t := 1; t <= 10; t++ {
				town := fmt.Sprintf("98%02d%02d%03d000", c, k, t)
				areas = append(areas, model.Area{Code: town, ParentCode: county, Name: fmt.Sprintf("第%d镇", t), Level: model.LevelTown})
				for v := 1; v <= 20; v++ {
					code := fmt.Sprintf("98%02d%02d%03d%03d", c, k, t, v)
					areas = append(areas, model.Area{Code: code, ParentCode: town, Name: fmt.Sprintf("第%d镇%d村", t, v), Level: model.LevelVillage})
					villages = append(villages, area{code, town, county})
				}
			}
		}
	}
	if err := st.UpsertAreas(ctx, areas); err != nil {
		return err
	}
	hash, err := auth.HashPasswordCost(seed.DemoPassword, 10)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, s := range []model.Staff{
		{Username: "gen_town", DisplayName: "生成镇经办人", Role: model.RoleTownCaseworker, AreaCode: villages[0].town},
		{Username: "gen_county", DisplayName: "生成县民政局", Role: model.RoleCountyOfficer, AreaCode: villages[0].county},
	} {
		s.PasswordHash, s.Active, s.CreatedAt, s.UpdatedAt = hash, true, now, now
		if err := st.UpsertStaff(ctx, &s); err != nil {
			return err
		}
	}
	fmt.Printf("areas: %d (3 000 villages), staff gen_town / gen_county; schema ready in %s\n", len(areas), time.Since(t0).Round(time.Millisecond))

	// Loading connections.
	db, err := sql.Open("mysql", store.MySQLDSN(dsn))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(writers + 1)
	next := func(table string) (uint64, error) {
		var id uint64
		err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&id)
		return id + 1, err
	}
	ids := map[string]uint64{}
	for _, t := range []string{"residents", "households", "household_members", "cases", "case_events", "case_deadlines", "outbox", "benefits", "benefit_changes"} {
		if ids[t], err = next(t); err != nil {
			return err
		}
	}
	run := fmt.Sprintf("%x", time.Now().UnixNano()%0xffffff)
	order := []string{"residents", "households", "household_members", "cases", "case_categories", "case_events", "case_deadlines", "outbox", "benefits", "benefit_changes"}
	var dropped map[string][]string
	if deferIdx {
		t := time.Now()
		if dropped, err = dropSecondaryIndexes(ctx, db, order); err != nil {
			return err
		}
		n := 0
		for _, d := range dropped {
			n += len(d)
		}
		fmt.Printf("dropped %d secondary indexes for the load in %s\n", n, time.Since(t).Round(time.Millisecond))
	}

	work := make(chan stmt, writers*2)
	var wg sync.WaitGroup
	errc := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctx)
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close()
			for _, q := range []string{"SET SESSION unique_checks = 0", "SET SESSION foreign_key_checks = 0"} {
				if _, err := conn.ExecContext(ctx, q); err != nil {
					errc <- err
					return
				}
			}
			for s := range work {
				if _, err := conn.ExecContext(ctx, s.sql, s.args...); err != nil {
					errc <- fmt.Errorf("%.80s…: %w", s.sql, err)
					for range work { // drain
					}
					return
				}
			}
		}()
	}
	tables := map[string]*batch{
		"residents":         newBatch("residents", "id, app_id, open_id, created_at, updated_at"),
		"households":        newBatch("households", "id, area_code, address, created_at, updated_at"),
		"household_members": newBatch("household_members", "id, household_id, position, relation, name, id_bidx, id_masked, created_at"),
		"cases": newBatch("cases", "id, public_id, case_no, household_id, applicant_resident_id, applicant_member_id, area_code, town_code, county_code, status, stage, reason, "+
			"pledge_at, authorization_at, submitted_at, accepted_at, version, created_at, updated_at, urgent, next_due_on, next_due_step, closed_at, decider_level"),
		"case_categories": newBatch("case_categories", "case_id, category, requested"),
		"case_events":     newBatch("case_events", "id, case_id, step, action, from_status, to_status, actor_type, actor_id, area_code, opinion, created_at"),
		"case_deadlines":  newBatch("case_deadlines", "id, case_id, step, due_on, started_at, met_at, basis, round, days, state"),
		"outbox":          newBatch("outbox", "id, case_id, resident_id, template_key, title, body, payload, idempotency_key, status, channel, attempts, next_attempt_at, created_at, done_at"),
		"benefits": newBatch("benefits", "id, public_id, category, household_id, member_id, member_position, person_bidx, person_masked, beneficiary_resident_id, "+
			"area_code, town_code, county_code, status, persons, monthly_cents, standard_cents, care_cents, policy_ref, effective_from, next_review_on, source_case_id, version, created_at, updated_at"),
		"benefit_changes": newBatch("benefit_changes", "id, benefit_id, kind, effective_month, monthly_cents_after, persons, reason, decided_by_staff_id, decided_at, case_id, ref"),
	}
	counts := map[string]int{}
	add := func(table string, row ...any) {
		b := tables[table]
		counts[table]++
		if s, ok := b.add(row); ok {
			work <- s
		}
	}
	rng := rand.New(rand.NewPCG(42, uint64(len(run))))
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	cats := []model.Category{model.CatMinimumLiving, model.CatTemporaryAid, model.CatEdgeHousehold, model.CatExtremeHardship, model.CatIllnessPoverty}
	rels := []model.Relation{model.RelSelf, model.RelSpouse, model.RelChild, model.RelChild}
	today := now.Truncate(24 * time.Hour)
	progress := time.Now()
	for i := 0; i < n; i++ {
		select {
		case err := <-errc:
			close(work)
			return err
		default:
		}
		v := villages[rng.IntN(len(villages))]
		if rng.Float64() < hot {
			v = villages[rng.IntN(20)] // the first town's 20 villages
		}
		pick := rng.IntN(total)
		m := mix[0]
		for _, c := range mix {
			if pick < c.weight {
				m = c
				break
			}
			pick -= c.weight
		}
		open := m.stage != model.StageClosed
		age := time.Duration(rng.IntN(3*365)) * 24 * time.Hour // submitted within three years
		if open {
			age = time.Duration(rng.IntN(60)) * 24 * time.Hour // open cases are recent
		}
		submitted := now.Add(-age).Add(-time.Duration(rng.IntN(86400)) * time.Second)
		rid, hid, mid, cid := ids["residents"]+uint64(i), ids["households"]+uint64(i), ids["household_members"]+uint64(4*i), ids["cases"]+uint64(i)
		add("residents", rid, "wxgen", fmt.Sprintf("gen-%s-%d", run, i), submitted, submitted)
		add("households", hid, v.code, fmt.Sprintf("%d组%d号", 1+rng.IntN(12), 1+rng.IntN(200)), submitted, submitted)
		for k := 0; k < 4; k++ {
			h := sha256.Sum256(fmt.Appendf(nil, "%s/%d/%d", run, i, k))
			add("household_members", mid+uint64(k), hid, k, string(rels[k]), [...]string{"张", "李", "王", "赵"}[k]+"某", hex.EncodeToString(h[:]),
				"980101********"+fmt.Sprintf("%03d", rng.IntN(1000))+"X", submitted)
		}
		var accepted, closed any
		if m.events >= 2 && m.status != model.StatusNotAccepted && m.status != model.StatusReturned {
			accepted = submitted.Add(48 * time.Hour)
		}
		nextDue, nextStep := "", ""
		if open {
			nextDue = today.Add(time.Duration(rng.IntN(20)-6) * 24 * time.Hour).Format("2006-01-02") // some overdue
			nextStep = history[min(m.events, len(history)-1)].step
		} else {
			closed = submitted.Add(time.Duration(m.events*5) * 24 * time.Hour)
		}
		decider := ""
		if m.stage == model.StageToDecideTown {
			decider = "town"
		} else if m.status == model.StatusReviewing || m.status == model.StatusDecided {
			decider = "county"
		}
		add("cases", cid, fmt.Sprintf("g%s%012d", run, i), fmt.Sprintf("G%s-%09d", run, i), hid, rid, mid, v.code, v.town, v.county, string(m.status), string(m.stage),
			"家庭收入低于当地低保标准", submitted, submitted, submitted, accepted, m.events, submitted, submitted, m.stage == model.StageToBackfill, nextDue, nextStep, closed, decider)
		c1 := cats[weighted(rng, []int{60, 20, 10, 7, 3})]
		add("case_categories", cid, string(c1), true)
		if rng.IntN(5) == 0 && c1 != model.CatTemporaryAid {
			add("case_categories", cid, string(model.CatTemporaryAid), true)
		}
		// A decided 低保 (per household of four) or 特困 (per person, the applicant) case is a
		// recipient, paid from the month after its decision (China time), its approval the first change.
		if m.status == model.StatusDecided && m.stage == model.StageClosed && (c1 == model.CatMinimumLiving || c1 == model.CatExtremeHardship) {
			decided := closed.(time.Time)
			cst := time.FixedZone("CST", 8*3600)
			first := time.Date(decided.In(cst).Year(), decided.In(cst).Month()+1, 1, 0, 0, 0, 0, cst).Format("2006-01")
			bid := ids["benefits"]
			var member any
			pos, persons, cents, care := model.HouseholdLevel, 4, int64(40_000+rng.IntN(200)*100), int64(0)
			if c1 == model.CatExtremeHardship {
				member, pos, persons, cents, care = mid, 0, 1, int64(110_000+rng.IntN(3)*20_000), int64(rng.IntN(3)*20_000)
			}
			h := sha256.Sum256(fmt.Appendf(nil, "%s/%d/%d", run, i, 0))
			add("benefits", bid, fmt.Sprintf("gb%s%012d", run, i), string(c1), hid, member, pos, hex.EncodeToString(h[:]), "张*", rid,
				v.code, v.town, v.county, string(model.BenefitActive), persons, cents, int64(85_000), care, "gen", first,
				decided.AddDate(1, 0, 0).In(cst).Format("2006-01-02"), cid, 1, decided, decided)
			add("benefit_changes", ids["benefit_changes"], bid, model.ChangeApprove, first, cents, persons, "", 1, decided, cid, fmt.Sprintf("case:g%s%012d", run, i))
			ids["benefits"]++
			ids["benefit_changes"]++
		}
		// History: the first m.events steps, a day or more apart; notifications for most.
		from := model.Status("")
		for e := 0; e < m.events; e++ {
			h := history[min(e, len(history)-1)]
			to := h.to
			if e == m.events-1 {
				to = m.status
			}
			at := submitted.Add(time.Duration(e*3) * 24 * time.Hour)
			if at.After(now) {
				at = now
			}
			actor, actorType := rid, "resident"
			if e > 0 {
				actor, actorType = 1, "staff"
			}
			add("case_events", ids["case_events"], cid, h.step, h.action, string(from), string(to), actorType, actor, v.code, "", at)
			ids["case_events"]++
			if e > 0 && e%2 == 0 || e == m.events-1 {
				status, done, attempts := model.OutboxDone, any(at.Add(time.Minute)), 1
				if open && e == m.events-1 && rng.IntN(50) == 0 {
					status, done, attempts = model.OutboxPending, nil, 0
				}
				add("outbox", ids["outbox"], cid, rid, "case_progress", "办理进度", "您的申请有新进展", "{}", fmt.Sprintf("gen-%s-%d-%d", run, i, e),
					status, "wechat", attempts, at, at, done)
				ids["outbox"]++
			}
			from = to
		}
		// Deadlines: the met ones of the steps passed, the open one of the current step.
		for e := 1; e < m.events; e++ {
			at := submitted.Add(time.Duration((e-1)*3) * 24 * time.Hour)
			add("case_deadlines", ids["case_deadlines"], cid, history[min(e, len(history)-1)].step, at.Add(72*time.Hour).Format("2006-01-02"), at, at.Add(48*time.Hour),
				"3个工作日", 1, 3, model.ClockMet)
			ids["case_deadlines"]++
		}
		if open {
			add("case_deadlines", ids["case_deadlines"], cid, nextStep, nextDue, submitted, nil, "3个工作日", 1, 3, model.ClockOpen)
			ids["case_deadlines"]++
		}
		if (i+1)%100_000 == 0 {
			fmt.Printf("  %d cases generated (%.0f cases/s)\n", i+1, float64(i+1)/time.Since(progress).Seconds())
		}
	}
	for _, t := range order {
		if s, ok := tables[t].flush(); ok {
			work <- s
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	load := time.Since(progress)
	fmt.Printf("loaded in %s (%.0f cases/s):", load.Round(time.Second), float64(n)/load.Seconds())
	rows := 0
	for _, t := range order {
		fmt.Printf(" %s %d,", t, counts[t])
		rows += counts[t]
	}
	fmt.Printf(" %d rows (%.0f rows/s)\n", rows, float64(rows)/load.Seconds())
	t := time.Now()
	for _, tb := range order {
		if len(dropped[tb]) == 0 {
			continue
		}
		ti := time.Now()
		if _, err := db.ExecContext(ctx, "ALTER TABLE "+tb+" "+strings.Join(dropped[tb], ", ")); err != nil {
			return fmt.Errorf("rebuilding the indexes of %s: %w", tb, err)
		}
		fmt.Printf("  %s: %d indexes built in %s\n", tb, len(dropped[tb]), time.Since(ti).Round(time.Second))
	}
	if len(dropped) > 0 {
		fmt.Printf("indexes built in %s\n", time.Since(t).Round(time.Second))
	}
	t = time.Now()
	for _, tb := range order {
		if _, err := db.ExecContext(ctx, "ANALYZE TABLE "+tb); err != nil {
			return err
		}
	}
	fmt.Printf("ANALYZE TABLE in %s; total %s\n", time.Since(t).Round(time.Second), time.Since(t0).Round(time.Second))
	return nil
}

// dropSecondaryIndexes drops every secondary index of the tables that a foreign key does not
// need (MariaDB refuses those) and returns, per table, the ADD clauses that rebuild them.
func dropSecondaryIndexes(ctx context.Context, db *sql.DB, tables []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, tb := range tables {
		rows, err := db.QueryContext(ctx, `SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COALESCE(SUB_PART, 0)
			FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
			ORDER BY INDEX_NAME, SEQ_IN_INDEX`, tb)
		if err != nil {
			return nil, err
		}
		type idx struct {
			unique bool
			cols   []string
		}
		var names []string
		defs := map[string]*idx{}
		for rows.Next() {
			var name, col string
			var nonUnique, sub int
			if err := rows.Scan(&name, &nonUnique, &col, &sub); err != nil {
				rows.Close()
				return nil, err
			}
			d := defs[name]
			if d == nil {
				d = &idx{unique: nonUnique == 0}
				defs[name] = d
				names = append(names, name)
			}
			c := "`" + col + "`"
			if sub > 0 {
				c += fmt.Sprintf("(%d)", sub)
			}
			d.cols = append(d.cols, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, name := range names {
			if _, err := db.ExecContext(ctx, "ALTER TABLE "+tb+" DROP INDEX `"+name+"`"); err != nil {
				continue // needed by a foreign key: it stays
			}
			kind := "KEY"
			if defs[name].unique {
				kind = "UNIQUE KEY"
			}
			out[tb] = append(out[tb], "ADD "+kind+" `"+name+"` ("+strings.Join(defs[name].cols, ", ")+")")
		}
	}
	return out, nil
}

func weighted(rng *rand.Rand, w []int) int {
	sum := 0
	for _, x := range w {
		sum += x
	}
	p := rng.IntN(sum)
	for i, x := range w {
		if p < x {
			return i
		}
		p -= x
	}
	return len(w) - 1
}

// batch builds one multi-row INSERT of a table; flushed at ~50 000 placeholders (the limit is
// 65 535) or 2 000 rows.
type batch struct {
	head string
	cols int
	rows int
	args []any
	sb   strings.Builder
}

type stmt struct {
	sql  string
	args []any
}

func newBatch(table, cols string) *batch {
	return &batch{head: "INSERT INTO " + table + " (" + cols + ") VALUES ", cols: strings.Count(cols, ",") + 1}
}

func (b *batch) add(row []any) (stmt, bool) {
	if len(row) != b.cols {
		panic(fmt.Sprintf("%s: %d values for %d columns", b.head, len(row), b.cols))
	}
	if b.rows == 0 {
		b.sb.Reset()
		b.sb.WriteString(b.head)
	} else {
		b.sb.WriteByte(',')
	}
	b.sb.WriteByte('(')
	b.sb.WriteString(strings.TrimSuffix(strings.Repeat("?,", b.cols), ","))
	b.sb.WriteByte(')')
	b.args = append(b.args, row...)
	b.rows++
	if b.rows >= 2000 || len(b.args)+b.cols > 50_000 {
		return b.flush()
	}
	return stmt{}, false
}

func (b *batch) flush() (stmt, bool) {
	if b.rows == 0 {
		return stmt{}, false
	}
	s := stmt{sql: b.sb.String(), args: b.args}
	b.rows, b.args = 0, nil
	return s, true
}
