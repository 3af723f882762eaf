package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The district's mail from outside it: the city's and the province's
// documents, received on paper or through the city's exchange and registered
// by hand in 政府办, 区委办 and 区发改局. A year of them, closed and archived,
// and the last three weeks' still moving and stopped at every step of the 收文
// route — 签收 (some overdue), 登记, 拟办, 批办, 承办, 传阅, 办结 — so that the
// office's clerk, its director, the 领导 and the 承办人 logins each open a busy
// 待办 and 待阅.

// externalSource is one receiving organ's outside correspondents.
type externalSource struct {
	organ   string   // receiving organ's short name (its office registers)
	senders []string // who sends to it
	every   int      // days between documents over the year
	recent  int      // documents over the last three weeks
}

var externalSources = []externalSource{
	{"政府办", []string{"云泽市人民政府", "云泽市人民政府办公室", "云泽市应急管理局", "云泽市住房和城乡建设局"}, 5, 27},
	{"区委办", []string{"中共云泽市委办公室", "中共云泽市委组织部", "中共云泽市委宣传部"}, 8, 12},
	{"区发改局", []string{"云泽市发展和改革委员会", "省发展和改革委员会", "云泽市统计局"}, 9, 24},
}

var externalTitles = []struct {
	format  string
	docType document.DocType
}{
	{"%s关于做好%s工作的通知", document.Notice},
	{"%s关于开展%s专项检查的通知", document.Notice},
	{"%s关于报送%s工作进展情况的通知", document.Notice},
	{"%s关于%s工作情况的通报", document.Bulletin},
	{"%s关于征求%s工作意见的函", document.Letter},
}

// externalIncoming registers and walks the outside mail.
func (p *people) externalIncoming(ctx context.Context, s *store.Store, rng *rand.Rand, now time.Time) error {
	for _, src := range externalSources {
		organ := p.byShort(src.organ)
		if organ == "" {
			continue
		}
		// The office that receives for the organ, as the exchange picks it.
		office := organ
		if p.units[organ].Kind != org.KindOffice {
			for _, u := range p.d.Units {
				if u.ParentID == organ && u.Kind == org.KindOffice {
					office = u.ID
					break
				}
			}
		}
		clerk := p.firstClerk(office)
		if clerk == "" {
			clerk = p.firstClerk(organ)
		}
		if clerk == "" {
			continue
		}
		// A year of closed mail, then the recent mail stopped part-way: the
		// i-th recent document takes i mod 9 steps, so every step of the
		// route holds some.
		type plan struct {
			at    time.Time
			steps int
		}
		var plans []plan
		for age := 365; age > 21; age -= src.every {
			plans = append(plans, plan{at: now.Add(-time.Duration(age) * 24 * time.Hour), steps: 30})
		}
		for i := range src.recent {
			at := now.Add(-time.Duration(21*24*(src.recent-i)/src.recent) * time.Hour)
			plans = append(plans, plan{at: at, steps: i % 9})
		}
		for i, pl := range plans {
			tp := topics[rng.IntN(len(topics))]
			t := externalTitles[rng.IntN(len(externalTitles))]
			sender := src.senders[rng.IntN(len(src.senders))]
			doc := document.Document{Type: t.docType, Title: fmt.Sprintf(t.format, sender, tp.matter), Body: document.ParseBody(externalBody(tp.matter, t.docType, p.units[organ].Name))}
			if i%7 == 3 {
				doc.Urgency = document.Urgent
			}
			if err := p.walkExternal(ctx, s, rng, clerk, office, sender, doc, pl.at, pl.steps, now); err != nil {
				return fmt.Errorf("外来文《%s》: %w", doc.Title, err)
			}
		}
	}
	return nil
}

// walkExternal registers one document and takes up to steps steps on it, in
// one transaction with the clock moved step by step.
func (p *people) walkExternal(ctx context.Context, s *store.Store, rng *rand.Rand, clerk, office, sender string, doc document.Document, at time.Time, steps int, now time.Time) error {
	cal := s.Calendar()
	return s.Write(ctx, func(tx *store.Tx) error {
		clock := inOffice(cal, at)
		if !clock.Before(now) {
			clock = lastInOffice(cal, at)
		}
		tx.SetNow(clock)
		rec, err := tx.RegisterIncoming(ctx, p.byID[clerk], office, doc, sender)
		if err != nil {
			return err
		}
		for range steps {
			clock = afterWorking(cal, clock, time.Duration(1+rng.IntN(8))*30*time.Minute)
			if !clock.Before(now.Add(-30 * time.Minute)) {
				break
			}
			tx.SetNow(clock)
			done, err := p.step(ctx, tx, rng, rec.ID, rec.OrganID)
			if err != nil {
				return err
			}
			if done {
				break
			}
		}
		if steps == 0 {
			return nil
		}
		return p.acknowledge(ctx, tx, rng, rec.ID)
	})
}

// externalBody is the text of a document from the city or the province to a
// district organ.
func externalBody(matter string, t document.DocType, to string) string {
	switch t {
	case document.Letter:
		return fmt.Sprintf(`%[2]s：
为进一步做好%[1]s工作，我们起草了有关工作意见（征求意见稿），现送你单位征求意见。
请认真研究，于收文后10个工作日内将书面意见反馈我单位；无意见的也请书面回复。
联系人：综合科，电话：0571-8800XXXX。`, matter, to)
	case document.Bulletin:
		return fmt.Sprintf(`各区人民政府，市政府各部门：
为推动%[1]s工作落地见效，近期对各地工作情况进行了检查，现将有关情况通报如下。
一、总体情况
各地高度重视，工作总体推进有序。
二、存在的问题
（一）部分地区工作进度滞后。
（二）个别单位台账资料不完善。
三、下一步要求
各地要对照问题清单，逐项整改到位，整改情况于月底前报市政府办公室。`, matter)
	}
	return fmt.Sprintf(`各区人民政府，市政府各部门：
为切实做好%[1]s工作，经市政府同意，现将有关事项通知如下。
一、提高思想认识
各地各部门要充分认识做好%[1]s工作的重要性，切实加强组织领导。
二、突出工作重点
（一）全面排查。对重点领域开展排查，建立问题清单。
（二）限期整改。对排查发现的问题，明确责任人和整改时限。
三、按时报送进展
请于每月20日前将工作进展情况报市政府办公室。`, matter)
}
