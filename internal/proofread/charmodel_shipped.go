package proofread

import _ "embed"

// shippedCharModel is the character model committed with Shuniu: a 5-gram
// of official Chinese built by `shuniu proofread build-model` from laws and
// regulations, government work reports and (for statistics only) news
// transcripts; how, from which files and with which parameters is in
// data/shuniu/official.lm.build.json, and the corpora's terms in
// data/shuniu/official.lm.NOTICE.md. It is read in place from the binary
// (findCharModel), never parsed or copied.
//
//go:embed data/shuniu/official.lm
var shippedCharModel string
