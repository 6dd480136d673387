DROP TABLE IF EXISTS stat_tallies;
