package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shuniu-oa/shuniu/internal/audit"
	"github.com/shuniu-oa/shuniu/internal/document"
	"github.com/shuniu-oa/shuniu/internal/org"
	"github.com/shuniu-oa/shuniu/internal/route"
	"github.com/shuniu-oa/shuniu/internal/uid"
)

// engine returns the route engine with the calendar in force.
func (s *Store) engine() route.Engine {
	return route.Engine{Calendar: s.Calendar()}
}

// organOf and officeOf are the organisation's rules (org.OrganOf, org.OfficeOf).
func organOf(units map[string]org.Unit, id string) string { return org.OrganOf(units, id) }

func officeOf(units map[string]org.Unit, id string) string { return org.OfficeOf(units, id) }

func (c conn) unitMap(ctx context.Context) (map[string]org.Unit, error) {
	us, err := c.Units(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]org.Unit, len(us))
	for _, u := range us {
		m[u.ID] = u
	}
	return m, nil
}

// routeRoles maps an org role in a unit to the route roles it grants there.
var routeRoles = map[org.Role][]string{
	org.RoleClerk:             {route.RoleOfficeClerk, route.RoleOfficeReviewer, route.RoleArchivist},
	org.RoleOfficeDirector:    {route.RoleOfficeHead, route.RoleOfficeReviewer},
	org.RoleConfidentialClerk: {route.RoleOfficeClerk, route.RoleArchivist},
	org.RoleSupervisor:        {route.RoleSupervisor},
}

// principalQuery reads in one statement what principal needs: the person's
// positions in order, each followed by the organ its unit belongs to (walking
// up past sections), then their roles, then the units they oversee (分管).
// Rows: group, order, sub-order, name, unit, flag.
const principalQuery = `WITH RECURSIVE pos(n, unit_id, head) AS (
		SELECT ROW_NUMBER() OVER (ORDER BY is_primary DESC, sort, id), unit_id, is_head FROM positions WHERE person_id = ?
	), up(n, id, kind, parent, depth) AS (
		SELECT pos.n, u.id, u.kind, COALESCE(u.parent_id, ''), 0 FROM pos JOIN units u ON u.id = pos.unit_id
		UNION ALL
		SELECT up.n, u.id, u.kind, COALESCE(u.parent_id, ''), up.depth + 1 FROM up JOIN units u ON u.id = up.parent
		WHERE up.kind = 'section' AND up.parent <> '' AND up.depth < 16
	)
	SELECT 0 AS g, n, 0 AS sub, '' AS name, unit_id, head FROM pos
	UNION ALL SELECT 0, n, 1, '', id, 0 FROM up WHERE kind <> 'section' OR parent = ''
	UNION ALL SELECT 1, 0, 0, role, unit_id, 0 FROM role_assignments WHERE person_id = ?
	UNION ALL SELECT 2, 0, 0, '', unit_id, 0 FROM oversight WHERE leader_id = ?
	ORDER BY 1, 2, 3, 4, 5`

// principal builds what the route engine needs to know about a person: the
// units they are in, the route roles their org roles grant, and the units they
// lead (posts marked as head, 分管 units, units where they hold the leader role).
// One statement: it runs on every route operation; within a group-commit
// batch it is read once per person.
func (c conn) principal(ctx context.Context, personID string) (route.Principal, error) {
	if b := c.batch; b != nil {
		if p, ok := b.principals[personID]; ok {
			return p, nil
		}
	} else if c.pc != nil {
		// Outside a write batch: the store's cache, if the organisation has
		// not changed since the principal was read (one primary-key read).
		return c.pc.get(ctx, c, personID)
	}
	p, err := c.readPrincipal(ctx, personID)
	if err != nil {
		return p, err
	}
	if b := c.batch; b != nil {
		if b.principals == nil {
			b.principals = map[string]route.Principal{}
		}
		// Handed out by value to the engine, which only reads it.
		b.principals[personID] = p
	}
	return p, nil
}

// principalCache keeps the principals read outside writes, each valid while
// the organisation's revision (org_rev) is the one it was read under. Every
// write to units, positions, roles or 分管 replaces the revision in the same
// transaction (Tx.orgChanged), so a principal is never used after a change
// committed on any server: the cache saves the reading, not the checking.
type principalCache struct {
	mu  sync.Mutex
	rev string
	m   map[string]route.Principal
}

