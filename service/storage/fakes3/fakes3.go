// Package fakes3 starts a real S3-protocol server inside the test process: gofakes3
// (github.com/johannesboyne/gofakes3) with its in-memory backend, behind an httptest server on
// a loopback port. Nothing is downloaded or run outside the test binary; minio-go talks to it
// exactly as it talks to MinIO, COS or OSS (signed requests, path-style buckets).
package fakes3

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"palmaid/service/storage"
)

// Server is a running fake S3 service.
type Server struct {
	URL     string
	Backend *s3mem.Backend
}

// Start runs the server until the test ends and creates the buckets given.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	be := s3mem.New()
	for _, b := range buckets {
		if err := be.CreateBucket(b); err != nil {
			t.Fatalf("fakes3: create bucket %s: %v", b, err)
		}
	}
	srv := httptest.NewServer(gofakes3.New(be).Server())
	t.Cleanup(srv.Close)
	return &Server{URL: srv.URL, Backend: be}
}

// Config is the storage configuration that reaches bucket on this server.
func (s *Server) Config(bucket string) storage.S3Config {
	return storage.S3Config{Endpoint: strings.TrimPrefix(s.URL, "http://"), Region: "us-east-1", Bucket: bucket,
		AccessKey: "palmaid-test", SecretKey: "palmaid-test-secret", UseTLS: false, Lookup: "path"}
}
