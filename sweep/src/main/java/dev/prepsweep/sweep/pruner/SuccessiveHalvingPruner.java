package dev.prepsweep.sweep.pruner;

import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) as pure decisions over the trial list.
 *
 * <p><b>Rungs.</b> Steps are resource units (usually epochs). Rung {@code k} is at step
 * {@code minResource * eta^(k + bracket)}, for every such step strictly below {@code maxResource}; a
 * trial that passes the last rung trains to {@code maxResource} and completes. A trial reaches a
 * rung by reporting an intermediate value at exactly that step, so the driver must report at every
 * rung step.
 *
 * <p><b>Decision at a rung.</b> Let {@code n} be the number of trials (any state, this one
 * included) that reported at the rung's step. The trial is PROMOTEd (keeps training towards the next
 * rung) if fewer than {@code floor(n / eta)} of the others have a strictly better value there, i.e.
 * it ranks in the top {@code floor(n / eta)}; otherwise it is STOPped, which pauses it at the rung
 * (the study records it PRUNED). So the first {@code eta - 1} trials at a rung always pause. At
 * steps that are not rungs the answer is CONTINUE. NaN values rank worst.
 *
 * <p><b>Promotion later.</b> As more trials reach a rung, {@code floor(n / eta)} grows and a paused
 * trial may enter the top; {@link #promotable} finds it (highest rung first), so a driver can
 * resume it from its checkpoint rather than start a new trial, exactly as ASHA's scheduler does.
 * A trial counts as promoted from a rung once it has reported beyond it or is no longer PRUNED.
 */
public final class SuccessiveHalvingPruner implements PromotingPruner {

  private final int minResource;
  private final int maxResource;
  private final int eta;
  private final int bracket;
  private final List<Integer> rungs;

  /** Plain ASHA: rungs at {@code minResource * eta^k}. */
  public SuccessiveHalvingPruner(int minResource, int maxResource, int eta) {
    this(minResource, maxResource, eta, 0);
  }

  /**
   * ASHA with a minimum early-stopping rate {@code bracket}: rungs at {@code minResource * eta^(k + bracket)}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= minResource < maxResource}, {@code eta >= 2}
   *     and {@code bracket >= 0}
   */
  public SuccessiveHalvingPruner(int minResource, int maxResource, int eta, int bracket) {
    if (minResource < 1 || maxResource <= minResource || eta < 2 || bracket < 0) {
      throw new IllegalArgumentException("successive halving needs 1 <= min_resource < max_resource and eta >= 2,"
          + " got min_resource=" + minResource + ", max_resource=" + maxResource + ", eta=" + eta
          + (bracket != 0 ? ", bracket=" + bracket : ""));
    }
    this.minResource = minResource;
    this.maxResource = maxResource;
    this.eta = eta;
    this.bracket = bracket;
    List<Integer> r = new ArrayList<>();
    long step = minResource;
    for (int i = 0; i < bracket && step < maxResource; i++) {
      step *= eta;
    }
    while (step < maxResource) {
      r.add((int) step);
      step *= eta;
    }
    this.rungs = List.copyOf(r);
  }

  /** The rung steps, ascending; empty when even the first one would reach {@code maxResource}. */
  public List<Integer> rungs() {
    return rungs;
  }

  @Override
  public PruneDecision decide(Trial trial, List<Trial> trials, Direction direction) {
    int step = trial.lastStep();
    if (!rungs.contains(step)) {
      return PruneDecision.CONTINUE;
    }
    double value = trial.intermediate().get(step);
    if (Double.isNaN(value)) {
      return PruneDecision.STOP;
    }
    List<Trial> reached = atRung(trials, step);
    if (reached.stream().noneMatch(t -> t.number() == trial.number())) {
      reached = new ArrayList<>(reached);
      reached.add(trial);
    }
    long better = reached.stream()
        .filter(t -> t.number() != trial.number())
        .filter(t -> betterThan(t.intermediate().get(step), value, direction))
        .count();
    return better < reached.size() / eta ? PruneDecision.PROMOTE : PruneDecision.STOP;
  }

  @Override
  public Optional<Trial> promotable(List<Trial> trials, Direction direction) {
    for (int k = rungs.size() - 1; k >= 0; k--) {
      int step = rungs.get(k);
      List<Trial> ranked = new ArrayList<>(atRung(trials, step));
      ranked.sort(byValueAt(step, direction));
      int top = ranked.size() / eta;
      for (Trial t : ranked.subList(0, top)) {
        if (t.state() == TrialState.PRUNED && t.lastStep() == step && !Double.isNaN(t.intermediate().get(step))) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  private static List<Trial> atRung(List<Trial> trials, int step) {
    return trials.stream().filter(t -> t.intermediate().containsKey(step)).toList();
  }

  /** Best first; NaN last; ties by trial number so the order is total and reproducible. */
  private static Comparator<Trial> byValueAt(int step, Direction direction) {
    Comparator<Trial> byLoss = Comparator.comparingDouble(t -> {
      double v = t.intermediate().get(step);
      return Double.isNaN(v) ? Double.POSITIVE_INFINITY : direction.toLoss(v);
    });
    return byLoss.thenComparingInt(Trial::number);
  }

  private static boolean betterThan(double a, double b, Direction direction) {
    return !Double.isNaN(a) && direction.isBetter(a, b);
  }

  @Override
  public String toString() {
    return "SuccessiveHalvingPruner[minResource=" + minResource + ", maxResource=" + maxResource + ", eta=" + eta
        + ", bracket=" + bracket + ", rungs=" + rungs + "]";
  }
}
