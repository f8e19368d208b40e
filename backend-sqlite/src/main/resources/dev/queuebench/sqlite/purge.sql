-- Every job of queue ?1, one state at a time so each DELETE walks that state's index, not the whole table.
DELETE FROM jobs WHERE queue = ?1 AND state = 0;
DELETE FROM jobs WHERE queue = ?1 AND state = 1;
DELETE FROM jobs WHERE queue = ?1 AND state = 2;
