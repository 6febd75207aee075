-- Micro-communities: interest groups, members, invites, threads, replies,
-- reactions, reports and member blocks.

ALTER TABLE brands ADD COLUMN community_webhook_url TEXT;

CREATE TABLE groups (
  id          TEXT PRIMARY KEY,
  brand_id    TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  moderation  TEXT NOT NULL CHECK (moderation IN ('pre', 'post')),
  product_id  TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX groups_by_brand ON groups (brand_id, created_at);

-- member_key: 'm:<member token>' or 'id:<brand customer id>'.
CREATE TABLE group_members (
  group_id     TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  member_key   TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'lead')),
  verified     INTEGER NOT NULL DEFAULT 0,
  joined_at    INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, member_key)
);
CREATE INDEX members_by_key ON group_members (member_key);

CREATE TABLE invites (
  token      TEXT PRIMARY KEY,
  group_id   TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  brand_id   TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  single_use INTEGER NOT NULL DEFAULT 0,
  uses       INTEGER NOT NULL DEFAULT 0,
  revoked    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE threads (
  id               TEXT PRIMARY KEY,
  group_id         TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  brand_id         TEXT NOT NULL,
  author_key       TEXT NOT NULL,
  author_name      TEXT NOT NULL,
  title            TEXT NOT NULL,
  body             TEXT NOT NULL,
  photo            TEXT,                 -- JSON PhotoView
  status           TEXT NOT NULL CHECK (status IN ('visible', 'pending', 'hidden', 'deleted')),
  pinned           INTEGER NOT NULL DEFAULT 0,
  reply_count      INTEGER NOT NULL DEFAULT 0,
  last_activity_at INTEGER NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX threads_by_group ON threads (group_id, status, pinned DESC, last_activity_at DESC, id DESC);

CREATE TABLE replies (
  id          TEXT PRIMARY KEY,
  thread_id   TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  group_id    TEXT NOT NULL,
  brand_id    TEXT NOT NULL,
  author_key  TEXT NOT NULL,
  author_name TEXT NOT NULL,
  body        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('visible', 'pending', 'hidden', 'deleted')),
  created_at  INTEGER NOT NULL
);
CREATE INDEX replies_by_thread ON replies (thread_id, created_at, id);

CREATE TABLE reactions (
  target_id  TEXT NOT NULL,
  member_key TEXT NOT NULL,
  kind       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (target_id, member_key, kind)
);

CREATE TABLE reports (
  id          TEXT PRIMARY KEY,
  brand_id    TEXT NOT NULL,
  group_id    TEXT NOT NULL,
  target_type TEXT NOT NULL CHECK (target_type IN ('thread', 'reply')),
  target_id   TEXT NOT NULL,
  reporter    TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  resolved    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  UNIQUE (target_id, reporter)
);

CREATE TABLE member_blocks (
  brand_id   TEXT NOT NULL,
  member_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (brand_id, member_key)
);
