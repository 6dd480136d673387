DROP INDEX audit_log_subject_path;
DROP INDEX audit_log_actor_path;
ALTER TABLE audit_log DROP COLUMN subject_path;
ALTER TABLE audit_log DROP COLUMN actor_path;

-- Back to one template per kind and language: the root unit's edits survive.
CREATE TABLE notice_templates_shared (
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, lang)
);
INSERT INTO notice_templates_shared (kind, lang, title, body, updated_at, updated_by)
SELECT t.kind, t.lang, t.title, t.body, t.updated_at, t.updated_by
FROM notice_templates t
WHERE t.unit_id = (SELECT MIN(r.id) FROM units r WHERE r.parent_id IS NULL);
DROP TABLE notice_templates;
ALTER TABLE notice_templates_shared RENAME TO notice_templates;
