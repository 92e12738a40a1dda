// Package doctest builds the files the upload tests send (used by service/documents and the HTTP
// tests in api/server, so both send the same bytes). Each is made in memory: no file on disk,
// nothing fetched.
package doctest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// GPSMarker is the text the GPS block of FixtureJPEGWithGPS carries; after an upload it must be
// nowhere in the stored object.
const GPSMarker = "GPS-39.904200N-116.407400E-palmaid"

func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 90, 255})
		}
	}
	return img
}

// FixturePNG is a w×h PNG.
func FixturePNG(w, h int) []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, testImage(w, h))
	return b.Bytes()
}

// FixtureJPEG is a w×h JPEG without metadata.
func FixtureJPEG(w, h int) []byte {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, testImage(w, h), &jpeg.Options{Quality: 85})
	return b.Bytes()
}

// FixtureJPEGWithGPS is a w×h JPEG whose EXIF block (APP1) says Orientation 6 (turn 90°
// clockwise) and carries a GPS IFD with a latitude reference and GPSMarker.
func FixtureJPEGWithGPS(w, h int) []byte {
	plain := FixtureJPEG(w, h)
	be := binary.BigEndian
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	_ = binary.Write(&t, be, uint32(8))
	// IFD0 at 8: Orientation, GPSInfo pointer
	gpsIFD := uint32(8 + 2 + 2*12 + 4)
	_ = binary.Write(&t, be, uint16(2))
	_ = binary.Write(&t, be, []uint16{0x0112, 3})
	_ = binary.Write(&t, be, uint32(1))
	_ = binary.Write(&t, be, []uint16{6, 0})
	_ = binary.Write(&t, be, []uint16{0x8825, 4})
	_ = binary.Write(&t, be, uint32(1))
	_ = binary.Write(&t, be, gpsIFD)
	_ = binary.Write(&t, be, uint32(0))
	// GPS IFD: GPSLatitudeRef "N", GPSProcessingMethod = marker (stored after the IFD)
	data := gpsIFD + 2 + 2*12 + 4
	_ = binary.Write(&t, be, uint16(2))
	_ = binary.Write(&t, be, []uint16{0x0001, 2})
	_ = binary.Write(&t, be, uint32(2))
	t.WriteString("N\x00\x00\x00")
	_ = binary.Write(&t, be, []uint16{0x001B, 7})
	_ = binary.Write(&t, be, uint32(len(GPSMarker)))
	_ = binary.Write(&t, be, data)
	_ = binary.Write(&t, be, uint32(0))
	t.WriteString(GPSMarker)
	app1 := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(plain[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	_ = binary.Write(&out, be, uint16(len(app1)+2))
	out.Write(app1)
	out.Write(plain[2:])
	return out.Bytes()
}

// FixturePDF is a small well-formed PDF (one empty page).
func FixturePDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n" +
		"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
}

// FixturePolyglotPDFHTML is a PDF whose first kilobyte a browser reads as an HTML page with a
// script.
func FixturePolyglotPDFHTML() []byte {
	p := FixturePDF()
	return append([]byte("%PDF-1.4\n%<html><body><script>alert(document.cookie)</script></body></html>\n"), p[len("%PDF-1.4\n"):]...)
}

// FixturePolyglotPDFZIP is a PDF with a ZIP archive appended whose comment ends in %%EOF: a
// PDF reader and an unzip tool both open it.
func FixturePolyglotPDFZIP() []byte {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.Create("payload.html")
	_, _ = w.Write([]byte("<script>alert(1)</script>"))
	_ = zw.SetComment("\n%%EOF\n")
	_ = zw.Close()
	return append(FixturePDF(), z.Bytes()...)
}

// FixturePolyglotJPEGPDF is a JPEG whose comment segment holds a PDF header in the first
// kilobyte, where PDF readers look for it.
func FixturePolyglotJPEGPDF() []byte {
	plain := FixtureJPEG(16, 16)
	com := []byte("%PDF-1.4\n1 0 obj<<>>endobj\n")
	var out bytes.Buffer
	out.Write(plain[:2])
	out.Write([]byte{0xFF, 0xFE})
	_ = binary.Write(&out, binary.BigEndian, uint16(len(com)+2))
	out.Write(com)
	out.Write(plain[2:])
	out.WriteString("\ntrailer<<>>\n%%EOF\n")
	return out.Bytes()
}

// FixturePNGBomb is a PNG whose header declares w×h pixels (a decompression bomb when w×h is
// huge) followed by a tiny image data chunk: only the header is ever read.
func FixturePNGBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		b.Write(c)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}
