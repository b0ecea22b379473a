-- genre_sync 1.0 -> 1.1: no missed rows (safe horizon, exact cursors, the
-- page envelope, range checksums). Assembled from extension/sql/1.0--1.1/.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION genre_sync UPDATE TO '1.1'" to load this file. \quit
