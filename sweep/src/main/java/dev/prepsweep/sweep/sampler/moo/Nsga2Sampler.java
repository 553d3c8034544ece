package dev.prepsweep.sweep.sampler.moo;

import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.Seeds;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * NSGA-II (Deb et al. 2002) as an ask/tell sampler, for one or more objectives.
 *
 * <p>Proposal {@code i} of the study belongs to generation {@code i / populationSize}. Generation 0
 * is uniform random. The parents of generation {@code g} are the {@code populationSize} best
 * COMPLETE trials numbered below {@code g * populationSize} (elitist: non-dominated rank, then
 * crowding distance, then trial number), so the state is a pure function of the trial history.
 * Each child picks two parents by binary tournament; with probability
 * {@link Options#crossoverProbability()} it mixes them (otherwise it copies the first): numeric
 * parameters by BLX-0.5 blending in the internal (log) scale, categoricals by a fair coin.
 * Mutation, with probability {@link Options#mutationProbability()} per parameter
 * ({@code 1 / #parameters} when not set), adds a Gaussian step of a tenth of the range to a
 * numeric value or redraws a categorical. Conditional children follow the chosen parent value;
 * parameters neither parent has are drawn uniformly.
 * PRUNED, FAILED and running trials are not parents. Constraints (Deb's constrained domination, as
 * Optuna's NSGA-II): a COMPLETE trial missing the sweep's constraints ranks after every feasible one,
 * infeasible ones by their violation; they become parents only when feasible ones do not fill the population.
 */
public final class Nsga2Sampler implements Sampler {

  /**
   * @param populationSize trials per generation (and parents kept)
   * @param crossoverProbability chance that a child mixes two parents rather than copying one
   * @param mutationProbability per-parameter chance of a uniform redraw; {@code null} for 1 / #parameters
   */
  public record Options(int populationSize, double crossoverProbability, Double mutationProbability) {
    public Options {
      if (populationSize < 2) {
        throw new IllegalArgumentException("populationSize must be >= 2, got " + populationSize);
      }
      if (!(crossoverProbability >= 0 && crossoverProbability <= 1)) {
        throw new IllegalArgumentException("crossoverProbability must be in [0, 1], got " + crossoverProbability);
      }
      if (mutationProbability != null && !(mutationProbability >= 0 && mutationProbability <= 1)) {
        throw new IllegalArgumentException("mutationProbability must be in [0, 1], got " + mutationProbability);
      }
    }

    /** Population 20, crossover 0.9, mutation 1 / #parameters. */
    public static Options defaults() {
      return new Options(20, 0.9, null);
    }
  }

  private static final double BLX_ALPHA = 0.5;

  private final SearchSpace space;
  private final List<Direction> directions;
  private final long seed;
  private final Options options;
  private final double mutation;

  private List<Trial> complete = List.of();
  private int known;
  /** Parents per generation, computed on first use after each update. */
  private final Map<Integer, List<Parent>> parentsByGeneration = new LinkedHashMap<>();

  public Nsga2Sampler(SearchSpace space, List<Direction> directions, long seed) {
    this(space, directions, seed, Options.defaults());
  }

  /** @throws IllegalArgumentException when there are no directions */
  public Nsga2Sampler(SearchSpace space, List<Direction> directions, long seed, Options options) {
    if (directions.isEmpty()) {
      throw new IllegalArgumentException("NSGA-II needs at least one direction");
    }
    this.space = space;
    this.directions = List.copyOf(directions);
    this.seed = seed;
    this.options = options;
    int n = Math.max(1, space.allParameters().size());
    this.mutation = options.mutationProbability() != null ? options.mutationProbability() : 1.0 / n;
  }

  @Override
  public void update(List<Trial> completed, List<Trial> active) {
    known = completed.size() + active.size();
    complete = completed.stream()
        .filter(t -> t.state() == TrialState.COMPLETE && t.values().size() == directions.size())
        .sorted(Comparator.comparingInt(Trial::number))
        .toList();
    parentsByGeneration.clear();
  }

  @Override
  public List<Map<String, Object>> suggest(int count) {
    List<Map<String, Object>> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = known + i;
      SplittableRandom rng = Seeds.forIndex(seed, index);
      int generation = index / options.populationSize();
      List<Parent> parents = generation == 0 ? List.of()
          : parentsByGeneration.computeIfAbsent(generation, this::selectParents);
      if (parents.size() < 2) {
        out.add(RandomSampler.sample(space, rng));
      } else {
        Parent a = tournament(parents, rng);
        Parent b = tournament(parents, rng);
        boolean cross = rng.nextDouble() < options.crossoverProbability();
        Map<String, Object> child = new LinkedHashMap<>();
        breed(space, a.trial().params(), cross ? b.trial().params() : a.trial().params(), rng, child);
        out.add(child);
      }
    }
    return out;
  }

  /** A parent with its NSGA-II fitness: lower rank first, then larger crowding distance. */
  private record Parent(Trial trial, int rank, double crowding) {}

  private List<Parent> selectParents(int generation) {
    int limit = generation * options.populationSize();
    List<Trial> infeasible = complete.stream().filter(t -> t.number() < limit && t.infeasible())
        .sorted(Comparator.comparingDouble(Trial::violation).thenComparingInt(Trial::number)).toList();
    List<Trial> pool = complete.stream().filter(t -> t.number() < limit && !t.infeasible()).toList();
    double[][] losses = ParetoFront.losses(pool, directions);
    int[] rank = ParetoFront.ranks(losses);
    int maxRank = 0;
    for (int r : rank) {
      maxRank = Math.max(maxRank, r);
    }
    List<Parent> parents = new ArrayList<>();
    for (int r = 0; r <= maxRank && parents.size() < options.populationSize(); r++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < rank.length; i++) {
        if (rank[i] == r) {
          members.add(i);
        }
      }
      double[] crowd = ParetoFront.crowdingDistance(losses, members);
      List<Parent> front = new ArrayList<>();
      for (int m = 0; m < members.size(); m++) {
        front.add(new Parent(pool.get(members.get(m)), r, crowd[m]));
      }
      front.sort(Comparator.comparingDouble((Parent p) -> -p.crowding())
          .thenComparingInt(p -> p.trial().number()));
      for (Parent p : front) {
        if (parents.size() < options.populationSize()) {
          parents.add(p);
        }
      }
    }
    // infeasible trials fill what is left, each its own rank behind the feasible ones: smaller violation wins
    for (int i = 0; i < infeasible.size() && parents.size() < options.populationSize(); i++) {
      parents.add(new Parent(infeasible.get(i), maxRank + 1 + i, 0));
    }
    return parents;
  }

  private static Parent tournament(List<Parent> parents, SplittableRandom rng) {
    Parent a = parents.get(rng.nextInt(parents.size()));
    Parent b = parents.get(rng.nextInt(parents.size()));
    if (a.rank() != b.rank()) {
      return a.rank() < b.rank() ? a : b;
    }
    return a.crowding() >= b.crowding() ? a : b;
  }

  private void breed(SearchSpace level, Map<String, Object> a, Map<String, Object> b, SplittableRandom rng,
      Map<String, Object> child) {
    for (Parameter p : level.parameters()) {
      Distribution d = p.distribution();
      Object fromA = legal(d, a.get(p.name()));
      Object fromB = legal(d, b.get(p.name()));
      Object value;
      if (fromA == null && fromB == null) {
        value = RandomSampler.draw(d, rng);
      } else if (fromA == null || fromB == null || d instanceof CategoricalDistribution) {
        Object pick = rng.nextDouble() < 0.5 ? fromA : fromB;
        value = pick != null ? pick : fromA != null ? fromA : fromB;
        if (rng.nextDouble() < mutation) {
          value = RandomSampler.draw(d, rng);
        }
      } else {
        value = d.fromInternal(numericChild(d, d.toInternal(fromA), d.toInternal(fromB), rng));
      }
      child.put(p.name(), value);
      SearchSpace children = p.childrenFor(value);
      if (!children.isEmpty()) {
        breed(children, a, b, rng, child);
      }
    }
  }

  /**
   * BLX-0.5 blend of two parents in the internal scale, then with probability {@link #mutation} a
   * Gaussian step of a tenth of the range; clamped to the range.
   */
  private double numericChild(Distribution d, double xa, double xb, SplittableRandom rng) {
    double lo = d.internalLow();
    double hi = d.internalHigh();
    double min = Math.min(xa, xb);
    double gap = Math.abs(xa - xb);
    double x = min - BLX_ALPHA * gap + rng.nextDouble() * gap * (1 + 2 * BLX_ALPHA);
    if (rng.nextDouble() < mutation) {
      x += 0.1 * (hi - lo) * rng.nextGaussian();
    }
    return Math.min(hi, Math.max(lo, x));
  }

  private static Object legal(Distribution d, Object value) {
    return value != null && d.contains(value) ? value : null;
  }
}
