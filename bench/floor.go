package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/gin-gonic/gin"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/ncruces/go-sqlite3/driver"
	"github.com/redis/go-redis/v9"

	"palmaid/service/store"
)

// floorRows is the size of the floor's table: reads are spread over it.
const floorRows = 1000

// serveFloor is the floor, run as its own process (bench -serve-floor): a bare Gin engine
// (release mode, no middleware) with one handler doing one primary-key SELECT on the same
// database, driver and DSN treatment palmaid uses (pool of 20, like PALMAID_DB_MAX_OPEN_CONNS),
// and one doing one Redis GET. Nothing palmaid does per request can be cheaper than this.
func serveFloor(addr, driver, dsn, redisAddr string) {
	var db *sql.DB
	var err error
	switch driver {
	case "mysql":
		db, err = sql.Open("mysql", store.MySQLDSN(dsn))
	default:
		db, err = sql.Open("sqlite3", store.SQLiteDSN(dsn))
	}
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS bench_floor (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(64) NOT NULL)"); err != nil {
		log.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM bench_floor"); err != nil {
		log.Fatal(err)
	}
	for i := 0; i < floorRows; i++ {
		if _, err := db.ExecContext(ctx, "INSERT INTO bench_floor (id, v) VALUES (?, ?)", i, fmt.Sprintf("value-%d", i)); err != nil {
			log.Fatal(err)
		}
	}
	if redisAddr == "" {
		mr, err := miniredis.Run()
		if err != nil {
			log.Fatal(err)
		}
		redisAddr = mr.Addr()
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 20})
	key := "palmaid-bench-floor:" + strconv.Itoa(int(time.Now().UnixNano()))
	if err := rdb.Set(ctx, key, "value", time.Hour).Err(); err != nil {
		log.Fatal(err)
	}
	// The bench stops the floor with an interrupt: remove the key then (it expires anyway).
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		rdb.Del(context.Background(), key)
		os.Exit(0)
	}()

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/floor/sql", func(c *gin.Context) {
		id, _ := strconv.Atoi(c.Query("id"))
		var v string
		if err := db.QueryRowContext(c.Request.Context(), "SELECT v FROM bench_floor WHERE id = ?", id%floorRows).Scan(&v); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"id": id, "v": v})
	})
	r.GET("/floor/redis", func(c *gin.Context) {
		v, err := rdb.Get(c.Request.Context(), key).Result()
		if err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"v": v})
	})
	r.GET("/readyz", func(c *gin.Context) { c.Status(http.StatusOK) })
	srv := &http.Server{Addr: addr, Handler: r, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
