package httpx

import (
	"github.com/gin-gonic/gin"

	"palmaid/model"
)

// PathID reads the numeric path parameter name through model.ParseID, the one parser of
// numeric path ids; on a malformed or out-of-range id it answers 400 request.invalid_id and
// returns false.
func PathID(c *gin.Context, name string) (uint64, bool) {
	id, err := model.ParseID(c.Param(name))
	if err != nil {
		Fail(c, err)
		return 0, false
	}
	return id, true
}
