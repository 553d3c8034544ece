package dev.prepsweep.app.driver;

import dev.prepsweep.training.EpochMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The epochs of one trial (or of one fold of a cross-validated trial) as the driver learned them, and which
 * attempt recorded each first. That attempt's rows write the epoch's {@code trial_metrics} row and no later
 * attempt's do, so each (trial, fold, epoch) is one row however often tasks return the epoch again: an ASHA
 * promotion or a rerun after a lost executor restores the epochs before its checkpoint and returns them with
 * the ones it trains, and a rerun trains again what a lost attempt trained after its last checkpoint (never
 * reported, so never written). The trial's {@code trials} row still counts and ranks all of them.
 */
final class RecordedEpochs {

  /** Who recorded epochs read back from {@code trial_metrics}: an earlier driver, whose rows are written. */
  static final int EARLIER_DRIVER = 0;

  private final TreeMap<Integer, EpochMetrics> epochs = new TreeMap<>();
  private final Map<Integer, Integer> recordedBy = new HashMap<>();

  /**
   * Records what attempt {@code attempt} returned: an epoch's latest values replace earlier ones of the same
   * number (the trial's history is what it trained last), but the attempt that recorded it first keeps its row.
   */
  void record(List<EpochMetrics> returned, int attempt) {
    for (EpochMetrics m : returned) {
      epochs.put(m.epoch(), m);
      recordedBy.putIfAbsent(m.epoch(), attempt);
    }
  }

  /** Takes over the epochs an earlier driver wrote (sweep resume): they are not written again. */
  void restore(List<EpochMetrics> written) {
    record(written, EARLIER_DRIVER);
  }

  /** How many epochs are recorded. */
  int size() {
    return epochs.size();
  }

  /** The last epoch recorded (0 before any). */
  int last() {
    return epochs.isEmpty() ? 0 : epochs.lastKey();
  }

  /** Epoch {@code epoch}, or null when it is not recorded. */
  EpochMetrics get(int epoch) {
    return epochs.get(epoch);
  }

  /** Every recorded epoch, in epoch order. */
  List<EpochMetrics> all() {
    return List.copyOf(epochs.values());
  }

  /** The epochs attempt {@code attempt} recorded first, in epoch order: the {@code trial_metrics} rows it writes. */
  List<EpochMetrics> recordedBy(int attempt) {
    return epochs.values().stream().filter(m -> recordedBy.get(m.epoch()) == attempt).toList();
  }
}
