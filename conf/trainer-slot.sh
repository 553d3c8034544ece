#!/bin/sh
# Discovery script of the "trainer" resource: one training slot per executor (see
# spark-defaults.conf.example). A worker that hosts several training executors (one per GPU) sets
# PREPSWEEP_TRAINER_SLOTS to their number. The embedded cluster and the tests write the same script
# (SparkSessions.trainerSlotScript).
slots="${PREPSWEEP_TRAINER_SLOTS:-1}"
addrs=$(seq -s '","' 0 $((slots - 1)))
echo "{\"name\":\"trainer\",\"addresses\":[\"${addrs}\"]}"
