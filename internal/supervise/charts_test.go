package supervise

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/shuniu-oa/shuniu/internal/org"
)

func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
	}
}

func TestStatisticsCharts(t *testing.T) {
	sw := sweep(t)
	items := statsItems(t)
	periods := Months(at(4, 10, 0, 0), 3)
	st := sw.Compute(items, nil, periods[1], periods[1].To)
	towns := Compare(st, statsUnits, org.KindTown)
	bar := CompareChart("2026年3月各镇按期办结率", towns, func(id string) string { return "/supervise/items?unit=" + id })
	if len(bar.Labels) != 3 || len(bar.Links) != 3 || bar.Series[0].Values[0] != 0.5 {
		t.Fatalf("bar chart data %+v", bar)
	}
	svg := bar.Bar()
	wellFormed(t, svg)
	if strings.Count(svg, `class="bar"`) != 2 { // 东山镇 had nothing due: no bar
		t.Fatalf("bars: %d", strings.Count(svg, `class="bar"`))
	}
	tr := sw.Trend(items, "town1", periods, at(4, 30, 0, 0))
	line := TrendChart("城关镇按期办结率", periods, tr)
	if line.Labels[0] != "2026年2月" || line.Labels[2] != "2026年4月" {
		t.Fatalf("labels %v", line.Labels)
	}
	wellFormed(t, line.Line())
	wellFormed(t, TrendCountsChart("城关镇逐月办结与逾期", periods, tr).Line())
}