func (pc *principalCache) get(ctx context.Context, c conn, personID string) (route.Principal, error) {
	var rev string
	if err := c.queryRow(ctx, `SELECT rev FROM org_rev WHERE id = 1`).Scan(&rev); err != nil {
		return route.Principal{}, fmt.Errorf("read the organisation's revision: %w", err)
	}
	pc.mu.Lock()
	if pc.rev == rev {
		if p, ok := pc.m[personID]; ok {
			pc.mu.Unlock()
			return p, nil
		}
	}
	pc.mu.Unlock()
	// Read after the revision: what is read is at least as new as rev.
	p, err := c.readPrincipal(ctx, personID)
	if err != nil {
		return p, err
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.rev != rev {
		pc.rev, pc.m = rev, map[string]route.Principal{}
	}
	if len(pc.m) < 10000 { // a bound, not an eviction policy: the organisation is small
		pc.m[personID] = p
	}
	return p, nil
}

func (c conn) readPrincipal(ctx context.Context, personID string) (route.Principal, error) {
	p := route.Principal{ID: personID}
	add := func(list *[]string, id string) {
		if id != "" && !slices.Contains(*list, id) {
			*list = append(*list, id)
		}
	}
	rows, err := c.query(ctx, principalQuery, personID, personID, personID)
	if err != nil {
		return p, fmt.Errorf("read principal: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g, n, sub, flag int64
		var name, unit string
		if err := rows.Scan(&g, &n, &sub, &name, &unit, &flag); err != nil {
			return p, fmt.Errorf("read principal: %w", err)
		}
		switch g {
		case 0: // a position's unit, then its organ
			add(&p.Units, unit)
			if sub == 0 && flag == 1 {
				add(&p.Leads, unit)
			}
		case 1: // a role
			r := org.Role(name)
			if r.Admin() {
				continue
			}
			add(&p.Units, unit)
			if r == org.RoleLeader {
				add(&p.Leads, unit)
			}
			for _, rr := range routeRoles[r] {
				p.Roles = append(p.Roles, route.RoleGrant{Role: rr, Unit: unit})
			}
		case 2: // 分管
			add(&p.Leads, unit)
		}
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("read principal: %w", err)
	}
	return p, nil
}

// Actor builds the route actor for a person at time at, with the principals of
// the leaders who have delegated to them and whose delegation is in force.
func (c conn) Actor(ctx context.Context, personID string, at time.Time) (route.Actor, error) {
	p, err := c.principal(ctx, personID)
	if err != nil {
		return route.Actor{}, err
	}
	a := route.Actor{Principal: p}
	// Latest first, as Delegations lists them.
	from, err := c.queryStrings(ctx, `SELECT from_id FROM delegations WHERE to_id = ? AND starts_at <= ? AND ends_at > ? ORDER BY starts_at DESC`,
		personID, ts(at), ts(at))
	if err != nil {
		return a, fmt.Errorf("read delegations: %w", err)
	}
	for _, id := range from {
		dp, err := c.principal(ctx, id)
		if err != nil {
			return a, err
		}
		a.Delegations = append(a.Delegations, dp)
	}
	return a, nil
}

// NewOutgoing is a draft to start on the 发文 route.
type NewOutgoing struct {
	UnitID string            // drafting unit
	Doc    document.Document // the draft
	To, CC []string          // unit IDs of 主送 and 抄送
	// IssuerID is the organ in whose name it is drafted (以…名义): one of
	// document.Issuers of the drafting unit; "" for the unit's own organ.
	IssuerID string
	// CoIssuers are the organs issuing it jointly with IssuerID (联合发文),
	// in order; each must countersign.
	CoIssuers []string
	// FromStep starts the route at that step of the office's template, for
	// a document whose earlier steps happened elsewhere (an information
	// issue, approved by its editors, starts at 分发); "" from the start.
	FromStep string
	// Number is the number it already carries (an issue's 2026年第3期).
	Number string
}

// CreateOutgoing stores a new draft and starts its 发文 route, in one transaction.
func (s *Store) CreateOutgoing(ctx context.Context, by org.Person, n NewOutgoing) (DocRecord, error) {
	var rec DocRecord
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		rec, err = tx.CreateOutgoing(ctx, by, n)
		return err
	})
	return rec, err
}

// CreateOutgoing is Store.CreateOutgoing inside a transaction.
func (tx *Tx) CreateOutgoing(ctx context.Context, by org.Person, n NewOutgoing) (DocRecord, error) {
	var rec DocRecord
	err := func() error {
		units, err := tx.unitMap(ctx)
		if err != nil {
			return err
		}
		unit, ok := units[n.UnitID]
		if !ok {
			return errors.New("起草单位不存在")
		}
		if strings.TrimSpace(n.Doc.Title) == "" {
			return errors.New("请填写标题")
		}
		if _, ok := document.RuleFor(n.Doc.Type); !ok {
			return fmt.Errorf("未知文种“%s”", n.Doc.Type)
		}
		if err := n.Doc.Classification.Validate(); err != nil {
			return err
		}
		if org.Classification(n.Doc.Classification.Level) > by.Clearance {
			return errors.New("您的涉密等级低于所选密级，不能起草该文件")
		}
		organ := units[organOf(units, unit.ID)]
		issuers := document.Issuers(units, unit.ID)
		if n.IssuerID == "" {
			n.IssuerID = organ.ID
		}
		if !slices.Contains(issuers, n.IssuerID) {
			name := n.IssuerID
			if u, ok := units[n.IssuerID]; ok {
				name = u.Name
			}
			return fmt.Errorf("%s不能以%s的名义起草公文", unit.Name, name)
		}
		issuer := units[n.IssuerID]
		var rs []Recipient
		n.Doc.To, n.Doc.CC = nil, nil
		for kind, ids := range map[string][]string{"to": n.To, "cc": n.CC} {
			for _, id := range ids {
				u, ok := units[id]
				if !ok {
					return errors.New("主送或抄送单位不存在")
				}
				rs = append(rs, Recipient{UnitID: id, Kind: kind})
				if kind == "to" {
					n.Doc.To = append(n.Doc.To, u.Name)
				} else {
					n.Doc.CC = append(n.Doc.CC, u.Name)
				}
			}
		}
		slices.SortFunc(rs, func(a, b Recipient) int { return strings.Compare(b.Kind+a.UnitID, a.Kind+b.UnitID) })
		n.Doc.ID = uid.New()
		if len(n.CoIssuers) > 0 {
			if n.Doc.IssuerMark, n.Doc.Signatures, err = document.JointIssue(units, issuer.ID, n.CoIssuers); err != nil {
				return err
			}
		}
		if n.Doc.IssuerMark == "" {
			n.Doc.IssuerMark = issuer.Name + "文件"
		}
		if len(n.Doc.Signatures) == 0 {
			n.Doc.Signatures = []string{issuer.Name}
		}
		now := tx.now
		tmpl, _, err := tx.RouteTemplate(ctx, organ.ID, Outgoing)
		if err != nil {
			return err
		}
		if n.FromStep != "" {
			if tmpl, err = tmpl.From(n.FromStep); err != nil {
				return err
			}
		}
		// The drafting organ's office runs the route; the organ in whose
		// name it goes signs it off, by the leader the rules name.
		scope := map[string]string{route.ScopeUnit: unit.ID, route.ScopeOffice: organ.ID, route.ScopeOrgan: issuer.ID}
		if len(n.CoIssuers) > 0 {
			scope[document.JointScope] = strings.Join(n.CoIssuers, ",")
		}
		if issuer.ID != organ.ID {
			signer, err := tx.signerFor(ctx, n, units)
			if err != nil {
				return err
			}
			if signer != "" {
				scope[route.AssignScope(document.StepSignOff)] = signer
			}
		}
		in, events, err := tx.s.engine().Start(tmpl, route.StartOptions{ID: n.Doc.ID, Starter: by.ID, Scope: scope}, now)
		if err != nil {
			return err
		}
		rec = DocRecord{ID: n.Doc.ID, Direction: Outgoing, UnitID: unit.ID, OrganID: organ.ID, Doc: n.Doc, Step: stepName(in),
			Status: in.Status, Version: 1, CreatedBy: by.ID, CreatedAt: now, UpdatedAt: now, DocNumber: n.Number}
		if err := tx.putDocument(ctx, rec, true, 0); err != nil {
			return err
		}
		if err := tx.addVersion(ctx, rec.ID, document.Version{N: 1, Doc: n.Doc, Author: by.ID, At: now, Note: "起草"}); err != nil {
			return err
		}
		if err := tx.setRecipients(ctx, rec.ID, rs); err != nil {
			return err
		}
		if err := tx.saveInstance(ctx, in, -1, events); err != nil {
			return err
		}
		if err := tx.addParticipant(ctx, rec.ID, by.ID, now); err != nil {
			return err
		}
		detail := map[string]any{"type": n.Doc.Type, "unit": unit.ShortName}
		if issuer.ID != organ.ID {
			detail["in_name_of"] = issuer.ShortName
		}
		if len(n.CoIssuers) > 0 {
			detail["joint"] = n.Doc.Signatures
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.create", ObjectKind: "document", ObjectID: rec.ID,
			Detail: jsonString(withTitle(detail, n.Doc))})
	}()
	return rec, err
}

