package wechat

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

const (
	// cacheOpTimeout bounds each Redis call made through the context-less
	// cache.Cache interface.
	cacheOpTimeout = 2 * time.Second
	// minCacheTTL replaces a TTL <= 0: the SDK computes expires_in-300 (or
	// -1500), which can be <= 0, and Redis would otherwise keep the value
	// forever (0) or reject/keep the old TTL (negative).
	minCacheTTL = time.Second
)

// NewRedisCache adapts a go-redis v9 client to the SDK's cache.Cache (and
// cache.ContextCache). Keys are used as given; New adds Config.CacheKeyPrefix.
func NewRedisCache(rdb redis.UniversalClient) cache.Cache {
	return newRedisCache(rdb, "")
}

func newRedisCache(rdb redis.UniversalClient, prefix string) *redisCache {
	if prefix != "" && prefix[len(prefix)-1] != ':' {
		prefix += ":"
	}
	return &redisCache{rdb: rdb, prefix: prefix}
}

type redisCache struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ cache.ContextCache = (*redisCache)(nil)

func (c *redisCache) key(k string) string { return c.prefix + k }

func opContext(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, cacheOpTimeout)
}

// Get returns the value as a plain string (the SDK type-asserts val.(string)),
// or nil when the key is missing or Redis fails.
func (c *redisCache) Get(key string) interface{} {
	return c.GetContext(context.Background(), key)
}

// GetContext is Get bounded by ctx.
func (c *redisCache) GetContext(ctx context.Context, key string) interface{} {
	ctx, cancel := opContext(ctx)
	defer cancel()
	v, err := c.rdb.Get(ctx, c.key(key)).Result()
	if err != nil {
		return nil
	}
	return v
}

// Set stores val with timeout as TTL; a TTL <= 0 is clamped to minCacheTTL.
func (c *redisCache) Set(key string, val interface{}, timeout time.Duration) error {
	return c.SetContext(context.Background(), key, val, timeout)
}

// SetContext is Set bounded by ctx.
func (c *redisCache) SetContext(ctx context.Context, key string, val interface{}, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = minCacheTTL
	}
	ctx, cancel := opContext(ctx)
	defer cancel()
	return c.rdb.Set(ctx, c.key(key), val, timeout).Err()
}

// IsExist reports whether key exists; false when Redis fails.
func (c *redisCache) IsExist(key string) bool {
	return c.IsExistContext(context.Background(), key)
}

// IsExistContext is IsExist bounded by ctx.
func (c *redisCache) IsExistContext(ctx context.Context, key string) bool {
	ctx, cancel := opContext(ctx)
	defer cancel()
	n, err := c.rdb.Exists(ctx, c.key(key)).Result()
	return err == nil && n > 0
}

// Delete removes key; deleting a missing key is not an error.
func (c *redisCache) Delete(key string) error {
	return c.DeleteContext(context.Background(), key)
}

// DeleteContext is Delete bounded by ctx.
func (c *redisCache) DeleteContext(ctx context.Context, key string) error {
	ctx, cancel := opContext(ctx)
	defer cancel()
	err := c.rdb.Del(ctx, c.key(key)).Err()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}
