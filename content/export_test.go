package content

// WithoutRevisions switches the revisions of c off, for the benchmark
// that measures what they cost.
func (c *Catalog) WithoutRevisions() *Catalog {
	cp := *c
	cp.noRevisions = true
	return &cp
}
