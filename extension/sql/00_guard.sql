-- genre_sync install script, assembled from extension/sql/*.sql in name order.

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION genre_sync" to load this file. \quit
