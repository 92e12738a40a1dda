package documents

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"

	"palmaid/model"
	"palmaid/service/documents/pdfscan"
)

// What an upload may be, and how large.
const (
	MaxBytes = 10 << 20 // 10 MB, after which reading stops
	// DefaultMaxPixels is the pixel ceiling (PALMAID_UPLOAD_MAX_PIXELS), read from the header
	// before anything is decoded: 4096×4096. A photographed document needs 12–16 MP (a 12 MP
	// phone photo is 4032×3024, a 16 MP one 4608×3456 or 4624×3472); decoding one costs about
	// 4 bytes a pixel (67 MB at the ceiling).
	DefaultMaxPixels = 1 << 24

	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypePDF  = "application/pdf"
)

// Upload errors: stable codes, messages a resident understands.
var (
	ErrEmpty          = model.E(model.KindUnprocessable, "document.empty", "文件是空的，请重新选择")
	ErrTooLarge       = model.E(model.KindTooLarge, "document.too_large", "文件不能超过10MB，请压缩后再上传")
	ErrTypeNotAllowed = model.E(model.KindUnsupportedMedia, "document.type_not_allowed", "只能上传照片（JPG、PNG）或PDF文件")
	ErrTypeMismatch   = model.E(model.KindUnsupportedMedia, "document.type_mismatch", "文件内容与文件类型不符，请重新导出或拍照后上传")
	ErrTooManyPixels  = model.E(model.KindUnprocessable, "document.too_many_pixels", "图片像素过高，请在相机中选择较低的分辨率，或缩小后再上传")
	ErrUnreadable     = model.E(model.KindUnprocessable, "document.unreadable", "文件已损坏或无法识别，请重新拍照或导出后上传")
	ErrPolyglot       = model.E(model.KindUnprocessable, "document.polyglot", "文件中夹带了其他格式的内容，不能上传，请重新拍照或导出后上传")
	ErrActiveContent  = model.E(model.KindUnprocessable, "document.pdf_active_content", "PDF中含有脚本、附件、表单提交或外部链接等内容，请另存为普通PDF或拍照后上传")
	ErrPDFEncrypted   = model.E(model.KindUnprocessable, "document.pdf_encrypted", "PDF设有密码或加密，请取消密码保护（或打印为新的PDF）后再上传")
	ErrPDFTooComplex  = model.E(model.KindUnprocessable, "document.pdf_too_complex", "PDF内容过于复杂或压缩异常，无法检查，请另存为普通PDF或拍照后上传")
	ErrNoFile         = model.Invalid("document.file_required", "请选择要上传的文件")
)

// Clean is a sanitised upload, ready to store.
type Clean struct {
	Data     []byte
	MIME     string // sniffed from the bytes: TypeJPEG, TypePNG or TypePDF
	FileName string // safe to show and to send back in Content-Disposition; extension matches MIME
	Width    int    // images
	Height   int
}

// ReadLimited reads at most limit+1 bytes of r: more than limit is ErrTooLarge (reading stops
// there), nothing is ErrEmpty. A body over an http.MaxBytesReader is ErrTooLarge too.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, ErrTooLarge.WithCause(err)
		}
		return nil, model.E(model.KindInvalid, "document.read_failed", "文件没有完整上传，请重试").WithCause(err)
	}
	if n > limit {
		return nil, ErrTooLarge
	}
	if n == 0 {
		return nil, ErrEmpty
	}
	return buf.Bytes(), nil
}

var extTypes = map[string]string{
	".jpg": TypeJPEG, ".jpeg": TypeJPEG, ".jpe": TypeJPEG, ".jfif": TypeJPEG,
	".png": TypePNG,
	".pdf": TypePDF,
}

var canonicalExt = map[string]string{TypeJPEG: ".jpg", TypePNG: ".png", TypePDF: ".pdf"}

