#!/bin/sh
# The db component runs no process: its artifact carries the database migrations, which Conveyor
# applies in the deploy's migrate phase. Start and stop only say so.
echo "db: schema at release ${CONVEYOR_RELEASE:-?} (version ${CONVEYOR_VERSION:-?}); migrations are applied by Conveyor"
