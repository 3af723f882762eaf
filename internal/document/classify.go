package document

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Classifying a document (定密), changing its level or period (变更密级) and
// declassifying it (解密) are one operation of their own, never a side effect
// of saving the text: the 保守国家秘密法 gives them to the organ's 定密责任人
// (its head and the people the head names), on a stated basis, on the record.
// Who may is access.Classify's rule; what may change is this file's.

// MaxBasis bounds the stated basis of a change (the 定密依据 and reasons).
const MaxBasis = 500

// ClassifyKind names a change of marking from → to: 定密 (非密 to a level),
// 解密 (a level to 非密) or 变更密级 (a level or period changed).
func ClassifyKind(from, to Classification) string {
	switch {
	case from.Level == Unclassified && to.Level > Unclassified:
		return "定密"
	case from.Level > Unclassified && to.Level == Unclassified:
		return "解密"
	}
	return "变更密级"
}

// Reclassify checks a change of a document's marking: the new marking is
// valid (绝密 refused, the period within the level's ceiling), it changes
// something, and its basis is stated.
func Reclassify(from, to Classification, basis string) error {
	if err := to.Validate(); err != nil {
		return err
	}
	if to == from {
		return errors.New("密级和保密期限都没有改变")
	}
	basis = strings.TrimSpace(basis)
	if basis == "" {
		return errors.New("请填写" + ClassifyKind(from, to) + "的依据")
	}
	if utf8.RuneCountInString(basis) > MaxBasis {
		return errors.New("依据过长（不超过 500 字）")
	}
	return nil
}
