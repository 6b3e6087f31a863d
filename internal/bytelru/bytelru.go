// Package bytelru is a least-recently-used cache bounded by the bytes of
// what it holds as well as by its number of entries, safe for concurrent
// use. The caches of client-chosen data (parsed documents, responses,
// persisted queries) use it, so that a flood of large unique documents
// cannot grow the process past a known size: an entry larger than the
// whole budget is not kept at all.
package bytelru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values, each with a size in bytes.
type Cache[K comparable, V any] struct {
	mu         sync.Mutex
	maxBytes   int64
	maxEntries int
	bytes      int64
	order      *list.List // front: most recently used
	items      map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key  K
	val  V
	size int64
}

// New returns a cache of at most maxBytes bytes and maxEntries entries
// (0: no bound on the number of entries). A maxBytes of 0 or less keeps
// nothing.
func New[K comparable, V any](maxBytes int64, maxEntries int) *Cache[K, V] {
	return &Cache[K, V]{maxBytes: maxBytes, maxEntries: maxEntries, order: list.New(), items: map[K]*list.Element{}}
}

// Get returns the value of key and marks it recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// Contains reports whether key is cached, without marking it used.
func (c *Cache[K, V]) Contains(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.items[key]
	return ok
}

// Add caches val of size bytes under key, evicting the least recently used
// entries until both bounds hold; it reports whether val was kept (false
// when it alone is over the byte budget).
func (c *Cache[K, V]) Add(key K, val V, size int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeElement(el)
	}
	if size > c.maxBytes {
		return false
	}
	c.items[key] = c.order.PushFront(&entry[K, V]{key: key, val: val, size: size})
	c.bytes += size
	for c.bytes > c.maxBytes || (c.maxEntries > 0 && len(c.items) > c.maxEntries) {
		c.removeElement(c.order.Back())
	}
	return true
}

// Remove forgets key.
func (c *Cache[K, V]) Remove(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeElement(el)
	}
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Bytes returns the bytes the entries add up to.
func (c *Cache[K, V]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

func (c *Cache[K, V]) removeElement(el *list.Element) {
	e := c.order.Remove(el).(*entry[K, V])
	delete(c.items, e.key)
	c.bytes -= e.size
}
