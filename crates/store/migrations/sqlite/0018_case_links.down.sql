DROP INDEX IF EXISTS case_links_hi;
DROP TABLE case_links;
