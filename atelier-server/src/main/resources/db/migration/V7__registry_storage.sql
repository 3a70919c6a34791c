-- Registry-owned storage of model versions (issue 5). A version's files are copied from its
-- source into the workspace's artifact folder registry/<id>/ (storage_location, relative to the
-- workspace's artifact root), so that deleting the source run does not break the model.
-- While the copy runs the version is PENDING_REGISTRATION; copy_source is the folder being copied
-- and claimed_until the lease of the server copying it (a server that finds a pending version
-- whose lease expired takes the copy over). Versions created before this migration keep their
-- files where their source says (storage_location NULL).

ALTER TABLE model_versions ADD COLUMN storage_location TEXT;
ALTER TABLE model_versions ADD COLUMN status_message TEXT;
ALTER TABLE model_versions ADD COLUMN copy_source TEXT;
ALTER TABLE model_versions ADD COLUMN claimed_until BIGINT;
CREATE INDEX model_versions_by_status ON model_versions (status, claimed_until);
