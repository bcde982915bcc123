-- A FAILED cluster asked for retainOnFailure keeps its containers until it is deleted or expires: while it does it
-- holds its addresses and counts against its host, and start-up reconciliation leaves its containers alone.
ALTER TABLE clusters ADD COLUMN containers_retained BOOLEAN DEFAULT FALSE NOT NULL;
