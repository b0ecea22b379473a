-- genre_sync 1.2 -> 1.3: filter changes (rows that enter or leave a user's
-- filter reach the replica), v2 cursors. Assembled from extension/sql/1.2--1.3/.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION genre_sync UPDATE TO '1.3'" to load this file. \quit
