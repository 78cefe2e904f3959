#!/bin/sh
# test-spawn: print the environment the program was given, one NAME=VALUE a line.
exec /usr/bin/env
