-- The fleet event stream (GET /events) needs one order over every cluster's events that a client can resume from.
-- Numbers taken when an event is written would not do: a transaction that took 7 may commit after one that took 8,
-- and a reader past 8 would never see 7. So events are written without one, and FleetSequencer (one replica at a
-- time, under this lock row) numbers the committed events it finds unnumbered: what commits later is numbered later.
ALTER TABLE cluster_events ADD COLUMN fleet_seq BIGINT;
CREATE UNIQUE INDEX cluster_events_by_fleet_seq ON cluster_events (fleet_seq);
INSERT INTO service_locks (name) VALUES ('fleet-sequencer');