// signerFor reads what document.SignerFor needs: the issuing organ's posts
// and the 分管 of the district.
func (tx *Tx) signerFor(ctx context.Context, n NewOutgoing, units map[string]org.Unit) (string, error) {
	ps, err := tx.UnitPositions(ctx, n.IssuerID)
	if err != nil {
		return "", err
	}
	ov, err := tx.Oversight(ctx)
	if err != nil {
		return "", err
	}
	return document.SignerFor(document.Signing{Doc: n.Doc, Issuer: n.IssuerID, Drafting: n.UnitID, To: n.To, Units: units,
		Positions: ps, Oversight: ov}), nil
}

// IssuerOf is the organ in whose name a document is issued: the route's
// signing organ (an office may draft in the name of the organ it serves),
// else the document's own organ.
func IssuerOf(rec DocRecord, in route.Instance) string {
	if id := in.Scope[route.ScopeOrgan]; id != "" && rec.Direction == Outgoing {
		return id
	}
	return rec.OrganID
}

func stepName(in route.Instance) string {
	if in.Status == route.Done {
		return "已办结"
	}
	return in.CurrentStep().Name
}

// SaveDraft stores a new version of a document's content. Only someone who
// holds an open task on it may edit; 批注 follow the text to the new version.
func (s *Store) SaveDraft(ctx context.Context, by org.Person, docID string, doc document.Document, note string) (int, error) {
	var n int
	err := s.Write(ctx, func(tx *Tx) (err error) {
		n, err = tx.saveDraft(ctx, by, docID, doc, note, -1)
		return err
	})
	return n, err
}

// SaveDraftFrom is SaveDraft from version base: if the document is no
// longer at it (someone saved meanwhile), nothing is saved and the error is
// ErrModified. The editor and the API send the version they started from.
func (s *Store) SaveDraftFrom(ctx context.Context, by org.Person, docID string, base int, doc document.Document, note string) (int, error) {
	if base < 0 {
		return 0, errors.New("缺少文稿版本")
	}
	var n int
	err := s.Write(ctx, func(tx *Tx) (err error) {
		n, err = tx.saveDraft(ctx, by, docID, doc, note, base)
		return err
	})
	return n, err
}

// saveDraft is SaveDraft in a transaction; when base is not negative, the
// document must still be at that version (else ErrModified).
func (tx *Tx) saveDraft(ctx context.Context, by org.Person, docID string, doc document.Document, note string, base int) (int, error) {
	rec, err := tx.documentForUpdate(ctx, docID)
	if err != nil {
		return 0, err
	}
	if err := tx.refuseArchived(ctx, docID, "修改文稿"); err != nil {
		return 0, err
	}
	if base >= 0 && rec.Version != base {
		return 0, ErrModified
	}
	in, err := tx.Instance(ctx, docID)
	if err != nil {
		return 0, err
	}
	actor, err := tx.Actor(ctx, by.ID, tx.now)
	if err != nil {
		return 0, err
	}
	if in.Status != route.Active || !holdsTask(in, actor) {
		return 0, errors.New("只有当前办理人可以修改文稿")
	}
	if strings.TrimSpace(doc.Title) == "" {
		return 0, errors.New("请填写标题")
	}
	if doc.Classification != rec.Doc.Classification {
		return 0, ErrMarkingBySave
	}
	// Elements the office sets stay as they are.
	doc.ID, doc.Number, doc.To, doc.CC, doc.Signers, doc.Date, doc.PrintDate =
		rec.Doc.ID, rec.Doc.Number, rec.Doc.To, rec.Doc.CC, rec.Doc.Signers, rec.Doc.Date, rec.Doc.PrintDate
	oldText := rec.Doc.Text()
	prev := rec.Version
	rec.Doc, rec.Version, rec.UpdatedAt = doc, rec.Version+1, tx.now
	n := rec.Version
	if err := tx.putDocument(ctx, rec, false, prev); err != nil {
		return 0, err
	}
	if err := tx.addVersion(ctx, docID, document.Version{N: n, Doc: doc, Author: by.ID, At: tx.now, Note: note}); err != nil {
		return 0, err
	}
	anns, err := tx.Annotations(ctx, docID)
	if err != nil {
		return 0, err
	}
	newText := doc.Text()
	edits := document.Diff(oldText, newText)
	for _, a := range anns {
		if err := tx.putAnnotation(ctx, docID, document.CarryForward(a, edits, n, newText)); err != nil {
			return 0, err
		}
	}
	if err := tx.addParticipant(ctx, docID, by.ID, tx.now); err != nil {
		return 0, err
	}
	if err := tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.save", ObjectKind: "document", ObjectID: docID,
		Detail: jsonString(map[string]any{"version": n, "note": note})}); err != nil {
		return 0, err
	}
	return n, nil
}

// ErrMarkingBySave refuses a save that would change the 密级 or the 保密期限:
// they change only through Classify.
var ErrMarkingBySave = errors.New("密级和保密期限不能在修改文稿时改变，请由本机关定密责任人通过“变更密级”办理")

