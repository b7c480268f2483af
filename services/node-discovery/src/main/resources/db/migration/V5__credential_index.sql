-- Agents are looked up by the hash of their credential on every call the cache does not answer;
-- without an index that is a scan of every node.
CREATE UNIQUE INDEX nodes_credential_hash ON nodes (credential_hash) WHERE credential_hash IS NOT NULL;
