-- Exports of a queue to XLSX or CSV. Each runs as a background job on the instance that
-- was asked; the row records who asked, for which filters, how far it has got, and the
-- file it produced (in that instance's <data>/exports).
CREATE TABLE exports (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    source        TEXT NOT NULL,
    format        TEXT NOT NULL,
    params        TEXT NOT NULL,
    personal      INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    done_rows     BIGINT NOT NULL DEFAULT 0,
    total_rows    BIGINT NOT NULL DEFAULT 0,
    file_name     TEXT,
    error         TEXT,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX exports_user ON exports(user_id, id);
