package documents

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"palmaid/model"
)

// The multipart form of an upload (both faces): exactly one part named file.

var (
	errNotMultipart   = model.ErrContentType.WithMessage("请以 multipart/form-data 格式上传文件")
	errUnexpectedPart = model.Invalid("document.unexpected_field", "上传内容中有无法识别的部分，只需一个名为 file 的文件")
	errBadForm        = model.Invalid("document.invalid_form", "上传内容格式不正确，请重试")
)

// FromMultipart reads the form when the service asks for it (after the case and item are found):
// exactly one part named file, read up to the limit and no further.
func FromMultipart(req *http.Request) func() (File, error) {
	return func() (File, error) {
		mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			return File{}, errNotMultipart
		}
		mr, err := req.MultipartReader()
		if err != nil {
			return File{}, errNotMultipart.WithCause(err)
		}
		var f File
		found := false
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					return File{}, ErrTooLarge.WithCause(err)
				}
				return File{}, errBadForm.WithCause(err)
			}
			if part.FormName() != "file" || found {
				_ = part.Close()
				return File{}, errUnexpectedPart.WithField(part.FormName(), "只需一个名为 file 的文件")
			}
			found = true
			data, err := ReadLimited(part, MaxBytes)
			_ = part.Close()
			if err != nil {
				return File{}, err
			}
			f = File{Name: part.FileName(), Declared: part.Header.Get("Content-Type"), Data: data}
		}
		if !found {
			return File{}, ErrNoFile.WithField("file", "必填")
		}
		return f, nil
	}
}