// Classify sets a document's marking — 定密, 变更密级 or 解密 — as an
// operation of its own; whether by may is the caller's access decision
// (access.Classify: the organ's 定密责任人, within their clearance, which the
// store checks again). It makes a new version with the new marking and the
// text as it stands, from version base (else ErrModified), and audits the old
// and the new marking with the stated basis; earlier versions keep theirs.
// An incoming document's marking is its sender's to change, so Classify
// takes outgoing documents; the copies it was distributed as within the
// deployment take the new marking with it, each a new version, audited.
func (s *Store) Classify(ctx context.Context, by org.Person, docID string, base int, to document.Classification, basis string) (DocRecord, error) {
	var rec DocRecord
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		rec, err = tx.documentForUpdate(ctx, docID)
		if err != nil {
			return err
		}
		if err := tx.refuseArchived(ctx, docID, "变更密级"); err != nil {
			return err
		}
		if rec.Version != base {
			return ErrModified
		}
		if rec.Direction != Outgoing {
			return errors.New("收文的密级由来文机关确定，本机关不能变更；如有疑问，请商来文机关")
		}
		from := rec.Doc.Classification
		if err := document.Reclassify(from, to, basis); err != nil {
			return err
		}
		if top := org.Classification(max(from.Level, to.Level)); top > by.Clearance {
			return fmt.Errorf("您的涉密等级（%s）低于%s，不能办理", by.Clearance.Label(), top.Label())
		}
		basis = strings.TrimSpace(basis)
		if err := tx.setMarking(ctx, by, &rec, to, basis, ""); err != nil {
			return err
		}
		if err := tx.addParticipant(ctx, rec.ID, by.ID, tx.now); err != nil {
			return err
		}
		copies, err := tx.IncomingFrom(ctx, rec.ID)
		if err != nil {
			return err
		}
		for _, c := range copies {
			if err := tx.lockDocument(ctx, c.ID); err != nil {
				return err
			}
			if c, err = tx.Document(ctx, c.ID); err != nil {
				return err
			}
			if c.Doc.Classification == to {
				continue
			}
			if err := tx.refuseArchived(ctx, c.ID, ""); err != nil {
				// A copy its receiver has archived stays as filed; the
				// receiver's archives change it by their own procedure.
				if errors.Is(err, ErrArchived) {
					continue
				}
				return err
			}
			if err := tx.setMarking(ctx, by, &c, to, basis, rec.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return rec, err
}

// markingLabel is a marking as the audit trail and the version notes say it.
func markingLabel(c document.Classification) string {
	if s := c.String(); s != "" {
		return s
	}
	return "非密"
}

// setMarking gives rec the marking to as a new version, with its audit
// entry; source is the outgoing document whose change a copy follows.
func (tx *Tx) setMarking(ctx context.Context, by org.Person, rec *DocRecord, to document.Classification, basis, source string) error {
	from := rec.Doc.Classification
	kind := document.ClassifyKind(from, to)
	note := kind + "：" + markingLabel(from) + "→" + markingLabel(to) + "（" + basis + "）"
	if source != "" {
		note = "来文机关" + note
	}
	if to.Level != document.Unclassified {
		// 定密 or a raise: the text of its files leaves the database, and
		// the entry is rewritten without it, both wiped (search_kinds.go).
		done, err := tx.wipeDeleted(ctx)
		if err != nil {
			return err
		}
		defer done()
		if err := tx.forgetAttachmentTexts(ctx, rec.ID); err != nil {
			return err
		}
	}
	prev := rec.Version
	rec.Doc.Classification, rec.Version, rec.UpdatedAt = to, rec.Version+1, tx.now
	if err := tx.putDocument(ctx, *rec, false, prev); err != nil {
		return err
	}
	if err := tx.addVersion(ctx, rec.ID, document.Version{N: rec.Version, Doc: rec.Doc, Author: by.ID, At: tx.now, Note: note}); err != nil {
		return err
	}
	// The 批注 follow to the new version (the text is the same), so that
	// what they quote is read at its level.
	anns, err := tx.Annotations(ctx, rec.ID)
	if err != nil {
		return err
	}
	text := rec.Doc.Text()
	same := document.Diff(text, text)
	for _, a := range anns {
		if err := tx.putAnnotation(ctx, rec.ID, document.CarryForward(a, same, rec.Version, text)); err != nil {
			return err
		}
	}
	action := map[string]string{"定密": "document.classify", "解密": "document.declassify"}[kind]
	if action == "" {
		action = "document.reclassify"
	}
	detail := map[string]any{"from": markingLabel(from), "to": markingLabel(to), "from_level": int(from.Level), "to_level": int(to.Level),
		"basis": basis, "version": rec.Version}
	if source != "" {
		detail["source"] = source
	}
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: action, ObjectKind: "document", ObjectID: rec.ID, Detail: jsonString(detail)})
}

// Annotate adds a 批注 on a rune range of the current version.
func (s *Store) Annotate(ctx context.Context, by org.Person, docID string, start, end int, comment string) (document.Annotation, error) {
	var a document.Annotation
	err := s.Write(ctx, func(tx *Tx) error {
		// Held, so that a version saved at the same time carries this 批注
		// forward or comes after it.
		rec, err := tx.documentForUpdate(ctx, docID)
		if err != nil {
			return err
		}
		if err := tx.refuseArchived(ctx, docID, "批注"); err != nil {
			return err
		}
		a, err = document.Annotate(uid.New(), rec.Version, rec.Doc.Text(), start, end, by.ID, comment, tx.now)
		if err != nil {
			return err
		}
		if err := tx.putAnnotation(ctx, docID, a); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.annotate", ObjectKind: "document", ObjectID: docID,
			Detail: jsonString(map[string]any{"quote": a.Quote, "comment": comment})})
	})
	return a, err
}

// ResolveAnnotation marks a 批注 resolved.
func (s *Store) ResolveAnnotation(ctx context.Context, by org.Person, docID, id string) error {
	return s.Write(ctx, func(tx *Tx) error {
		if err := tx.lockDocument(ctx, docID); err != nil {
			return err
		}
		if err := tx.refuseArchived(ctx, docID, "处理批注"); err != nil {
			return err
		}
		anns, err := tx.Annotations(ctx, docID)
		if err != nil {
			return err
		}
		for _, a := range anns {
			if a.ID == id {
				r, err := a.Resolve(by.ID, tx.now)
				if err != nil {
					return err
				}
				if err := tx.putAnnotation(ctx, docID, r); err != nil {
					return err
				}
				return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.annotation.resolve", ObjectKind: "document", ObjectID: docID})
			}
		}
		return fmt.Errorf("批注不存在: %w", ErrNotFound)
	})
}

// holdsTask reports whether the actor (or a leader delegating to them) holds
// an open task of the instance.
func holdsTask(in route.Instance, a route.Actor) bool {
	for _, t := range in.OpenTasks() {
		if matches(t.Assignee, a.Principal, in.Starter) {
			return true
		}
		for _, d := range a.Delegations {
			if matches(t.Assignee, d, in.Starter) {
				return true
			}
		}
	}
	return false
}

