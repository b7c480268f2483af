-- The cluster a node is a member of, from node-discovery's NodeJoinedCluster and NodeLeftCluster.
ALTER TABLE known_node ADD COLUMN cluster_id text;
