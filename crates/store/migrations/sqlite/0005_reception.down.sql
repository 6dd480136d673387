DROP TABLE field_visit_cases;
DROP TABLE field_visits;
DROP TABLE appointments;
DROP TABLE reception_slots;
DROP TABLE portal_settings;
