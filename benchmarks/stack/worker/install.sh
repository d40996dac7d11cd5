#!/bin/sh
# Install step of the bench stack: nothing to build; records what was installed.
set -e
echo "$CONVEYOR_COMPONENT $CONVEYOR_VERSION" > installed
echo "installed $CONVEYOR_COMPONENT $CONVEYOR_VERSION"
