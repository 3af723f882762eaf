package supervise

import (
	"fmt"
	"math"
	"time"

	"github.com/shuniu-oa/shuniu/internal/supervise/chart"
)

func rateOrNaN(r float64, ok bool) float64 {
	if !ok {
		return math.NaN()
	}
	return r
}

// CompareChart is the 横比 bar chart of 按期办结率 for ranked units; link
// gives each unit's click-through URL (nil for none).
func CompareChart(title string, rows []Ranked, link func(unitID string) string) *chart.Chart {
	c := &chart.Chart{Title: title, Percent: true}
	s := chart.Series{Name: "按期办结率"}
	for _, r := range rows {
		name := r.Unit.ShortName
		if name == "" {
			name = r.Unit.Name
		}
		c.Labels = append(c.Labels, name)
		s.Values = append(s.Values, rateOrNaN(r.Counts.OnTimeRate()))
		if link != nil {
			c.Links = append(c.Links, link(r.Unit.ID))
		}
	}
	c.Series = []chart.Series{s}
	return c
}

// TrendChart is the 纵比 line chart of 按期办结率 over periods.
func TrendChart(title string, periods []Period, counts []Counts) *chart.Chart {
	c := &chart.Chart{Title: title, Percent: true, Labels: periodLabels(periods)}
	s := chart.Series{Name: "按期办结率"}
	for _, k := range counts {
		s.Values = append(s.Values, rateOrNaN(k.OnTimeRate()))
	}
	c.Series = []chart.Series{s}
	return c
}

// TrendCountsChart is the 纵比 line chart of items closed and overdue over periods.
func TrendCountsChart(title string, periods []Period, counts []Counts) *chart.Chart {
	c := &chart.Chart{Title: title, Labels: periodLabels(periods)}
	closed, overdue, fresh := chart.Series{Name: "办结"}, chart.Series{Name: "逾期"}, chart.Series{Name: "新交办"}
	for _, k := range counts {
		fresh.Values = append(fresh.Values, float64(k.New))
		closed.Values = append(closed.Values, float64(k.Closed))
		overdue.Values = append(overdue.Values, float64(k.OverdueNow))
	}
	c.Series = []chart.Series{fresh, closed, overdue}
	return c
}

func periodLabels(ps []Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		from := p.From.In(time.FixedZone("CST", cstOffset))
		out[i] = fmt.Sprintf("%d年%d月", from.Year(), from.Month())
	}
	return out
}
