-- V31: MLflow 3's model_id on model versions (model_registry.proto ModelVersion.model_id): the logged model a version
-- was registered from (CreateModelVersion's model_id, or a models:/m-<id> source), shown by get and search. NULL for
-- versions of files that are no logged model. Portable SQL for SQLite and PostgreSQL.
ALTER TABLE model_versions ADD COLUMN model_id VARCHAR(64);