// declaredTypes: what a client may say for each type (others than octet-stream must agree).
var declaredTypes = map[string]string{
	"image/jpeg": TypeJPEG, "image/jpg": TypeJPEG, "image/pjpeg": TypeJPEG,
	"image/png": TypePNG, "image/x-png": TypePNG,
	"application/pdf": TypePDF, "application/x-pdf": TypePDF,
}

// Sanitiser checks uploads under its limits.
type Sanitiser struct {
	MaxPixels int64          // images: width × height from the header, checked before decoding
	PDF       pdfscan.Limits // PDFs: the scan's budgets
}

// DefaultSanitiser has the default limits.
func DefaultSanitiser() Sanitiser {
	return Sanitiser{MaxPixels: DefaultMaxPixels, PDF: pdfscan.DefaultLimits()}
}

// Sanitise is DefaultSanitiser().Sanitise.
func Sanitise(data []byte, fileName, declared string) (*Clean, error) {
	return DefaultSanitiser().Sanitise(data, fileName, declared)
}

// Sanitise checks an upload and returns what may be stored. Nothing of the client is trusted:
// the type is sniffed from the bytes and must be JPEG, PNG or PDF; a file name extension or a
// declared Content-Type that says otherwise is refused (a PNG renamed .pdf); images are checked
// for their pixel count from the header before they are decoded, then decoded and re-encoded
// (EXIF, GPS, comments and anything appended are gone); PDFs must be PDFs from the first to the
// last byte and nothing else (no HTML, ZIP or image sharing the bytes), and pass the scan of
// service/documents/pdfscan (no script, action, attachment or form that acts; readable whole;
// not encrypted).
func (z Sanitiser) Sanitise(data []byte, fileName, declared string) (*Clean, error) {
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	sniffed := sniff(data)
	if sniffed == "" {
		return nil, ErrTypeNotAllowed
	}
	// A PDF reader takes a file whose %PDF- header sits anywhere in the first kilobyte: a file
	// with one that does not start with it (an image carrying one) is two files at once.
	if bytes.Contains(head(data, 1024), []byte("%PDF-")) && !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, ErrPolyglot
	}
	if err := agrees(sniffed, fileName, declared); err != nil {
		return nil, err
	}
	out := &Clean{MIME: sniffed, FileName: safeName(fileName, sniffed)}
	switch sniffed {
	case TypeJPEG, TypePNG:
		img, w, h, err := decodeImage(data, sniffed, z.MaxPixels)
		if err != nil {
			return nil, err
		}
		out.Width, out.Height = w, h
		if out.Data, err = encodeImage(img, sniffed); err != nil {
			return nil, model.Internal(err)
		}
	case TypePDF:
		if err := checkPDF(data, z.PDF); err != nil {
			return nil, err
		}
		out.Data = data
	}
	return out, nil
}

func sniff(data []byte) string {
	m := mimetype.Detect(data)
	for _, t := range []string{TypeJPEG, TypePNG, TypePDF} {
		if m.Is(t) {
			return t
		}
	}
	return ""
}

// agrees: the extension (when there is one) and the declared type (when it says something
// other than "some bytes") must name the sniffed type.
func agrees(sniffed, fileName, declared string) error {
	if ext := strings.ToLower(path.Ext(baseName(fileName))); ext != "" {
		if extTypes[ext] != sniffed {
			return ErrTypeMismatch.WithField("file", "文件扩展名“"+model.Truncate(ext, 10)+"”与内容不符")
		}
	}
	if declared = strings.TrimSpace(declared); declared != "" {
		mt, _, err := mime.ParseMediaType(declared)
		if err != nil {
			return ErrTypeMismatch.WithField("file", "声明的文件类型无法识别")
		}
		if mt != "application/octet-stream" && declaredTypes[mt] != sniffed {
			return ErrTypeMismatch.WithField("file", "声明的文件类型与内容不符")
		}
	}
	return nil
}