func matches(as route.Assignee, p route.Principal, starter string) bool {
	switch as.Kind {
	case route.Person:
		return as.Person == p.ID
	case route.Starter:
		return starter == p.ID
	case route.Role:
		return slices.Contains(p.Roles, route.RoleGrant{Role: as.Role, Unit: as.Unit})
	case route.Leader:
		return slices.Contains(p.Leads, as.Unit)
	case route.Unit:
		return slices.Contains(p.Units, as.Unit)
	}
	return false
}

// Act applies one route operation to a document and its consequences — the
// 发文字号 at 编号, the 签发 record, the 印发 date, the incoming items at 分发,
// the 收文编号 at 登记 — all in one transaction with the audit entry.
//
// On SQLite the common operation — one that only moves the route — is
// prepared outside the write (read, apply the engine, encode) and only checked
// and written inside it, so that the one writer's serial work per operation is
// small: the write proceeds only if the route, the document's version and the
// actor read inside the transaction are what the preparation saw, else the
// operation runs again wholly inside the transaction. (PostgreSQL runs
// transactions side by side; there the extra statements would only cost.)
func (s *Store) Act(ctx context.Context, by org.Person, docID string, req route.Request) (DocRecord, error) {
	var rec DocRecord
	if s.dialect == SQLite {
		if pre, ok := s.prepareAct(ctx, by, docID, req); ok {
			err := s.Write(ctx, func(tx *Tx) error {
				var err error
				rec, err = tx.actPrepared(ctx, by, pre)
				return err
			})
			if !errors.Is(err, errPrepared) {
				return rec, err
			}
		}
	}
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		rec, err = tx.Act(ctx, by, docID, req)
		return err
	})
	return rec, err
}

// errPrepared says that a prepared operation no longer fits the database.
var errPrepared = errors.New("prepared route operation is stale")

// preparedAct is a route operation worked out from committed state.
type preparedAct struct {
	rec     DocRecord // as it will be written
	version int       // the document's version it was read at
	prevSeq int       // the route's sequence it was read at
	actor   route.Actor
	route   encodedRoute
	audit   audit.Event
	now     time.Time
	notes   *string // the route's comments when this operation adds one (for search)
}

// prepareAct works an operation out from committed state; ok is false when
// it must run inside the transaction instead: anything refused (the
// transaction gives the authoritative answer), a step whose finishing does
// more than move the route (finishEffects), a number to void, or a route
// state still carrying its template.
func (s *Store) prepareAct(ctx context.Context, by org.Person, docID string, req route.Request) (preparedAct, bool) {
	now := s.now()
	rec, in, err := s.documentAndRoute(ctx, docID)
	if err != nil || in.TemplateRef == "" {
		return preparedAct{}, false
	}
	actor, err := s.Actor(ctx, by.ID, now)
	if err != nil {
		return preparedAct{}, false
	}
	var stepKey string
	if t, ok := in.Task(req.Task); ok && t.Step < len(in.Template.Steps) {
		stepKey = in.Template.Steps[t.Step].Key
	}
	next, events, err := s.engine().Apply(in, actor, req, now)
	if err != nil {
		return preparedAct{}, false
	}
	finished := (req.Op == route.Approve || req.Op == route.Disagree) && taskStatus(next, req.Task) == route.Finished
	// A check with nothing to check (核稿 of a document issued alone) keeps
	// the prepared path.
	if key := rec.Direction + "/" + stepKey; finished && finishEffects[key] && !(finishChecksOnly[key] && in.Scope[document.JointScope] == "") {
		return preparedAct{}, false
	}
	if req.Op == route.Return && rec.Direction == Outgoing && rec.Doc.Number != nil && returnedBeforeNumber(next) {
		return preparedAct{}, false
	}
	// An opinion to sign is signed inside the transaction (opinion.go).
	if s.master != nil && len(opinionTasks(next, events)) > 0 {
		return preparedAct{}, false
	}
	enc, err := encodeRoute(next, events)
	if err != nil {
		return preparedAct{}, false
	}
	pre := preparedAct{version: rec.Version, prevSeq: in.Seq, actor: actor, route: enc, now: now,
		audit: audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document." + string(req.Op), ObjectKind: "document", ObjectID: docID,
			Detail: jsonString(map[string]any{"step": stepKey, "task": req.Task, "comment": req.Comment, "on_behalf_of": req.OnBehalfOf})}}
	rec.Step, rec.Status, rec.UpdatedAt = stepName(next), next.Status, now
	if next.Status == route.Done && rec.ClosedAt.IsZero() {
		rec.ClosedAt = now
	}
	if req.Comment != "" {
		notes := routeNotes(next)
		pre.notes = &notes
	}
	pre.rec = rec
	return pre, true
}

// actPrepared writes a prepared operation after checking, inside the
// transaction, that it still fits: the same actor, document version and
// route sequence. It returns errPrepared (rolling back) when not.
func (tx *Tx) actPrepared(ctx context.Context, by org.Person, pre preparedAct) (DocRecord, error) {
	tx.now = pre.now // the times the preparation stamped
	actor, err := tx.Actor(ctx, by.ID, pre.now)
	if err != nil {
		return pre.rec, err
	}
	if !reflect.DeepEqual(actor, pre.actor) {
		return pre.rec, errPrepared
	}
	d := pre.rec
	res, err := tx.exec(ctx, `UPDATE documents SET step = ?, status = ?, updated_at = ?, closed_at = ? WHERE id = ? AND version = ?`,
		d.Step, string(d.Status), ts(d.UpdatedAt), ts(d.ClosedAt), d.ID, pre.version)
	if err != nil {
		return d, fmt.Errorf("save document: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return d, errPrepared
	}
	if pre.notes != nil {
		err = tx.indexDocument(ctx, d, pre.notes)
	} else {
		err = tx.indexDocumentState(ctx, d)
	}
	if err != nil {
		return d, err
	}
	if err := tx.writeRoute(ctx, pre.route, pre.prevSeq); err != nil {
		if errors.Is(err, ErrStale) {
			return d, errPrepared
		}
		return d, err
	}
	if err := tx.addParticipant(ctx, d.ID, by.ID, tx.now); err != nil {
		return d, err
	}
	return d, tx.Audit(ctx, pre.audit)
}

// Act is Store.Act inside a transaction.
func (tx *Tx) Act(ctx context.Context, by org.Person, docID string, req route.Request) (DocRecord, error) {
	return tx.act(ctx, by, docID, req, nil)
}

// IssuedText is the 版式 text of an outgoing document as issued — the PDF
// and OFD the layout engine made of version Version — stored in the file
// store and recorded with the document when it is distributed, so that
// every copy carries it.
type IssuedText struct {
	Version int
	Files   []DocFile
}

// ActIssuing is Act for the 分发 step with the issued text: the text is
// recorded against the document and carried by every copy, in the one
// transaction. If the document is no longer at issued.Version the
// operation is refused with ErrModified (the text would not be what is sent).
func (s *Store) ActIssuing(ctx context.Context, by org.Person, docID string, req route.Request, issued IssuedText) (DocRecord, error) {
	var rec DocRecord
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		rec, err = tx.act(ctx, by, docID, req, &issued)
		return err
	})
	return rec, err
}

