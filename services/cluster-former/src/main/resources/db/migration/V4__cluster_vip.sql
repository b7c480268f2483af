-- A control-plane VIP belongs to one cluster at a time: two clusters answering on one address
-- would each take the other's API traffic. A deleted cluster gives its VIP back.
CREATE UNIQUE INDEX cluster_vip_live ON cluster ((body -> 'config' ->> 'vip'))
    WHERE state <> 'DELETED';
