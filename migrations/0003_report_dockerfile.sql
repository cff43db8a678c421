-- Whether a report has a converted Dockerfile to serve at
-- /api/v1/reports/{id}/dockerfile, so that its links name that address only
-- when it answers. (`converted` says whether the conversion differs from the
-- input; a file that is already lean has a conversion equal to it.) Reports
-- stored before are read once here; a report whose JSON does not read gets 0
-- rather than stopping the migration.
ALTER TABLE reports ADD COLUMN has_dockerfile INTEGER NOT NULL DEFAULT 0;

UPDATE reports SET has_dockerfile = CASE
    WHEN json_valid(report) THEN coalesce(json_type(report, '$.conversion') = 'object', 0)
    ELSE 0
END;
