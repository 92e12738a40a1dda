package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
	"palmaid/model"
	"palmaid/service/staffadmin"
)

// registerStaffAdmin mounts the password change and the administrators' account routes.
func (h *Handler) registerStaffAdmin(g *httpx.Router) {
	g.POST("/me/password", staffAdmin(), h.changePassword)
	g.GET("/admin/staff", staffRead(), h.listStaff)
	g.POST("/admin/staff", staffAdmin(), h.createStaff)
	g.POST("/admin/staff/:staffId/disable", staffAdmin(), h.disableStaff)
	g.POST("/admin/staff/:staffId/role", staffAdmin(), h.setStaffRole)
	g.POST("/admin/staff/:staffId/reset-password", staffAdmin(), h.resetStaffPassword)
	g.POST("/admin/staff/:staffId/office-phone", staffAdmin(), h.setStaffOfficePhone)
}

// mustChangeAllowed are the routes a session of an account with an initial (administrator-set)
// password may call: everything else answers 403 auth.password_change_required.
var mustChangeAllowed = map[string]bool{"/api/v1/me/password": true, "/api/v1/auth/console-password": true, "/api/v1/me": true, "/api/v1/auth/logout": true,
	"/api/v1/auth/console-session": true, "/api/v1/auth/console-logout": true}

type passwordChange struct {
	OldPassword string `json:"oldPassword"`
	NewPassword string `json:"newPassword"` // 10–128 characters, letters and digits
}

func (h *Handler) changePassword(c *gin.Context) {
	var req passwordChange
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	if len(req.OldPassword) > 128 || len(req.NewPassword) > 512 {
		httpx.Fail(c, errCredentialsRequired.WithMessage("密码过长"))
		return
	}
	res, err := h.app.Auth.ChangePassword(c.Request.Context(), staff(c), req.OldPassword, req.NewPassword)
	h.answerLogin(c, res, err)
}

type staffAccount struct {
	ID                 uint64     `json:"id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"displayName"`
	OfficePhone        string     `json:"officePhone"` // shown to residents of the cases the officer owns (首问负责)
	Role               model.Role `json:"role"`
	RoleLabel          string     `json:"roleLabel"`
	AreaCode           string     `json:"areaCode"`
	Active             bool       `json:"active"`
	MustChangePassword bool       `json:"mustChangePassword"`
	CreatedAt          time.Time  `json:"createdAt"`
	UpdatedAt          time.Time  `json:"updatedAt"`
}

type staffList struct {
	Items []staffAccount `json:"items"`
}

func toStaffAccount(st *model.Staff) staffAccount {
	return staffAccount{ID: st.ID, Username: st.Username, DisplayName: st.DisplayName, OfficePhone: st.OfficePhone, Role: st.Role, RoleLabel: st.Role.Label(),
		AreaCode: st.AreaCode, Active: st.Active, MustChangePassword: st.MustChangePassword,
		CreatedAt: st.CreatedAt.In(model.China()), UpdatedAt: st.UpdatedAt.In(model.China())}
}

type staffCreate struct {
	Username        string     `json:"username"`
	DisplayName     string     `json:"displayName"`
	Role            model.Role `json:"role"`
	AreaCode        string     `json:"areaCode"`
	InitialPassword string     `json:"initialPassword"` // to be changed at first login
	OfficePhone     string     `json:"officePhone"`     // optional: shown to residents as the officer responsible
}

type staffOfficePhone struct {
	OfficePhone string `json:"officePhone"` // "" clears it
}

type staffRoleChange struct {
	Role model.Role `json:"role"`
}

type staffPasswordReset struct {
	Password string `json:"password"` // new initial password, to be changed at next login
}

