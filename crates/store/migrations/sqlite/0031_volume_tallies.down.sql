DROP TABLE volume_tallies;
