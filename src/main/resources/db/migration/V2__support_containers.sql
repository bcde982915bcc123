-- The DNS64 and NAT64 containers of IPv6-only clusters, as a JSON list beside the nodes; NULL for older rows.
ALTER TABLE clusters ADD COLUMN support_containers TEXT;