func (tx *Tx) act(ctx context.Context, by org.Person, docID string, req route.Request, issued *IssuedText) (DocRecord, error) {
	var rec DocRecord
	err := func() error {
		// On PostgreSQL, operations on one document wait for each other
		// rather than all but one failing on the route's sequence: two
		// countersigning units approving at once both go through.
		if err := tx.lockDocument(ctx, docID); err != nil {
			return err
		}
		var in route.Instance
		var err error
		rec, in, err = tx.documentAndRoute(ctx, docID)
		if err != nil {
			return err
		}
		if in.Status == route.Done {
			// Only a finished route can have been archived.
			if err := tx.refuseArchived(ctx, docID, "办理"); err != nil {
				return err
			}
		}
		actor, err := tx.Actor(ctx, by.ID, tx.now)
		if err != nil {
			return err
		}
		var stepKey string
		if t, ok := in.Task(req.Task); ok && t.Step < len(in.Template.Steps) {
			stepKey = in.Template.Steps[t.Step].Key
		}
		next, events, err := tx.s.engine().Apply(in, actor, req, tx.now)
		if err != nil {
			return err
		}
		finished := (req.Op == route.Approve || req.Op == route.Disagree) && taskStatus(next, req.Task) == route.Finished
		// Only a step's consequences (onFinish, voidNumber) touch the 公文
		// itself; most operations change just where it stands.
		contentChanged := finished && finishEffects[rec.Direction+"/"+stepKey] && !finishChecksOnly[rec.Direction+"/"+stepKey]
		if issued != nil && finished && rec.Direction == Outgoing && stepKey == document.StepDistribute {
			if issued.Version != rec.Version {
				return ErrModified
			}
		} else {
			issued = nil
		}
		if finished {
			if err := tx.onFinish(ctx, by, &rec, next, stepKey, req, issued); err != nil {
				return err
			}
		}
		if req.Op == route.Return && rec.Direction == Outgoing && rec.Doc.Number != nil && returnedBeforeNumber(next) {
			if err := tx.voidNumber(ctx, by, &rec, "退回重办："+req.Comment); err != nil {
				return err
			}
			contentChanged = true
		}
		rec.Step, rec.Status, rec.UpdatedAt = stepName(next), next.Status, tx.now
		if next.Status == route.Done && rec.ClosedAt.IsZero() {
			rec.ClosedAt = tx.now
		}
		if finished && stepKey == stepArchive && next.Status == route.Done {
			rec.Step = "已归档"
		}
		if contentChanged {
			err = tx.putDocument(ctx, rec, false, rec.Version)
		} else {
			err = tx.putDocumentState(ctx, rec)
		}
		if err != nil {
			return err
		}
		if err := tx.saveInstance(ctx, next, in.Seq, events); err != nil {
			return err
		}
		if req.Comment != "" {
			notes := routeNotes(next)
			if err := tx.indexDocument(ctx, rec, &notes); err != nil {
				return err
			}
		}
		if err := tx.signOpinions(ctx, rec, next, events); err != nil {
			return err
		}
		if err := tx.addParticipant(ctx, docID, by.ID, tx.now); err != nil {
			return err
		}
		return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document." + string(req.Op), ObjectKind: "document", ObjectID: docID,
			Detail: jsonString(map[string]any{"step": stepKey, "task": req.Task, "comment": req.Comment, "on_behalf_of": req.OnBehalfOf})})
	}()
	return rec, err
}

func taskStatus(in route.Instance, id int) route.TaskStatus {
	t, _ := in.Task(id)
	return t.Status
}

// returnedBeforeNumber reports whether a route now stands at or before 编号.
func returnedBeforeNumber(in route.Instance) bool {
	for i, st := range in.Template.Steps {
		if st.Key == "number" {
			return in.Current <= i
		}
	}
	return false
}

// finishChecksOnly are the steps among finishEffects whose finishing is
// only checked (a joint issue's 会签 at 核稿), changing nothing of the 公文.
var finishChecksOnly = map[string]bool{Outgoing + "/review": true}

// finishEffects are the steps whose finishing does something beyond the
// route; onFinish acts on these and no others (Store.Act prepares all other
// operations outside the write).
var finishEffects = map[string]bool{
	Outgoing + "/review": true, Outgoing + "/sign_off": true, Outgoing + "/number": true, Outgoing + "/print_issue": true, Outgoing + "/distribute": true,
	Incoming + "/register":       true,
	Outgoing + "/" + stepArchive: true, Incoming + "/" + stepArchive: true,
}

// stepArchive is the 归档 step of both routes: finishing it files the
// document (archiveDoc), after which it does not change.
const stepArchive = "archive"

