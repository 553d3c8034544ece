package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.List;
import java.util.Map;

/** Hand-made learning curves: value {@code i} of a curve is reported at step {@code i + 1}. */
final class Curves {
  private Curves() {}

  static Trial trial(int number, TrialState state, double... curve) {
    Trial t = Trial.running(number, Map.of("n", (long) number));
    for (int i = 0; i < curve.length; i++) {
      t = t.withIntermediate(i + 1, curve[i]);
    }
    if (state == TrialState.COMPLETE) {
      return t.complete(List.of(curve[curve.length - 1]));
    }
    return t.withState(state);
  }

  static Trial running(int number, double... curve) {
    return trial(number, TrialState.RUNNING, curve);
  }

  static Trial complete(int number, double... curve) {
    return trial(number, TrialState.COMPLETE, curve);
  }

  static Trial paused(int number, double... curve) {
    return trial(number, TrialState.PRUNED, curve);
  }

  static List<Trial> with(List<Trial> trials, Trial t) {
    return java.util.stream.Stream.concat(trials.stream(), java.util.stream.Stream.of(t)).toList();
  }
}