func (h *Handler) listStaff(c *gin.Context) {
	rows, err := h.app.StaffAdmin.List(c.Request.Context(), staff(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := staffList{Items: make([]staffAccount, len(rows))}
	for i := range rows {
		out.Items[i] = toStaffAccount(&rows[i])
	}
	httpx.OK(c, http.StatusOK, out)
}

func (h *Handler) createStaff(c *gin.Context) {
	var req staffCreate
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	st, err := h.app.StaffAdmin.Create(c.Request.Context(), staff(c), staffadmin.NewStaff{Username: req.Username,
		DisplayName: req.DisplayName, Role: req.Role, AreaCode: req.AreaCode, InitialPassword: req.InitialPassword, OfficePhone: req.OfficePhone})
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusCreated, toStaffAccount(st))
}

func staffID(c *gin.Context) (uint64, bool) { return httpx.PathID(c, "staffId") }

func (h *Handler) disableStaff(c *gin.Context) {
	id, ok := staffID(c)
	if !ok {
		return
	}
	st, err := h.app.StaffAdmin.Disable(c.Request.Context(), staff(c), id)
	h.staffResult(c, st, err)
}

func (h *Handler) setStaffRole(c *gin.Context) {
	id, ok := staffID(c)
	if !ok {
		return
	}
	var req staffRoleChange
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	st, err := h.app.StaffAdmin.SetRole(c.Request.Context(), staff(c), id, req.Role)
	h.staffResult(c, st, err)
}

func (h *Handler) resetStaffPassword(c *gin.Context) {
	id, ok := staffID(c)
	if !ok {
		return
	}
	var req staffPasswordReset
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	st, err := h.app.StaffAdmin.ResetPassword(c.Request.Context(), staff(c), id, req.Password)
	h.staffResult(c, st, err)
}

func (h *Handler) setStaffOfficePhone(c *gin.Context) {
	id, ok := staffID(c)
	if !ok {
		return
	}
	var req staffOfficePhone
	if err := httpx.BindJSON(c, &req); err != nil {
		httpx.Fail(c, err)
		return
	}
	st, err := h.app.StaffAdmin.SetOfficePhone(c.Request.Context(), staff(c), id, req.OfficePhone)
	h.staffResult(c, st, err)
}

func (h *Handler) staffResult(c *gin.Context, st *model.Staff, err error) {
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.OK(c, http.StatusOK, toStaffAccount(st))
}

func staffAdminDocs() []docs.Route {
	const tag = "staff"
	id := []docs.Param{{Name: "staffId", Type: "integer", Description: "账号 id（列表中的 id）"}}
	forbidden := docs.Response{Status: http.StatusForbidden, Description: "`auth.forbidden`：只有管理员（staff.admin 权限）可以管理账号"}
	notFound := docs.Response{Status: http.StatusNotFound, Description: "`staff.not_found`：账号不存在，或不在本人管辖范围内"}
	self := docs.Response{Status: http.StatusConflict, Description: "`staff.self`：不能停用或变更本人账号\n`staff.disabled`：账号已停用"}
	weak := "`auth.weak_password`：密码须为10至128位，且含字母和数字"
	return []docs.Route{
		{Method: http.MethodPost, Path: "/api/v1/me/password", OperationID: "staffChangePassword", Tag: tag, Auth: true,
			Summary: "修改本人密码：须输入原密码；其他会话全部失效，返回本会话的新令牌（初始密码登录后只能调用此接口）", Request: passwordChange{},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: loginResponse{}, Description: "新令牌；旧令牌已失效"},
				{Status: http.StatusUnprocessableEntity, Description: "`auth.wrong_password`：原密码不正确\n" + weak + "\n`auth.same_password`：新旧密码相同"},
			}},
		{Method: http.MethodGet, Path: "/api/v1/admin/staff", OperationID: "adminListStaff", Tag: tag, Auth: true,
			Summary:   "本人管辖范围内的工作人员账号（含已停用）",
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffList{}, Description: "按用户名排序"}, forbidden}},
		{Method: http.MethodPost, Path: "/api/v1/admin/staff", OperationID: "adminCreateStaff", Tag: tag, Auth: true,
			Summary: "新建账号（区划须在本人管辖范围内；持有人首次登录须修改初始密码；留痕）", Request: staffCreate{},
			Responses: []docs.Response{
				{Status: http.StatusCreated, Body: staffAccount{}, Description: "新账号"},
				{Status: http.StatusBadRequest, Description: "`staff.invalid_username`：用户名为3至32位小写字母、数字、点、下划线或连字符（先做 NFKC 规范化并转小写）\n" +
					"`staff.invalid_role`：岗位不正确\n`staff.invalid_area`：区划不正确或不在管辖范围内\n`staff.role_area_mismatch`：岗位与区划层级不符\n" +
					"`staff.invalid_display_name`：姓名为1至64个字符\n`staff.invalid_office_phone`：办公电话不正确\n`request.invalid_text`：含不可见字符"},
				{Status: http.StatusConflict, Description: "`staff.username_taken`：用户名已被使用"},
				{Status: http.StatusUnprocessableEntity, Description: weak},
				forbidden,
			}},
		{Method: http.MethodPost, Path: "/api/v1/admin/staff/{staffId}/disable", OperationID: "adminDisableStaff", Tag: tag, Auth: true,
			Summary: "停用账号：其全部会话立即失效（留痕）", PathParams: id,
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffAccount{}, Description: "已停用的账号"}, forbidden, notFound, self}},
		{Method: http.MethodPost, Path: "/api/v1/admin/staff/{staffId}/role", OperationID: "adminSetStaffRole", Tag: tag, Auth: true,
			Summary: "变更岗位（须与账号区划层级相符；留痕）", PathParams: id, Request: staffRoleChange{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffAccount{}, Description: "变更后的账号"},
				{Status: http.StatusBadRequest, Description: "`staff.invalid_role`：岗位不正确\n`staff.role_area_mismatch`：岗位与区划层级不符"},
				forbidden, notFound, self}},
		{Method: http.MethodPost, Path: "/api/v1/admin/staff/{staffId}/reset-password", OperationID: "adminResetStaffPassword", Tag: tag, Auth: true,
			Summary: "重置密码：其全部会话失效，下次登录后只能先修改密码（留痕）", PathParams: id, Request: staffPasswordReset{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffAccount{}, Description: "重置后的账号（mustChangePassword=true）"},
				{Status: http.StatusUnprocessableEntity, Description: weak}, forbidden, notFound, self}},
		{Method: http.MethodPost, Path: "/api/v1/admin/staff/{staffId}/office-phone", OperationID: "adminSetStaffOfficePhone", Tag: tag, Auth: true,
			Summary: "设置办公电话：居民在其负责的申请进度中看到经办人姓名和办公电话（首问负责；空串清除；留痕）", PathParams: id, Request: staffOfficePhone{},
			Responses: []docs.Response{{Status: http.StatusOK, Body: staffAccount{}, Description: "变更后的账号"},
				{Status: http.StatusBadRequest, Description: "`staff.invalid_office_phone`：办公电话为5至20位数字，可含连字符"},
				forbidden, notFound, self}},
	}
}
