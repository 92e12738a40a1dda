package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"palmaid/api/httpx"
	"palmaid/docs"
)

// The console's investigator picker: the staff who may visit a village, chosen by name.

type investigatorItem struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	RoleLabel   string `json:"roleLabel"`
	AreaCode    string `json:"areaCode"`
}

type investigatorList struct {
	Items []investigatorItem `json:"items"` // by username
}

func (h *Handler) registerInvestigators(g *httpx.Router) {
	g.GET("/investigators", staffRead(), h.investigators)
}

func (h *Handler) investigators(c *gin.Context) {
	people, err := h.app.StaffAdmin.Investigators(c.Request.Context(), staff(c), c.Query("village"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := investigatorList{Items: make([]investigatorItem, len(people))}
	for i, p := range people {
		out.Items[i] = investigatorItem{Username: p.Username, DisplayName: p.DisplayName, RoleLabel: p.Role.Label(), AreaCode: p.AreaCode}
	}
	httpx.OK(c, http.StatusOK, out)
}

func investigatorDocs() []docs.Route {
	return []docs.Route{
		{Method: http.MethodGet, Path: "/api/v1/investigators", OperationID: "staffListInvestigators", Tag: "staff", Auth: true,
			Summary: "可到该村（社区）入户调查的在岗工作人员（本村、本乡镇、本县有入户调查权限的），供工作台选择调查人员；记录入户调查时仍按规则校验",
			Query:   []docs.Param{{Name: "village", Description: "12位村（社区）代码，须在本人辖区内", Required: true}},
			Responses: []docs.Response{
				{Status: http.StatusOK, Body: investigatorList{}, Description: "按用户名排列"},
				{Status: http.StatusBadRequest, Description: "`staff.invalid_village`：不是12位村（社区）代码"},
				{Status: http.StatusForbidden, Description: "`auth.forbidden`：本岗位不查看申请"},
				{Status: http.StatusNotFound, Description: "`staff.village_not_found`：村（社区）不存在或不在本人辖区内"},
			}},
	}
}
