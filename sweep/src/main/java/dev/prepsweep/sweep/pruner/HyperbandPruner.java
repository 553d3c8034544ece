package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hyperband as asynchronous brackets (Optuna's {@code HyperbandPruner} shape): bracket {@code b},
 * for {@code b = 0 .. floor(log_eta(maxResource / minResource))}, is a {@link SuccessiveHalvingPruner}
 * whose first rung is at {@code minResource * eta^b} (bracket 0 stops most aggressively; the last
 * bracket may have no rung and trains everything to {@code maxResource}). Each trial belongs to one
 * bracket, chosen from its number and the seed alone, with bracket {@code b} weighted
 * {@code ceil(B * eta^(B-1-b) / (B - b))} for {@code B} brackets, so aggressive brackets get more
 * trials as in the original allocation. Trials compete only with trials of their own bracket.
 */
public final class HyperbandPruner implements PromotingPruner {

  private final long seed;
  private final List<SuccessiveHalvingPruner> brackets;
  private final long[] cumulativeWeight;

  /** @throws IllegalArgumentException unless {@code 1 <= minResource < maxResource} and {@code eta >= 2} */
  public HyperbandPruner(int minResource, int maxResource, int eta, long seed) {
    if (minResource < 1 || maxResource <= minResource || eta < 2) {
      throw new IllegalArgumentException("hyperband needs 1 <= min_resource < max_resource and eta >= 2, got min_resource="
          + minResource + ", max_resource=" + maxResource + ", eta=" + eta);
    }
    this.seed = seed;
    int count = 1;
    for (long r = (long) minResource * eta; r <= maxResource; r *= eta) {
      count++;
    }
    List<SuccessiveHalvingPruner> list = new ArrayList<>();
    cumulativeWeight = new long[count];
    long total = 0;
    for (int b = 0; b < count; b++) {
      list.add(new SuccessiveHalvingPruner(minResource, maxResource, eta, b));
      int s = count - 1 - b;
      total += (long) Math.ceil(count * Math.pow(eta, s) / (s + 1));
      cumulativeWeight[b] = total;
    }
    this.brackets = List.copyOf(list);
  }

  /** The brackets, most aggressive first. */
  public List<SuccessiveHalvingPruner> brackets() {
    return brackets;
  }

  /** The bracket of trial {@code number}: a weighted pick from a hash of the seed and the number. */
  public int bracketOf(int number) {
    long total = cumulativeWeight[cumulativeWeight.length - 1];
    long draw = Math.floorMod(Seeds.mix(seed * 0x9E3779B97F4A7C15L + number), total);
    for (int b = 0; b < cumulativeWeight.length; b++) {
      if (draw < cumulativeWeight[b]) {
        return b;
      }
    }
    throw new AssertionError("draw " + draw + " beyond total weight " + total);
  }

  @Override
  public PruneDecision decide(Trial trial, List<Trial> trials, Direction direction) {
    int b = bracketOf(trial.number());
    return brackets.get(b).decide(trial, sameBracket(trials, b), direction);
  }

  /** Brackets are searched in order, most aggressive first. */
  @Override
  public Optional<Trial> promotable(List<Trial> trials, Direction direction) {
    for (int b = 0; b < brackets.size(); b++) {
      Optional<Trial> t = brackets.get(b).promotable(sameBracket(trials, b), direction);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  private List<Trial> sameBracket(List<Trial> trials, int b) {
    return trials.stream().filter(t -> bracketOf(t.number()) == b).toList();
  }

  @Override
  public String toString() {
    return "HyperbandPruner[seed=" + seed + ", brackets=" + brackets + "]";
  }
}