func (tx *Tx) onFinish(ctx context.Context, by org.Person, rec *DocRecord, in route.Instance, stepKey string, req route.Request, issued *IssuedText) error {
	key := rec.Direction + "/" + stepKey
	if !finishEffects[key] {
		return nil
	}
	var units map[string]org.Unit
	switch key {
	case Outgoing + "/review", Outgoing + "/number", Outgoing + "/print_issue", Outgoing + "/distribute", Incoming + "/register":
		var err error
		if units, err = tx.unitMap(ctx); err != nil {
			return err
		}
	}
	switch key {
	case Outgoing + "/" + stepArchive, Incoming + "/" + stepArchive:
		return tx.archiveDoc(ctx, by, rec, req.Fields)
	case Outgoing + "/review":
		// A joint issue's 会签 must reach every co-issuing organ.
		joint := in.Scope[document.JointScope]
		if joint == "" {
			return nil
		}
		var cs []route.Assignee
		for _, t := range in.OpenTasks() {
			if in.Template.Steps[t.Step].Key == "countersign" {
				cs = append(cs, t.Assignee)
			}
		}
		if missing := document.JointMissing(units, strings.Split(joint, ","), cs); len(missing) > 0 {
			return fmt.Errorf("联合发文须经%s会签，请在会签单位中选择", strings.Join(missing, "、"))
		}
	case Outgoing + "/sign_off":
		so, ok := document.SignOffOf(in)
		if !ok {
			return nil
		}
		p, err := tx.Person(ctx, so.Leader())
		if err != nil {
			return err
		}
		eff, err := document.OnFinish(document.Finish{Outgoing: true, Step: document.StepSignOff, Doc: rec.Doc, SignOff: &so, SignerName: p.Name, At: tx.now})
		if err != nil {
			return err
		}
		if sd := eff.Signed; sd != nil {
			rec.Doc.Date = sd.Date
			if sd.Signers != nil {
				rec.Doc.Signers = sd.Signers
			}
		}
		if err := tx.QueueProofreadText(ctx, *rec); err != nil {
			return err
		}
	case Outgoing + "/number":
		series, err := tx.DocSeries(ctx)
		if err != nil {
			return err
		}
		eff, err := document.OnFinish(document.Finish{Outgoing: true, Step: document.StepNumber, Doc: rec.Doc, Units: units,
			OrganID: IssuerOf(*rec, in), Series: series, Fields: req.Fields, At: tx.now})
		if err != nil {
			return err
		}
		if eff.Number != nil {
			return tx.takeNumber(ctx, by, rec, *eff.Number)
		}
	case Outgoing + "/print_issue":
		eff, err := document.OnFinish(document.Finish{Outgoing: true, Step: document.StepPrintIssue, Doc: rec.Doc, Units: units,
			OrganID: IssuerOf(*rec, in), Fields: req.Fields, At: tx.now})
		if err != nil {
			return err
		}
		if p := eff.Print; p != nil {
			rec.Doc.PrintDate, rec.Doc.PrintedBy = p.Date, p.PrintedBy
		}
	case Outgoing + "/distribute":
		return tx.distribute(ctx, by, rec, units, issued, IssuerOf(*rec, in))
	case Incoming + "/register":
		eff, err := document.OnFinish(document.Finish{Step: document.StepRegister, Doc: rec.Doc, Units: units, UnitID: rec.UnitID, At: tx.now})
		if err != nil {
			return err
		}
		if t := eff.InNum; t != nil {
			seq, err := tx.nextNumber(ctx, t.Scope, t.Year)
			if err != nil {
				return err
			}
			rec.InNumber = document.IncomingNumber{UnitCode: t.UnitCode, Year: t.Year, Seq: seq}.String()
			return tx.recordNumber(ctx, uid.New(), NumberEventRecord{Scope: t.Scope, Year: t.Year, Seq: seq, DocID: rec.ID, Kind: string(document.Assigned), By: by.ID, At: tx.now})
		}
	}
	return nil
}

// takeNumber carries out the 编号 the rules decided: the next number of the
// series in the year, taken in the step's transaction (a rollback gives it
// back), recorded as assigned.
func (tx *Tx) takeNumber(ctx context.Context, by org.Person, rec *DocRecord, take document.NumberTake) error {
	code := take.Series.Code
	seq, err := tx.nextNumber(ctx, code, take.Year)
	if err != nil {
		return err
	}
	num := document.DocNumber{OrganCode: code, Year: take.Year, Seq: seq}
	rec.Doc.Number, rec.DocNumber = &num, num.String()
	return tx.recordNumber(ctx, uid.New(), NumberEventRecord{Scope: code, Year: take.Year, Seq: seq, DocID: rec.ID, Kind: string(document.Assigned), By: by.ID, At: tx.now})
}

// voidNumber takes a 发文字号 back: it is recorded as voided and never reused.
func (tx *Tx) voidNumber(ctx context.Context, by org.Person, rec *DocRecord, reason string) error {
	n := *rec.Doc.Number
	if err := tx.recordNumber(ctx, uid.New(), NumberEventRecord{Scope: n.OrganCode, Year: n.Year, Seq: n.Seq, DocID: rec.ID, Kind: string(document.Voided), Reason: reason, By: by.ID, At: tx.now}); err != nil {
		return err
	}
	rec.Doc.Number, rec.DocNumber = nil, ""
	return tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.number.void", ObjectKind: "document", ObjectID: rec.ID,
		Detail: jsonString(map[string]any{"number": n.String(), "reason": reason})})
}

// distribute records the issued text (if the server could typeset it) and
// makes the copies the rules decide (document.OnFinish): for every 主送 and
// 抄送 unit an incoming item at once (electronic exchange within the
// deployment), each on its own 收文 route, carrying the issued text and every
// attachment.
func (tx *Tx) distribute(ctx context.Context, by org.Person, rec *DocRecord, units map[string]org.Unit, issued *IssuedText, issuer string) error {
	if issued != nil {
		for _, f := range issued.Files {
			f.DocID, f.Role = rec.ID, string(document.FileIssued)
			if err := tx.AddFile(ctx, by, f); err != nil {
				return err
			}
		}
	}
	rs, err := tx.Recipients(ctx, rec.ID)
	if err != nil {
		return err
	}
	files, err := tx.Files(ctx, rec.ID)
	if err != nil {
		return err
	}
	f := document.Finish{Outgoing: true, Step: document.StepDistribute, Doc: rec.Doc, Units: units, Files: domainFiles(files)}
	for _, r := range rs {
		f.Recipients = append(f.Recipients, document.Addressee{UnitID: r.UnitID, Kind: document.RecipientKind(r.Kind)})
	}
	eff, err := document.OnFinish(f)
	if err != nil {
		return err
	}
	return tx.makeCopies(ctx, by, *rec, units[issuer].Name, eff.Copies)
}

