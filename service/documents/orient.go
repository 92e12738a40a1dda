package documents

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// Phones store a photo as the sensor saw it and say in EXIF how to turn it (Orientation).
// Re-encoding drops EXIF, so the turn is applied to the pixels first: a photo of a 户口本 taken
// upright stays upright.

// exifOrientation reads the Orientation tag (0x0112) of a JPEG's EXIF block; 1 when absent.
func exifOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xDA || marker == 0xD9 { // image data starts: no EXIF before it
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if len(t) < 8 {
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[off:]))
	for k := 0; k < count; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient applies an EXIF orientation (2–8) to the pixels. A YCbCr photo (what a JPEG decodes
// to) or a grey one is turned plane by plane in its own form: the turned copy costs 1.5 bytes a
// pixel (4:2:0) instead of the 8 of two RGBA copies; anything else is turned through one RGBA
// copy, converted a row at a time.
func orient(src image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	switch m := src.(type) {
	case *image.YCbCr:
		if out, ok := orientYCbCr(m, o); ok {
			return out
		}
	case *image.Gray:
		if b.Min == (image.Point{}) {
			out := image.NewGray(image.Rect(0, 0, dw, dh))
			turnPlane(out.Pix, out.Stride, 1, m.Pix, m.Stride, w, h, o)
			return out
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	row := image.NewRGBA(image.Rect(0, 0, w, 1))
	for y := 0; y < h; y++ {
		draw.Draw(row, row.Bounds(), src, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
		for x := 0; x < w; x++ {
			dx, dy := turned(x, y, w, h, o)
			copy(out.Pix[dy*out.Stride+4*dx:dy*out.Stride+4*dx+4], row.Pix[4*x:4*x+4])
		}
	}
	return out
}

// turned is where pixel (x, y) of a w×h image goes under orientation o.
func turned(x, y, w, h, o int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}

// turnPlane turns a w×h plane of px-byte samples into dst.
func turnPlane(dst []byte, dstride, px int, src []byte, stride, w, h, o int) {
	for y := 0; y < h; y++ {
		row := src[y*stride : y*stride+px*w]
		for x := 0; x < w; x++ {
			dx, dy := turned(x, y, w, h, o)
			copy(dst[dy*dstride+px*dx:dy*dstride+px*dx+px], row[px*x:px*x+px])
		}
	}
}

// orientYCbCr turns the luma and both chroma planes; a turn by 90° swaps the chroma
// subsampling's axes (4:2:2 ↔ 4:4:0). 4:1:1 and 4:1:0 have no swapped form: not handled here.
func orientYCbCr(m *image.YCbCr, o int) (image.Image, bool) {
	b := m.Bounds()
	if b.Min != (image.Point{}) {
		return nil, false
	}
	w, h := b.Dx(), b.Dy()
	var cw, ch int
	ratio := m.SubsampleRatio
	switch ratio {
	case image.YCbCrSubsampleRatio444:
		cw, ch = w, h
	case image.YCbCrSubsampleRatio422:
		cw, ch = (w+1)/2, h
	case image.YCbCrSubsampleRatio420:
		cw, ch = (w+1)/2, (h+1)/2
	case image.YCbCrSubsampleRatio440:
		cw, ch = w, (h+1)/2
	default:
		return nil, false
	}
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
		switch ratio {
		case image.YCbCrSubsampleRatio422:
			ratio = image.YCbCrSubsampleRatio440
		case image.YCbCrSubsampleRatio440:
			ratio = image.YCbCrSubsampleRatio422
		}
	}
	out := image.NewYCbCr(image.Rect(0, 0, dw, dh), ratio)
	turnPlane(out.Y, out.YStride, 1, m.Y, m.YStride, w, h, o)
	turnPlane(out.Cb, out.CStride, 1, m.Cb, m.CStride, cw, ch, o)
	turnPlane(out.Cr, out.CStride, 1, m.Cr, m.CStride, cw, ch, o)
	return out, true
}
