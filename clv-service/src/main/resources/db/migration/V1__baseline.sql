-- clv-service schema starts here; features add their own versioned migrations.
SELECT 1;
