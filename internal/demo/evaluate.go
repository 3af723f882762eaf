package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/evaluate"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// evalSeededKey marks a database that holds the demo's 考核评比 settings.
const evalSeededKey = "demo_eval_seeded"

// Demo 考核评比 history: a town that was a 乡 until it became a 镇, and a
// 街道 merged into its neighbour.
const (
	demoRenamedTown = "柳溪镇"
	demoRenamedFrom = "柳溪乡"
	demoMergedTown  = "东门街道"
	demoMergedInto  = "南塘街道"
)

// SeedEvaluate gives the demo district's 考核评比 a history, entered by the
// system administrator: a revised version of the rules in force since six
// months before now (so 纵比 crosses two versions), the next year's version
// waiting to take effect on the first of next month, 柳溪镇 carrying its
// earlier name 柳溪乡 until four months ago, and 东门街道 merged into
// 南塘街道 three months ago. Done once: a setting marks it.
func SeedEvaluate(ctx context.Context, s *store.Store, d District, now time.Time) error {
	var v string
	if done, err := s.Setting(ctx, evalSeededKey, &v); err != nil || done {
		return err
	}
	var admin org.Person
	for _, p := range d.People {
		if p.Login == "sysadmin" {
			admin = p
		}
	}
	byShort := map[string]org.Unit{}
	for _, u := range d.Units {
		if _, ok := byShort[u.ShortName]; !ok {
			byShort[u.ShortName] = u
		}
	}
	renamed, merged, into := byShort[demoRenamedTown], byShort[demoMergedTown], byShort[demoMergedInto]
	if admin.ID == "" || renamed.ID == "" || merged.ID == "" || into.ID == "" {
		return fmt.Errorf("demo evaluation: the system administrator or a town is missing")
	}
	loc := s.Calendar().Location()
	lt := now.In(loc)
	month := func(back int) time.Time { return time.Date(lt.Year(), lt.Month()-time.Month(back), 1, 0, 0, 0, 0, loc) }

	revised := evaluate.DefaultRules(month(6))
	revised.Note = "依据修订后的《清澜区办公室系统工作考核办法》：加重督办和信息权重，区直部门不再考核值班交接"
	revised.Weights[evaluate.Towns][evaluate.SupOnTime] = 30
	revised.Weights[evaluate.Towns][evaluate.InfoScore] = 20
	revised.Weights[evaluate.Departments][evaluate.SupOnTime] = 30
	delete(revised.Weights[evaluate.Departments], evaluate.Handover)
	revised.CloseDays = 7
	next := revised
	next.Weights = map[evaluate.Class]map[evaluate.Indicator]float64{}
	for c, ws := range revised.Weights {
		next.Weights[c] = map[evaluate.Indicator]float64{}
		for i, w := range ws {
			next.Weights[c][i] = w
		}
	}
	next.Effective = month(-1)
	next.Note = "新年度考核办法：公文差错率权重提高，先进单位比例调整为 15%"
	next.Weights[evaluate.Towns][evaluate.DocErrors] = 15
	next.Weights[evaluate.Departments][evaluate.DocErrors] = 15
	next.CommendShare = 0.15
	// Each part is skipped if already there, so that a start interrupted
	// half way does not fail every start after it.
	if rs, err := s.EvalRules(ctx); err != nil {
		return err
	} else if len(rs) <= 1 {
		for _, r := range []evaluate.RuleSet{revised, next} {
			if _, err := s.AddEvalRules(ctx, admin, r); err != nil {
				return fmt.Errorf("demo evaluation rules: %w", err)
			}
		}
	}
	if chs, err := s.EvalUnitChanges(ctx); err != nil || len(chs) > 0 {
		if err != nil {
			return err
		}
		return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, evalSeededKey, "1") })
	}
	if _, err := s.AddEvalUnitChange(ctx, admin, evaluate.Change{Unit: renamed.ID, Kind: evaluate.Renamed,
		OldName: districtName + demoRenamedFrom, On: month(4)}, ""); err != nil {
		return fmt.Errorf("demo rename: %w", err)
	}
	if _, err := s.AddEvalUnitChange(ctx, admin, evaluate.Change{Unit: merged.ID, Kind: evaluate.Merged, Into: into.ID, On: month(3)}, ""); err != nil {
		return fmt.Errorf("demo merge: %w", err)
	}
	return s.Write(ctx, func(tx *store.Tx) error { return tx.PutSetting(ctx, evalSeededKey, "1") })
}
