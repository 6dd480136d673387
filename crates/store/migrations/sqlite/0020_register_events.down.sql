DROP TABLE register_events;
