package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shuniu-oa/shuniu/internal/access"
	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/proofread"
	"github.com/shuniu-oa/shuniu/internal/store"
)

// The proofreader's settings (校对设置): the deployment's organ names,
// leaders and banned phrases, kept by the office, and the rules switched off,
// kept by the system administrator; stored as one setting and applied with
// Checker.With.

// maxListLines bounds each word list; a deployment's lists are hundreds of
// lines, not hundreds of thousands.
const maxListLines = 5000

// listFields splits a line of a word list at ASCII or full-width bars,
// keeping empty fields ("词语||说明" has no replacement).
func listFields(line string) []string {
	fs := strings.Split(strings.ReplaceAll(line, "｜", "|"), "|")
	for i := range fs {
		fs[i] = strings.TrimSpace(fs[i])
	}
	return fs
}

func listLines(text string) ([]string, error) {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if len(out) > maxListLines {
		return nil, fmt.Errorf("每个词表最多 %d 行", maxListLines)
	}
	return out, nil
}

// parseReplacements reads "错误写法|正确写法|说明" lines (the last two optional).
func parseReplacements(text, what string, needRight bool) ([]proofread.Replacement, error) {
	lines, err := listLines(text)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", what, err)
	}
	var out []proofread.Replacement
	for i, l := range lines {
		fs := listFields(l)
		if len(fs) == 0 || fs[0] == "" || len(fs) > 3 {
			return nil, fmt.Errorf("%s第%d行“%s”格式不对，应为“错误写法|正确写法|说明”", what, i+1, l)
		}
		r := proofread.Replacement{Wrong: fs[0]}
		if len(fs) > 1 {
			r.Right = fs[1]
		}
		if len(fs) > 2 {
			r.Message = fs[2]
		}
		if needRight && r.Right == "" {
			return nil, fmt.Errorf("%s第%d行“%s”缺少正确写法", what, i+1, l)
		}
		if r.Wrong == r.Right {
			return nil, fmt.Errorf("%s第%d行的错误写法与正确写法相同", what, i+1)
		}
		out = append(out, r)
	}
	return out, nil
}

// parseLeaders reads "姓名|职务、职务" lines.
func parseLeaders(text string) ([]proofread.Leader, error) {
	lines, err := listLines(text)
	if err != nil {
		return nil, fmt.Errorf("领导姓名：%w", err)
	}
	var out []proofread.Leader
	for i, l := range lines {
		fs := listFields(l)
		if len(fs) == 0 || len(fs) > 2 || fs[0] == "" || len([]rune(fs[0])) > 10 {
			return nil, fmt.Errorf("领导姓名第%d行“%s”格式不对，应为“姓名|职务、职务”", i+1, l)
		}
		ld := proofread.Leader{Name: fs[0]}
		if len(fs) == 2 {
			for _, t := range strings.FieldsFunc(fs[1], func(r rune) bool { return r == '、' || r == ',' || r == '，' }) {
				if t = strings.TrimSpace(t); t != "" {
					ld.Titles = append(ld.Titles, t)
				}
			}
		}
		out = append(out, ld)
	}
	return out, nil
}

