DROP TABLE hotspot_owners;
DROP TABLE annual_reports;
DROP TABLE annual_report_templates;
