package storage

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config is the connection to an S3-compatible service (config PALMAID_STORAGE_*).
type S3Config struct {
	Endpoint  string // host[:port], no scheme: cos.ap-guangzhou.myqcloud.com, oss-cn-hangzhou.aliyuncs.com, minio:9000
	Region    string // ap-guangzhou, cn-hangzhou, us-east-1 …; empty: asked of the service
	Bucket    string
	AccessKey string
	SecretKey string
	UseTLS    bool
	// Lookup: "auto" (minio-go decides by the endpoint), "dns" (virtual-hosted:
	// bucket.endpoint — COS and OSS) or "path" (endpoint/bucket — MinIO).
	Lookup    string
	Transport http.RoundTripper // nil: minio-go's default
}

// S3 stores objects in one bucket of an S3-compatible service.
type S3 struct {
	c      *minio.Client
	bucket string
}

// NewS3 connects and checks that the bucket exists (a missing bucket or refused credentials
// are reported at start, naming the setting).
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	lookup := minio.BucketLookupAuto
	switch cfg.Lookup {
	case "", "auto":
	case "dns":
		lookup = minio.BucketLookupDNS
	case "path":
		lookup = minio.BucketLookupPath
	default:
		return nil, fmt.Errorf("PALMAID_STORAGE_BUCKET_LOOKUP: %q is not auto, dns or path", cfg.Lookup)
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseTLS, Region: cfg.Region, BucketLookup: lookup, Transport: cfg.Transport})
	if err != nil {
		return nil, fmt.Errorf("PALMAID_STORAGE_ENDPOINT: %w", err)
	}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		code := minio.ToErrorResponse(err).Code
		switch code {
		case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch":
			return nil, fmt.Errorf("PALMAID_STORAGE_ACCESS_KEY/PALMAID_STORAGE_SECRET_KEY: object storage at %s refused them (%s)", cfg.Endpoint, code)
		}
		return nil, fmt.Errorf("object storage at %s (PALMAID_STORAGE_ENDPOINT): %w", cfg.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("PALMAID_STORAGE_BUCKET: bucket %q does not exist at %s (create it first; palmaid never creates buckets)", cfg.Bucket, cfg.Endpoint)
	}
	return &S3{c: c, bucket: cfg.Bucket}, nil
}

// Put uploads exactly size bytes.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if !ValidKey(key) {
		return ErrBadKey
	}
	_, err := s.c.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{ContentType: contentType,
		ContentDisposition: "attachment"})
	if err != nil {
		return fmt.Errorf("storage: put: %w", err)
	}
	return nil
}

// Get streams the object.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if !ValidKey(key) {
		return nil, Info{}, ErrBadKey
	}
	obj, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, s3Err(err)
	}
	st, err := obj.Stat() // the first request: a missing key shows here
	if err != nil {
		_ = obj.Close()
		return nil, Info{}, s3Err(err)
	}
	return obj, Info{Key: key, Size: st.Size, ContentType: st.ContentType, Modified: st.LastModified}, nil
}

// Stat describes the object.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if !ValidKey(key) {
		return Info{}, ErrBadKey
	}
	st, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s3Err(err)
	}
	return Info{Key: key, Size: st.Size, ContentType: st.ContentType, Modified: st.LastModified}, nil
}

// Delete removes the object; a missing one is not an error (S3 semantics).
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return ErrBadKey
	}
	if err := s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return s3Err(err)
	}
	return nil
}

// Keys lists every object of the bucket that has a key of ours.
func (s *S3) Keys(ctx context.Context) ([]string, error) {
	var out []string
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return nil, s3Err(o.Err)
		}
		if ValidKey(o.Key) {
			out = append(out, o.Key)
		}
	}
	return out, nil
}

func s3Err(err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound":
		return ErrNotFound
	}
	if strings.Contains(err.Error(), "key does not exist") {
		return ErrNotFound
	}
	return fmt.Errorf("storage: %w", err)
}
