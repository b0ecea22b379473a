-- The horizon a primary publishes for its standbys, which cannot see the
-- primary's running transactions. One row; replicated like any table.
CREATE TABLE sync_horizon_publication (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    horizon      timestamp NOT NULL,
    published_at timestamptz NOT NULL
);

COMMENT ON TABLE sync_horizon_publication IS
'The safe horizon last published by sync_publish_horizon() on the primary; standbys read it';

CREATE FUNCTION sync_safe_horizon()
RETURNS timestamp
AS 'MODULE_PATHNAME', 'sync_safe_horizon'
LANGUAGE C STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION sync_safe_horizon() IS
'Newest last_modified_at a client may keep as its cursor: no running transaction can still commit a row stamped at or before it; NULL when unknown';

CREATE FUNCTION sync_publish_horizon()
RETURNS timestamp
AS 'MODULE_PATHNAME', 'sync_publish_horizon'
LANGUAGE C VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION sync_publish_horizon() IS
'On the primary: records the current safe horizon in sync_horizon_publication for standbys; call it on a schedule';
