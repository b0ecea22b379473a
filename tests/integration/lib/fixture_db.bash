# Sourced by integration tests, which run from the repository's top.
#
# create_fixture_db DB [SQL_FILE...]: creates DB holding the app schema, the
# pg_regress fixture (sql/include/fixture.sql) and the extension, then runs
# each SQL_FILE in it.
create_fixture_db() {
  local db=$1; shift
  createdb "$db"
  {
    echo "SET client_min_messages = warning;"
    echo "\\i tools/app_schema.sql"
    echo "\\i sql/include/fixture.sql"
    echo "CREATE EXTENSION genre_sync;"
    for file in "$@"; do echo "\\i $file"; done
  } | psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
}
