package seal

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Limits of a seal image.
const (
	MaxImageBytes = 1 << 20
	MinImagePx    = 100
	MaxImagePx    = 2000
)

// ImageInfo is what CheckImage found.
type ImageInfo struct {
	Width, Height int
	Inked         float64 // share of pixels that carry ink
}

// CheckImage checks a seal image: a PNG of at most MaxImageBytes, between
// MinImagePx and MaxImagePx on each side, no more than twice as wide as high
// or high as wide (round, oval and square seals), with a transparent
// background (the corners and at least a fifth of the picture fully
// transparent, so the seal does not hide the text it is pressed on) and red
// ink: nearly every visible pixel red. The messages are for the security
// officer, in Chinese.
func CheckImage(data []byte) (ImageInfo, error) {
	if len(data) == 0 {
		return ImageInfo{}, errors.New("请上传印章图像（PNG）")
	}
	if len(data) > MaxImageBytes {
		return ImageInfo{}, fmt.Errorf("印章图像过大（%d KB），不能超过 %d KB", len(data)/1024, MaxImageBytes/1024)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != "png" {
		return ImageInfo{}, errors.New("印章图像应为 PNG 格式")
	}
	w, h := cfg.Width, cfg.Height
	if w < MinImagePx || h < MinImagePx || w > MaxImagePx || h > MaxImagePx {
		return ImageInfo{}, fmt.Errorf("印章图像为 %d×%d 像素，每边应在 %d 到 %d 像素之间", w, h, MinImagePx, MaxImagePx)
	}
	if w > 2*h || h > 2*w {
		return ImageInfo{}, fmt.Errorf("印章图像为 %d×%d 像素，长宽比过大", w, h)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return ImageInfo{}, errors.New("印章图像无法读取，请重新导出 PNG")
	}
	b := img.Bounds()
	for _, p := range []image.Point{b.Min, {b.Max.X - 1, b.Min.Y}, {b.Min.X, b.Max.Y - 1}, {b.Max.X - 1, b.Max.Y - 1}} {
		if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
			return ImageInfo{}, errors.New("印章图像的背景应为透明（四角不透明）：请导出带透明背景的 PNG")
		}
	}
	var clear, inked, red int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			switch {
			case c.A == 0:
				clear++
			case c.A >= 128:
				inked++
				if isRed(c) {
					red++
				}
			}
		}
	}
	total := w * h
	if float64(clear) < 0.2*float64(total) {
		return ImageInfo{}, errors.New("印章图像的背景应为透明：透明部分不足五分之一")
	}
	if float64(inked) < 0.02*float64(total) {
		return ImageInfo{}, errors.New("印章图像几乎是空白的")
	}
	if float64(red) < 0.9*float64(inked) {
		return ImageInfo{}, fmt.Errorf("印章应为红色：图像中只有 %.0f%% 的印迹是红色", 100*float64(red)/float64(inked))
	}
	return ImageInfo{Width: w, Height: h, Inked: float64(inked) / float64(total)}, nil
}

// isRed: a clearly red hue, saturated enough to read as seal ink.
func isRed(c color.NRGBA) bool {
	r, g, b := float64(c.R), float64(c.G), float64(c.B)
	return r >= 120 && r >= 1.6*g && r >= 1.6*b
}

// SampleImage draws a plain red seal — a ring and a five-pointed star on a
// transparent ground, size pixels across — for demos and tests. A real organ
// registers the image of its own seal.
func SampleImage(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	red := color.NRGBA{R: 230, G: 0, B: 18, A: 255}
	c := float64(size) / 2
	outer, inner := c*0.96, c*0.86
	star := starPolygon(c, c, c*0.42, c*0.17)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			d := math.Hypot(fx-c, fy-c)
			if (d <= outer && d >= inner) || inPolygon(star, fx, fy) {
				img.SetNRGBA(x, y, red)
			}
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func starPolygon(cx, cy, r1, r2 float64) [][2]float64 {
	var pts [][2]float64
	for i := 0; i < 10; i++ {
		r := r1
		if i%2 == 1 {
			r = r2
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)})
	}
	return pts
}

func inPolygon(p [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(p)-1; i < len(p); j, i = i, i+1 {
		if (p[i][1] > y) != (p[j][1] > y) && x < (p[j][0]-p[i][0])*(y-p[i][1])/(p[j][1]-p[i][1])+p[i][0] {
			in = !in
		}
	}
	return in
}