// decodeImage reads the header first: the pixel count is checked before a single pixel is
// allocated (a 50 000 × 50 000 header is refused here), then decodes.
func decodeImage(data []byte, typ string, maxPixels int64) (image.Image, int, int, error) {
	var cfg image.Config
	var err error
	if typ == TypeJPEG {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return nil, 0, 0, ErrUnreadable.WithCause(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, 0, ErrUnreadable
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, 0, 0, ErrTooManyPixels.WithField("file", fmt.Sprintf("图片为%d×%d像素，不能超过%d万像素", cfg.Width, cfg.Height, maxPixels/10_000))
	}
	var img image.Image
	if typ == TypeJPEG {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, 0, 0, ErrUnreadable.WithCause(err)
	}
	if typ == TypeJPEG {
		img = orient(img, exifOrientation(data))
	}
	b := img.Bounds()
	return img, b.Dx(), b.Dy(), nil
}

// encodeImage writes pixels only: no metadata survives.
func encodeImage(img image.Image, typ string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if typ == TypeJPEG {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	}
	return buf.Bytes(), err
}

var markup = [][]byte{[]byte("<script"), []byte("<html"), []byte("<!doctype"), []byte("<body"), []byte("<iframe"), []byte("<svg"),
	[]byte("<?xml"), []byte("<head")}

// checkPDF: %PDF- at the very start, %%EOF in the last kilobyte, no other format in the same
// bytes (markup a browser would sniff in the head, a ZIP directory at the end, an image header
// at the start — impossible after %PDF- — or anything after the last %%EOF but whitespace), and
// then the scan (pdfscan.Check): no active content, readable whole, not encrypted.
func checkPDF(data []byte, lim pdfscan.Limits) error {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return ErrPolyglot // sniffed as PDF with a header further in: something else comes first
	}
	tail := data[max(0, len(data)-1024):]
	eof := bytes.LastIndex(tail, []byte("%%EOF"))
	if eof < 0 {
		return ErrUnreadable.WithField("file", "PDF文件不完整（缺少结尾标记）")
	}
	if len(bytes.TrimSpace(tail[eof+5:])) > 0 {
		return ErrPolyglot
	}
	lowHead := bytes.ToLower(head(data, 1024))
	for _, m := range markup {
		if bytes.Contains(lowHead, m) {
			return ErrPolyglot
		}
	}
	// A ZIP (and so DOCX, JAR, APK …) is read from its end-of-central-directory record, which
	// sits in the last 64 KiB + 22 bytes.
	if bytes.Contains(data[max(0, len(data)-(65535+22)):], []byte("PK\x05\x06")) {
		return ErrPolyglot
	}
	return pdfError(pdfscan.Check(data, lim))
}

// pdfError turns a scan's refusal into the resident's answer.
func pdfError(err error) error {
	if err == nil {
		return nil
	}
	switch pdfscan.ReasonOf(err) {
	case pdfscan.Active:
		return ErrActiveContent.WithCause(err)
	case pdfscan.Encrypted:
		return ErrPDFEncrypted.WithCause(err)
	case pdfscan.TooComplex:
		return ErrPDFTooComplex.WithCause(err)
	case pdfscan.Malformed:
		return ErrUnreadable.WithField("file", "PDF文件结构有误或不完整").WithCause(err)
	}
	return model.Internal(err)
}

func head(b []byte, n int) []byte { return b[:min(n, len(b))] }

// baseName is the last element of a client's file name, whatever separator its system uses.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// safeName keeps a client's file name for display and download: its last path element, printable
// characters only, at most 80 characters, with the extension of the sniffed type.
func safeName(name, typ string) string {
	name = baseName(name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	name = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) || r == '"' || r == '\\' || r == '/' {
			return -1
		}
		return r
	}, name)
	stem := strings.TrimSpace(strings.TrimSuffix(name, path.Ext(name)))
	stem = strings.Trim(stem, ". ")
	if stem == "" {
		stem = "材料"
	}
	return model.Truncate(stem, 80) + canonicalExt[typ]
}
