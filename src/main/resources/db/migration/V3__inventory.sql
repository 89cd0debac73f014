-- The network inventory, one row per revision (docs/inventory.md). The highest version is the
-- current inventory; older rows are its history (who changed what, when). The document is kept
-- as it was given (YAML or JSON text, comments included) and re-read on load with the parser its
-- format names; sha256 is over its UTF-8 bytes. The newest row with source 'file' tells start-up which file content was seeded last:
-- a configured file with another hash replaces the stored inventory, the same hash keeps it.
CREATE TABLE inventory_revision (
    version     BIGINT      PRIMARY KEY CHECK (version > 0),
    document    TEXT        NOT NULL,
    format      TEXT        NOT NULL CHECK (format IN ('yaml', 'json')),
    sha256      CHAR(64)    NOT NULL,
    source      TEXT        NOT NULL CHECK (source IN ('file', 'api')),
    location    TEXT,
    updated_by  TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX inventory_revision_source ON inventory_revision (source, version DESC);