// makeCopies carries out the copies the rules decided: each an incoming
// item in its office with the files it carries (the same stored files,
// recorded against the copy with their hashes).
func (tx *Tx) makeCopies(ctx context.Context, by org.Person, src DocRecord, sender string, copies []document.Copy) error {
	for _, c := range copies {
		in, err := tx.startIncomingNumbered(ctx, by, src.Doc, c.OfficeID, src.ID, sender, src.DocNumber)
		if err != nil {
			return err
		}
		for _, f := range c.Files {
			if _, err := tx.exec(ctx, `INSERT INTO doc_files (doc_id, sha256, name, role, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)`,
				in.ID, f.SHA256, f.Name, string(f.Role), by.ID, ts(tx.now)); err != nil {
				return fmt.Errorf("copy file: %w", err)
			}
		}
	}
	return nil
}

func domainFiles(fs []DocFile) []document.File {
	out := make([]document.File, len(fs))
	for i, f := range fs {
		out[i] = document.File{SHA256: f.SHA256, Name: f.Name, Role: document.FileRole(f.Role), Size: f.Size, MediaType: f.MediaType}
	}
	return out
}

func (tx *Tx) startIncoming(ctx context.Context, by org.Person, doc document.Document, unitID, sourceID, sender string) (DocRecord, error) {
	return tx.startIncomingNumbered(ctx, by, doc, unitID, sourceID, sender, "")
}

// startIncomingNumbered starts an incoming item; number is its 来文字号
// when the document carries none of its own (a copy of an information
// issue: 《信息专报》2026年第12期).
func (tx *Tx) startIncomingNumbered(ctx context.Context, by org.Person, doc document.Document, unitID, sourceID, sender, number string) (DocRecord, error) {
	units, err := tx.unitMap(ctx)
	if err != nil {
		return DocRecord{}, err
	}
	doc.ID = uid.New()
	tmpl, _, err := tx.RouteTemplate(ctx, organOf(units, unitID), Incoming)
	if err != nil {
		return DocRecord{}, err
	}
	policy, err := tx.SignForPolicy(ctx) // the administrator's 签收 limits (calendar.go)
	if err != nil {
		return DocRecord{}, err
	}
	in, events, err := tx.s.engine().Start(tmpl, route.StartOptions{ID: doc.ID, Starter: by.ID,
		Scope: map[string]string{route.ScopeUnit: unitID, route.ScopeOffice: unitID, route.ScopeOrgan: organOf(units, unitID)},
		First: document.IncomingFirst(unitID, doc.Urgency, policy)}, tx.now)
	if err != nil {
		return DocRecord{}, err
	}
	rec := DocRecord{ID: doc.ID, Direction: Incoming, UnitID: unitID, OrganID: organOf(units, unitID), SourceID: sourceID, Doc: doc,
		Sender: sender, Step: stepName(in), Status: in.Status, Version: 1, CreatedBy: by.ID, CreatedAt: tx.now, UpdatedAt: tx.now}
	if doc.Number != nil {
		rec.DocNumber = doc.Number.String() // the 来文字号, listed and searched beside the 收文编号
	} else {
		rec.DocNumber = number
	}
	if err := tx.putDocument(ctx, rec, true, 0); err != nil {
		return rec, err
	}
	if err := tx.addVersion(ctx, rec.ID, document.Version{N: 1, Doc: doc, Author: by.ID, At: tx.now, Note: "收文"}); err != nil {
		return rec, err
	}
	if err := tx.saveInstance(ctx, in, -1, events); err != nil {
		return rec, err
	}
	return rec, tx.Audit(ctx, audit.Event{ActorID: by.ID, ActorName: by.Name, Action: "document.receive", ObjectKind: "document", ObjectID: rec.ID,
		Detail: jsonString(withTitle(map[string]any{"from": sender, "source": sourceID, "unit": units[unitID].ShortName}, doc))})
}

// withTitle adds a document's title to an audit entry's detail — for a 非密
// document only: the auditor reads the log and may not read a classified
// document, so its entries name it by ID and level.
func withTitle(detail map[string]any, doc document.Document) map[string]any {
	if doc.Classification.Level == document.Unclassified {
		detail["title"] = doc.Title
	} else {
		detail["level"] = doc.Classification.Level.Label()
	}
	return detail
}

// RegisterIncoming records a paper or external document received by a unit
// and starts its 收文 route.
func (s *Store) RegisterIncoming(ctx context.Context, by org.Person, unitID string, doc document.Document, sender string) (DocRecord, error) {
	var rec DocRecord
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		rec, err = tx.RegisterIncoming(ctx, by, unitID, doc, sender)
		return err
	})
	return rec, err
}

// WorkItem is one line of a person's lists.
type WorkItem struct {
	Doc        DocRecord
	TaskID     int
	Step       string
	Handed     time.Time
	Due        time.Time
	AckDue     time.Time
	Acked      bool
	Circ       bool
	OnBehalfOf string // the leader this falls to under a delegation, if not the person's own
}

// OpenTasksFor returns the open tasks a person may act on — their own, their
// roles' and units', and those of leaders who delegated to them — newest first,
// 待办 and 待阅 together, each with its document's summary, whatever its 密级
// (the lists themselves use TaskPage with the viewer's clearance).
func (c conn) OpenTasksFor(ctx context.Context, a route.Actor, limit int) ([]WorkItem, error) {
	return c.TaskPage(ctx, a, TaskQuery{Which: TasksAll, MaxLevel: org.Classification(3), Limit: limit})
}

// ParticipatedDocs returns the documents a person has acted on, most recent
// first — open ones for 已办, closed ones for 办结 — as summaries.
func (c conn) ParticipatedDocs(ctx context.Context, personID string, closed bool, limit int) ([]DocRecord, error) {
	ps, err := c.ParticipatedPage(ctx, personID, PartQuery{Closed: closed, MaxLevel: org.Classification(3), Limit: limit})
	out := make([]DocRecord, len(ps))
	for i, p := range ps {
		out[i] = p.Doc
	}
	return out, err
}

// Involved reports whether a person takes part in a document: has acted on
// it, holds one of its open tasks (directly, by role, as leader, or under a
// delegation), or was granted it by the security officer.
func (c conn) Involved(ctx context.Context, docID string, a route.Actor) (bool, error) {
	var n int
	// Acted on it, or granted it explicitly by the security officer.
	if err := c.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM participants WHERE doc_id = ? AND person_id = ?) +
		(SELECT COUNT(*) FROM grants WHERE object_kind = 'document' AND object_id = ? AND person_id = ?)`, docID, a.ID, docID, a.ID).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return true, nil
	}
	in, err := c.Instance(ctx, docID)
	if err != nil {
		return false, err
	}
	return holdsTask(in, a), nil
}

func jsonString(v any) string {
	b, err := jsonMarshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
