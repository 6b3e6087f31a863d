package graph

import (
	"estafette/content"
	"estafette/graph/model"
)

// contentID returns the kind and record id of the global ID of a content
// record.
func contentID(gid string) (content.Kind, string, error) {
	kind, id, err := parseGlobalID(gid)
	if err != nil {
		return "", "", err
	}
	if !content.IsContentKind(kind) {
		return "", "", content.Invalidf("id", "this ID does not name a content record")
	}
	return kind, id, nil
}

// recordPayload is the payload of a write of a record of any type.
func recordPayload(rec content.Record, err error) (*model.RecordPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.RecordPayload{Record: rec, Version: int(content.MetaOf(rec).Version)}, nil
}
