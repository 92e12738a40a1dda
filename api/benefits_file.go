package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/benefits"
)

// FeedbackFilePath is the roster feedback import under /api/v1 (multipart: version and file).
const FeedbackFilePath = "/rosters/:id/feedback-file"

var (
	errFeedbackForm     = model.ErrContentType.WithField("Content-Type", "请以 multipart/form-data 格式上传回盘文件")
	errFeedbackFormPart = benefits.ErrFeedbackFile.WithField("file", "表单只需 version 和 file 两部分")
	errFeedbackVersion  = benefits.ErrFeedbackFile.WithField("version", "花名册的 version（整数）")
	errFeedbackTooLarge = model.E(model.KindTooLarge, "roster.feedback_file_too_large", "回盘文件不能超过32MB")
)

// feedbackFileLimit: the import takes a larger body than JSON, and more time.
func feedbackFileLimit(prefix string) httpx.RouteLimit {
	return httpx.RouteLimit{Path: prefix + FeedbackFilePath, Max: benefits.MaxFeedbackFileBytes + 64<<10, Err: errFeedbackTooLarge, Time: 2 * time.Minute}
}

// feedbackForm reads the multipart form when the service asks (after the roster is found).
func feedbackForm(req *http.Request) benefits.FeedbackForm {
	return func() (int, []byte, error) {
		mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			return 0, nil, errFeedbackForm
		}
		mr, err := req.MultipartReader()
		if err != nil {
			return 0, nil, errFeedbackForm.WithCause(err)
		}
		version, haveVersion := 0, false
		var file []byte
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					return 0, nil, errFeedbackTooLarge.WithCause(err)
				}
				return 0, nil, errFeedbackFormPart.WithCause(err)
			}
			var limit int64 = 32
			if part.FormName() == "file" {
				limit = benefits.MaxFeedbackFileBytes
			} else if part.FormName() != "version" {
				_ = part.Close()
				return 0, nil, errFeedbackFormPart
			}
			data, err := io.ReadAll(io.LimitReader(part, limit+1))
			_ = part.Close()
			if err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					return 0, nil, errFeedbackTooLarge.WithCause(err)
				}
				return 0, nil, errFeedbackFormPart.WithCause(err)
			}
			if int64(len(data)) > limit {
				if part.FormName() == "file" {
					return 0, nil, errFeedbackTooLarge
				}
				return 0, nil, errFeedbackVersion
			}
			if part.FormName() == "file" {
				file = data
				continue
			}
			if version, err = strconv.Atoi(strings.TrimSpace(string(data))); err != nil {
				return 0, nil, errFeedbackVersion
			}
			haveVersion = true
		}
		if !haveVersion {
			return 0, nil, errFeedbackVersion
		}
		return version, file, nil
	}
}

func (h *Handler) rosterFeedbackFile(c *gin.Context) {
	r, err := h.app.Benefits.FeedbackFile(c.Request.Context(), staff(c), c.Param("id"), feedbackForm(c.Request))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toRosterView(r))
}

func feedbackFileDocs() docs.Route {
	return docs.Route{Method: http.MethodPost, Path: "/api/v1/rosters/{id}/feedback-file", OperationID: "staffRosterFeedbackFile", Tag: "staff", Auth: true,
		Summary: "以文件导入银行（财政）回盘结果：CSV 或 Excel，列与导出文件相同（按表头找“序号”“反馈状态”，“发放合计”“账号”尾号核对）；反馈状态填“成功”或“失败：原因”，空为尚无结果。" +
			"整个文件一起校验：同一序号出现两次、序号不在花名册中、金额或尾号不符、已有结果的行，整个文件不导入；导入留痕（含文件 SHA-256）",
		PathParams: []docs.Param{{Name: "id", Description: "花名册编号"}},
		Form: &docs.Form{Fields: []docs.FormField{{Name: "version", Type: "integer", Required: true, Description: "花名册的 version"},
			{Name: "file", File: true, Required: true, ContentTypes: []string{"text/csv", xlsxType}, Description: "回盘文件（最大32MB）"}}},
		Responses: []docs.Response{{Status: http.StatusOK, Body: rosterView{}, Description: "已导入；全部回盘后花名册为“已回盘”"},
			{Status: http.StatusBadRequest, Description: "`roster.invalid_feedback_file`：文件无法读取、缺少“序号”或“反馈状态”列、反馈状态不正确或失败未写原因（fields 指明行）"},
			{Status: http.StatusForbidden, Description: "`auth.forbidden`：岗位不能导入回盘结果"},
			{Status: http.StatusNotFound, Description: "`roster.not_found`：花名册不存在，或不在本人辖区"},
			{Status: http.StatusConflict, Description: "`roster.wrong_state`：花名册尚未导出，或已回盘\n`roster.version_mismatch`：花名册已被他人更新"},
			{Status: http.StatusRequestEntityTooLarge, Description: "`roster.feedback_file_too_large`：回盘文件不能超过32MB"},
			{Status: http.StatusUnprocessableEntity, Description: "`roster.feedback_file_mismatch`：文件与花名册不符（同一序号两次、序号不在花名册中、金额或尾号不符、该行已有结果），整个文件未导入"}}}
}
