package documents

import (
	"image"
	"image/color"
	"testing"
)

// Every orientation, for every chroma subsampling a JPEG decodes to and for grey and RGBA
// images: pixel (x, y) of the source is pixel turned(x, y) of the result, in the same colour.
// (Even sizes: with odd ones a subsampled chroma plane shifts by half a sample on a flip.)
func TestOrientEveryFormAndOrientation(t *testing.T) {
	const w, h = 8, 6
	ycc := func(r image.YCbCrSubsampleRatio) image.Image {
		m := image.NewYCbCr(image.Rect(0, 0, w, h), r)
		for i := range m.Y {
			m.Y[i] = uint8(i * 7)
		}
		for i := range m.Cb {
			m.Cb[i], m.Cr[i] = uint8(40+i*11), uint8(200-i*5)
		}
		return m
	}
	gray := image.NewGray(image.Rect(0, 0, w, h))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i * 5)
	}
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = uint8(i*3 + 1)
	}
	forms := map[string]image.Image{
		"444": ycc(image.YCbCrSubsampleRatio444), "422": ycc(image.YCbCrSubsampleRatio422), "420": ycc(image.YCbCrSubsampleRatio420),
		"440": ycc(image.YCbCrSubsampleRatio440), "411": ycc(image.YCbCrSubsampleRatio411), "gray": gray, "nrgba": nrgba,
	}
	for name, src := range forms {
		for o := 1; o <= 8; o++ {
			out := orient(src, o)
			ow, oh := w, h
			if o >= 5 {
				ow, oh = h, w
			}
			if b := out.Bounds(); b.Dx() != ow || b.Dy() != oh {
				t.Fatalf("%s o=%d: %v", name, o, b)
			}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					dx, dy := turned(x, y, w, h, o)
					want := color.RGBAModel.Convert(src.At(x, y))
					if got := color.RGBAModel.Convert(out.At(dx, dy)); got != want {
						t.Fatalf("%s o=%d: (%d,%d)→(%d,%d) is %v, want %v", name, o, x, y, dx, dy, got, want)
					}
				}
			}
		}
	}
}
