-- genre_sync 1.1 -> 1.2: the key index, side tables kept by triggers that
-- let a page read only the user's genres in key order. Assembled from
-- extension/sql/1.1--1.2/.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION genre_sync UPDATE TO '1.2'" to load this file. \quit
