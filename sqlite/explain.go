package sqlite

import (
	"context"
	"fmt"
	"strings"

	"estafette/content"
)

// Explain returns the query plan SQLite chooses for a Find of q: one line
// per step of EXPLAIN QUERY PLAN, indented by depth, such as
// "SEARCH d USING INDEX activity__status_region_startKey_id (status=? AND region=?)".
// A plan that sorts rather than reads an index in order has a line
// "USE TEMP B-TREE FOR ORDER BY".
func (s *Store) Explain(ctx context.Context, q content.Query) (string, error) {
	t, err := s.table(q.Kind)
	if err != nil {
		return "", err
	}
	drive, err := s.selectiveTerm(ctx, t, q)
	if err != nil {
		return "", fmt.Errorf("sqlite: explain: %w", err)
	}
	stmt, args, err := drivenFindSQL(t, q, drive)
	if err != nil {
		return "", err
	}
	rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+stmt, args...)
	if err != nil {
		return "", fmt.Errorf("sqlite: explain: %w", err)
	}
	defer rows.Close()
	depth := map[int]int{}
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", fmt.Errorf("sqlite: explain: %w", err)
		}
		depth[id] = depth[parent] + 1
		lines = append(lines, strings.Repeat("  ", depth[id]-1)+detail)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("sqlite: explain: %w", err)
	}
	return strings.Join(lines, "\n"), nil
}
