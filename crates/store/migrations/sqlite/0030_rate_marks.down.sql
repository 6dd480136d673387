DROP TABLE rate_marks;
