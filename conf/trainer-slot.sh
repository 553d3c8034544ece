#!/bin/sh
# One training slot per executor: see spark-defaults.conf.example.
echo '{"name":"trainer","addresses":["0"]}'
