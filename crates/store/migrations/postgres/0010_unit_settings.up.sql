-- Settings belong to a unit (issue 8). Notice templates are kept per unit: a unit's
-- template overrides its parent's, and the defaults ship in data/notices.toml. An edit
-- made before this, when templates applied everywhere, stays with the editor's unit (the
-- root unit when the editor is unknown), so it no longer reaches other counties.
CREATE TABLE notice_templates_by_unit (
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, kind, lang)
);
INSERT INTO notice_templates_by_unit (unit_id, kind, lang, title, body, updated_at, updated_by)
SELECT COALESCE((SELECT u.unit_id FROM users u WHERE u.username = t.updated_by),
                (SELECT MIN(r.id) FROM units r WHERE r.parent_id IS NULL)),
       t.kind, t.lang, t.title, t.body, t.updated_at, t.updated_by
FROM notice_templates t
WHERE EXISTS (SELECT 1 FROM units r WHERE r.parent_id IS NULL);
DROP TABLE notice_templates;
ALTER TABLE notice_templates_by_unit RENAME TO notice_templates;

-- The audit log is scoped like cases. Each entry records the unit of whoever acted (as
-- it was then; '/' when nobody known acted, e.g. a failed login with an unknown name) and
-- the unit of what it is about (the case whose personal data was read, the account that
-- logged in or was reset, the unit whose templates changed), if any.
ALTER TABLE audit_log ADD COLUMN actor_path TEXT COLLATE "C" NOT NULL DEFAULT '/';
ALTER TABLE audit_log ADD COLUMN subject_path TEXT COLLATE "C";
UPDATE audit_log SET actor_path = COALESCE(
    (SELECT un.path FROM users u JOIN units un ON un.id = u.unit_id WHERE u.id = audit_log.actor_id),
    '/');
UPDATE audit_log SET subject_path =
    (SELECT c.unit_path FROM cases c WHERE c.case_no = audit_log.target)
WHERE action = 'read_personal_data';
UPDATE audit_log SET subject_path =
    (SELECT un.path FROM users u JOIN units un ON un.id = u.unit_id WHERE u.username = audit_log.target)
WHERE action IN ('login', 'login_failed', 'password_reset');
CREATE INDEX audit_log_actor_path ON audit_log(actor_path, id);
CREATE INDEX audit_log_subject_path ON audit_log(subject_path, id);
