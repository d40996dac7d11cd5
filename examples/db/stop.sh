#!/bin/sh
# Nothing to stop: see start.sh.
echo "db: nothing to stop"