func formatReplacements(rs []proofread.Replacement) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Wrong)
		if r.Right != "" || r.Message != "" {
			b.WriteString("|" + r.Right)
		}
		if r.Message != "" {
			b.WriteString("|" + r.Message)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func formatLeaders(ls []proofread.Leader) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Name)
		if len(l.Titles) > 0 {
			b.WriteString("|" + strings.Join(l.Titles, "、"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// The two parts of the proofreader's setting, each saved by the one who owns
// it: the office director's word lists (access.EditWordLists) and the system
// administrator's rule switches (access.ManageSettings). A save changes only
// its part of the stored proofread.Config, read and written in one
// transaction, so neither undoes the other.

// listsFromForm reads the word-list form: organs, leaders, banned phrases.
func listsFromForm(f url.Values) (proofread.Config, error) {
	var cfg proofread.Config
	var errs []error
	var err error
	if cfg.Organs, err = parseReplacements(f.Get("organs"), "机关名称", true); err != nil {
		errs = append(errs, err)
	}
	if cfg.Leaders, err = parseLeaders(f.Get("leaders")); err != nil {
		errs = append(errs, err)
	}
	if cfg.Banned, err = parseReplacements(f.Get("banned"), "禁用词语", false); err != nil {
		errs = append(errs, err)
	}
	if cfg.Sensitivity, err = parseSensitivity(f.Get("sensitivity")); err != nil {
		errs = append(errs, err)
	}
	return cfg, errors.Join(errs...)
}

// parseSensitivity reads the chosen level of the typo check; the tuned
// default is stored as empty, so that a deployment that never chose follows
// the default.
func parseSensitivity(v string) (proofread.Sensitivity, error) {
	if v == "" || v == string(proofread.SensitivityStandard) {
		return "", nil
	}
	for _, l := range proofread.SensitivityLevels() {
		if string(l.Level) == v {
			return l.Level, nil
		}
	}
	return "", fmt.Errorf("未知的错别字提示灵敏度“%s”", v)
}

// sensitivityOption is a level as the settings page offers it.
type sensitivityOption struct {
	Level, Label, Description, Figures string
}

func sensitivityOptions() []sensitivityOption {
	var out []sensitivityOption
	for _, l := range proofread.SensitivityLevels() {
		out = append(out, sensitivityOption{Level: string(l.Level), Label: l.Label, Description: l.Description,
			Figures: fmt.Sprintf("公文语料实测：查准率 %.1f%%，查全率 %.1f%%，无错句子误报 %.1f%%", 100*l.Precision, 100*l.Recall, 100*l.FalseAlarms)})
	}
	return out
}

// rulesFromForm reads the rule-switch form: the rules and categories off.
func rulesFromForm(f url.Values) (proofread.Config, error) {
	var cfg proofread.Config
	known := map[string]bool{}
	for _, c := range proofread.Categories() {
		known[string(c)] = true
	}
	for _, r := range proofread.Rules() {
		known[r.ID] = true
	}
	var errs []error
	for _, d := range f["disabled"] {
		if !known[d] {
			errs = append(errs, fmt.Errorf("未知的校对规则“%s”", d))
			continue
		}
		if !slices.Contains(cfg.Disabled, d) {
			cfg.Disabled = append(cfg.Disabled, d)
		}
	}
	return cfg, errors.Join(errs...)
}

// proofConfigFromForm reads both parts, as proofConfigForm writes them.
func proofConfigFromForm(f url.Values) (proofread.Config, error) {
	cfg, lerr := listsFromForm(f)
	rules, rerr := rulesFromForm(f)
	cfg.Disabled = rules.Disabled
	return cfg, errors.Join(lerr, rerr)
}

func proofConfigForm(cfg proofread.Config) url.Values {
	sens := string(cfg.Sensitivity)
	if sens == "" {
		sens = string(proofread.SensitivityStandard)
	}
	return url.Values{"organs": {formatReplacements(cfg.Organs)}, "leaders": {formatLeaders(cfg.Leaders)},
		"banned": {formatReplacements(cfg.Banned)}, "sensitivity": {sens}, "disabled": cfg.Disabled}
}

type ruleGroup struct {
	Category string
	Label    string
	Off      bool
	Rules    []ruleOption
}

type ruleOption struct {
	ID, Description string
	Off             bool
}

// offRule is a rule or a whole category switched off, as the office reads it.
type offRule struct {
	ID, Label string
	Whole     bool // a category
}

func ruleGroups(disabled []string) []ruleGroup {
	var out []ruleGroup
	for _, c := range proofread.Categories() {
		g := ruleGroup{Category: string(c), Label: categoryLabels[c], Off: slices.Contains(disabled, string(c))}
		for _, r := range proofread.Rules() {
			if r.Category == c {
				g.Rules = append(g.Rules, ruleOption{ID: r.ID, Description: r.Description, Off: slices.Contains(disabled, r.ID)})
			}
		}
		out = append(out, g)
	}
	return out
}

// proofSettingsPart is one part of the settings page: who may save it, how
// it is read from its form, how it goes over the stored setting, and the
// names of its form fields.
type proofSettingsPart struct {
	action access.Action
	audit  string // the audit entry's action
	read   func(url.Values) (proofread.Config, error)
	apply  func(dst *proofread.Config, src proofread.Config)
	fields []string
}

var (
	proofListsPart = proofSettingsPart{access.EditWordLists, "settings.proofread.lists", listsFromForm,
		func(dst *proofread.Config, src proofread.Config) {
			dst.Organs, dst.Leaders, dst.Banned, dst.Sensitivity = src.Organs, src.Leaders, src.Banned, src.Sensitivity
		},
		[]string{"organs", "leaders", "banned", "sensitivity"}}
	proofRulesPart = proofSettingsPart{access.ManageSettings, "settings.proofread.rules", rulesFromForm,
		func(dst *proofread.Config, src proofread.Config) { dst.Disabled = src.Disabled },
		[]string{"disabled"}}
)

func (srv *Server) proofSettingsPage(w http.ResponseWriter, r *http.Request) {
	if !srv.mayOpenProofSettings(w, r) {
		return
	}
	var cfg proofread.Config
	if _, err := srv.store.Setting(r.Context(), store.ProofreadSettingKey, &cfg); err != nil {
		srv.serverError(w, r, err)
		return
	}
	srv.renderProofSettings(w, r, http.StatusOK, proofConfigForm(cfg), "")
}

// mayOpenProofSettings: the page is for whoever owns one of its parts; the
// other part is shown read-only.
func (srv *Server) mayOpenProofSettings(w http.ResponseWriter, r *http.Request) bool {
	if v := viewerFrom(r.Context()); v.Can(proofListsPart.action) || v.Can(proofRulesPart.action) {
		return true
	}
	srv.refuse(w, r, string(proofListsPart.action), "校对设置仅限办公室主任（词表）和系统管理员（规则开关）")
	return false
}

func (srv *Server) renderProofSettings(w http.ResponseWriter, r *http.Request, status int, form url.Values, errMsg string) {
	v := viewerFrom(r.Context())
	// What the deployment's own model has learnt (schedule.ProofreadSweep);
	// a failure to read it only leaves the line out.
	learnt, err := srv.store.ProofreadModelStats(r.Context())
	if err != nil {
		srv.log.Warn("proofread model stats", "err", err)
	}
	data := struct {
		Groups    []ruleGroup
		Disabled  []offRule // what is switched off, for those who only read the switches
		Levels    []sensitivityOption
		Off       bool
		EditLists bool
		EditRules bool
		Learnt    *store.ProofreadModelStats
	}{Groups: ruleGroups(form["disabled"]), Levels: sensitivityOptions(), Off: srv.opt.Proofreader == nil,
		EditLists: v.Can(proofListsPart.action), EditRules: v.Can(proofRulesPart.action)}
	if err == nil {
		data.Learnt = &learnt
	}
	for _, g := range data.Groups {
		if g.Off {
			data.Disabled = append(data.Disabled, offRule{ID: g.Category, Label: "整类关闭：" + g.Label, Whole: true})
		}
		for _, o := range g.Rules {
			if o.Off {
				data.Disabled = append(data.Disabled, offRule{ID: o.ID, Label: o.Description})
			}
		}
	}
	srv.render(w, r, status, "proofread_settings", pageData{Title: "校对设置", Nav: "proofread", Data: data, Form: form, Error: errMsg})
}

func (srv *Server) proofListsSave(w http.ResponseWriter, r *http.Request) {
	srv.proofSettingsSave(w, r, proofListsPart)
}

func (srv *Server) proofRulesSave(w http.ResponseWriter, r *http.Request) {
	srv.proofSettingsSave(w, r, proofRulesPart)
}

// proofSettingsSave saves one part: the posted fields over the stored
// setting, read and written in one transaction, audited with before and
// after. The other part, and any field no form shows, is kept as stored.
func (srv *Server) proofSettingsSave(w http.ResponseWriter, r *http.Request, part proofSettingsPart) {
	if !srv.authorize(w, r, part.action, access.Object{}) {
		return
	}
	ctx := r.Context()
	v := viewerFrom(ctx)
	posted, err := part.read(r.PostForm)
	if err == nil && srv.opt.Proofreader != nil {
		if _, werr := srv.opt.Proofreader.With(posted); werr != nil {
			err = fmt.Errorf("词表无效：%w", werr)
		}
	}
	write := func() error {
		return srv.store.Write(ctx, func(tx *store.Tx) error {
			// Held to the end: a save of the other part waits for this one
			// and then reads it, on every store.
			var old proofread.Config
			if _, err := tx.SettingForUpdate(ctx, store.ProofreadSettingKey, &old); err != nil {
				return err
			}
			cfg := old
			part.apply(&cfg, posted)
			if err := tx.PutSetting(ctx, store.ProofreadSettingKey, cfg); err != nil {
				return err
			}
			return tx.Audit(ctx, audit.Event{ActorID: v.Person.ID, ActorName: v.Person.Name, Action: part.audit, ObjectKind: "settings",
				ObjectID: store.ProofreadSettingKey, IP: clientIP(r), Detail: fmt.Sprintf(`{"before":%s,"after":%s}`, jsonDetail(old), jsonDetail(cfg))})
		})
	}
	if err == nil {
		err = write()
	}
	if err != nil {
		if isInternal(err) {
			srv.serverError(w, r, err)
			return
		}
		// Show what was posted for this part, and the other part as stored.
		var stored proofread.Config
		if _, serr := srv.store.Setting(ctx, store.ProofreadSettingKey, &stored); serr != nil {
			srv.serverError(w, r, serr)
			return
		}
		form := proofConfigForm(stored)
		for _, f := range part.fields {
			form[f] = r.PostForm[f]
		}
		srv.renderProofSettings(w, r, http.StatusUnprocessableEntity, form, userMessage(err))
		return
	}
	http.Redirect(w, r, "/settings/proofread?notice=saved", http.StatusSeeOther)
}
