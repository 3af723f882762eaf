package seal

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// checkZipLayout holds an OFD package to a strict zip layout, so that no byte
// of the container escapes the check although GB/T 38540 signs only the
// files' contents: the local headers follow one another from the first byte
// with nothing between them, each agrees field for field with its central
// directory entry (and its data descriptor, when it has one), the central
// directory follows the last file at once and the end record closes the
// file with no comment. What remains outside any check are the central
// directory's own fields without a local counterpart (the creator version
// and the file attributes), which carry nothing of the document.
func checkZipLayout(data []byte, zr *zip.Reader) error {
	files := append([]*zip.File(nil), zr.File...)
	type entry struct {
		f    *zip.File
		data int64
	}
	es := make([]entry, len(files))
	for i, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			return err
		}
		es[i] = entry{f, off}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].data < es[j].data })
	le := binary.LittleEndian
	pos := int64(0)
	local := map[string][]byte{} // each file's local extra field
	for _, e := range es {
		f := e.f
		if pos+30 > int64(len(data)) || le.Uint32(data[pos:]) != 0x04034b50 {
			return fmt.Errorf("%s 的本地文件头缺失或位置不对", f.Name)
		}
		h := data[pos:]
		nameLen, extraLen := int64(le.Uint16(h[26:])), int64(le.Uint16(h[28:]))
		if pos+30+nameLen+extraLen != e.data {
			return fmt.Errorf("%s 的本地文件头长度与目录不符", f.Name)
		}
		if le.Uint16(h[4:]) != f.ReaderVersion || le.Uint16(h[6:]) != f.Flags || le.Uint16(h[8:]) != f.Method ||
			le.Uint16(h[10:]) != f.ModifiedTime || le.Uint16(h[12:]) != f.ModifiedDate ||
			string(h[30:30+nameLen]) != f.Name {
			return fmt.Errorf("%s 的本地文件头与中央目录不符", f.Name)
		}
		local[f.Name] = h[30+nameLen : 30+nameLen+extraLen]
		end := e.data + int64(f.CompressedSize64)
		if f.Flags&0x8 == 0 {
			if le.Uint32(h[14:]) != f.CRC32 || uint64(le.Uint32(h[18:])) != f.CompressedSize64 || uint64(le.Uint32(h[22:])) != f.UncompressedSize64 {
				return fmt.Errorf("%s 的本地文件头与中央目录不符", f.Name)
			}
		} else {
			// Data descriptor: signature, CRC-32 and 32-bit sizes (no zip64 here).
			if end+16 > int64(len(data)) {
				return fmt.Errorf("%s 的数据描述符缺失", f.Name)
			}
			d := data[end:]
			if le.Uint32(d) != 0x08074b50 || le.Uint32(d[4:]) != f.CRC32 ||
				uint64(le.Uint32(d[8:])) != f.CompressedSize64 || uint64(le.Uint32(d[12:])) != f.UncompressedSize64 {
				return fmt.Errorf("%s 的数据描述符与中央目录不符", f.Name)
			}
			end += 16
		}
		pos = end
	}
	// The end of central directory record, without a comment, closes the file.
	n := int64(len(data))
	if n < 22 || le.Uint32(data[n-22:]) != 0x06054b50 {
		return errors.New("文件包末尾不是目录结束记录")
	}
	eocd := data[n-22:]
	cdSize, cdOff := int64(le.Uint32(eocd[12:])), int64(le.Uint32(eocd[16:]))
	if le.Uint16(eocd[4:]) != 0 || le.Uint16(eocd[6:]) != 0 || int(le.Uint16(eocd[8:])) != len(files) ||
		int(le.Uint16(eocd[10:])) != len(files) || cdOff != pos || cdOff+cdSize != n-22 {
		return errors.New("文件包的中央目录与文件不相接")
	}
	// Each central entry: no comment, disk 0, its extra field the local
	// header's (the other repeated fields were compared above through
	// archive/zip's reading of them).
	p := cdOff
	for range files {
		if p+46 > n-22 || le.Uint32(data[p:]) != 0x02014b50 {
			return errors.New("中央目录已损坏")
		}
		c := data[p:]
		nl, xl, cl := int64(le.Uint16(c[28:])), int64(le.Uint16(c[30:])), int64(le.Uint16(c[32:]))
		if cl != 0 || le.Uint16(c[34:]) != 0 {
			return errors.New("中央目录含有注释或分卷信息")
		}
		if p+46+nl+xl > n-22 || string(c[46+nl:46+nl+xl]) != string(local[string(c[46:46+nl])]) {
			return errors.New("中央目录的扩展字段与本地文件头不符")
		}
		p += 46 + nl + xl
	}
	if p != n-22 {
		return errors.New("中央目录的长度与记录不符")
	}
	return nil
}
