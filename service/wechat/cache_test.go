package wechat_test

import (
	"context"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"

	"palmaid/service/wechat"
	"palmaid/service/wechat/wxsim"
)

func TestRedisCache(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		c := wechat.NewRedisCache(b.rdb)
		k := b.prefix + "token"

		if v := c.Get(k); v != nil {
			t.Fatalf("Get(missing) = %#v; want untyped nil", v)
		}
		if c.IsExist(k) {
			t.Fatal("IsExist(missing) = true")
		}
		if err := c.Set(k, "tok-123", time.Hour); err != nil {
			t.Fatalf("Set: %v", err)
		}
		v := c.Get(k)
		if s, ok := v.(string); !ok || s != "tok-123" {
			t.Fatalf("Get = %#v (%T); want plain string tok-123 (the SDK does val.(string))", v, v)
		}
		if !c.IsExist(k) {
			t.Fatal("IsExist after Set = false")
		}
		if ttl := b.rdb.TTL(ctx, k).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
			t.Fatalf("TTL = %v; want about 1h", ttl)
		}
		if err := c.Delete(k); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if c.IsExist(k) || c.Get(k) != nil {
			t.Fatal("key still present after Delete")
		}
		if err := c.Delete(k); err != nil {
			t.Fatalf("Delete(missing) = %v; want nil", err)
		}
	})
}

func TestRedisCacheClampsTTL(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		c := wechat.NewRedisCache(b.rdb)
		for i, ttl := range []time.Duration{0, -300 * time.Second} {
			k := b.prefix + "clamp" + string(rune('a'+i))
			if err := c.Set(k, "v", ttl); err != nil {
				t.Fatalf("Set(ttl %v): %v", ttl, err)
			}
			got := b.rdb.TTL(ctx, k).Val()
			if got <= 0 || got > time.Second {
				t.Fatalf("Set(ttl %v) stored TTL %v; want clamped into (0, 1s]", ttl, got)
			}
		}
		b.advance(1100 * time.Millisecond)
		if c.IsExist(b.prefix+"clampa") || c.IsExist(b.prefix+"clampb") {
			t.Fatal("clamped keys did not expire")
		}
	})
}

func TestRedisCacheContext(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		cc, ok := wechat.NewRedisCache(b.rdb).(cache.ContextCache)
		if !ok {
			t.Fatal("NewRedisCache does not implement cache.ContextCache")
		}
		k := b.prefix + "ctx"
		if err := cc.SetContext(context.Background(), k, "v", time.Minute); err != nil {
			t.Fatal(err)
		}
		if v := cc.GetContext(context.Background(), k); v != "v" {
			t.Fatalf("GetContext = %#v; want v", v)
		}
		cancelled, cancel := context.WithCancel(context.Background())
		cancel()
		if v := cc.GetContext(cancelled, k); v != nil {
			t.Fatalf("GetContext(cancelled) = %#v; want nil", v)
		}
		if err := cc.DeleteContext(cancelled, k); err == nil {
			t.Fatal("DeleteContext(cancelled) = nil; want an error")
		}
		if !cc.IsExistContext(context.Background(), k) {
			t.Fatal("key vanished although the delete was cancelled")
		}
	})
}

// TestClientOnBackends runs the SDK token path against each Redis: the stable
// token is cached under Config.CacheKeyPrefix and reused.
func TestClientOnBackends(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		c, err := wechat.New(testConfig(b.prefix), b.rdb)
		if err != nil {
			t.Fatal(err)
		}
		before := sim.Calls(wxsim.PathStableToken)
		for i := 0; i < 3; i++ {
			if _, err := c.PhoneNumber(ctx, "code"); err != nil {
				t.Fatalf("PhoneNumber #%d: %v", i, err)
			}
		}
		if got := sim.Calls(wxsim.PathStableToken) - before; got != 1 {
			t.Fatalf("%d token fetches for 3 calls; want 1 (cached)", got)
		}
		if n := b.rdb.Exists(ctx, tokenKey(b.prefix)).Val(); n != 1 {
			t.Fatalf("token key %s missing in %s", tokenKey(b.prefix), b.name)
		}
	})
}
