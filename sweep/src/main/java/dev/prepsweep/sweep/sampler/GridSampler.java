package dev.prepsweep.sweep.sampler;

import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;
import dev.prepsweep.sweep.space.InvalidSearchSpaceException;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Trial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Full-factorial grid search. Each parameter contributes an axis: every choice of a categorical;
 * every value of an int range with at most {@code pointsPerAxis} values, else {@code pointsPerAxis}
 * values spread evenly (log-spaced for log ranges) and rounded; {@code pointsPerAxis} evenly spread
 * values of a float range (log-spaced for log ranges; a stepped range uses all its values when
 * there are at most {@code pointsPerAxis}, else evenly spread values snapped to the step), both
 * bounds included. Conditional children multiply only the branch they belong to. The grid is
 * visited in an order shuffled by the seed (a keyed Feistel permutation of the point indices, so
 * the grid is never held in memory), so a budget smaller than the grid still covers the space
 * evenly.
 *
 * <p>{@link #suggest} returns the first grid points, in shuffled order, that no known trial holds:
 * every trial passed to {@link #update}, whatever its state (failed and pruned ones included), uses
 * up its point, so no point is proposed twice. <b>Exhaustion:</b> when fewer than {@code count}
 * points are left, {@code suggest} returns only those that are left, and an empty list once the grid
 * is used up; it never throws and never repeats a point. {@link dev.prepsweep.sweep.study.Study#ask()}
 * turns an empty answer into a {@link java.util.NoSuchElementException}.
 */
public final class GridSampler implements Sampler {

  /** Points per continuous axis when none is given. */
  public static final int DEFAULT_POINTS = 5;

  /** Largest grid accepted (points are enumerated lazily, so only index arithmetic bounds it). */
  public static final long MAX_GRID_SIZE = 1L << 48;

  private final Level root;
  private final long size;
  private final Permutation order;
  private Set<Map<String, Object>> taken = Set.of();

  /** A grid with {@link #DEFAULT_POINTS} points per continuous axis. */
  public GridSampler(SearchSpace space, long seed) {
    this(space, seed, DEFAULT_POINTS);
  }

  /**
   * @throws InvalidSearchSpaceException when {@code pointsPerAxis < 2} or the grid would exceed
   *     {@link #MAX_GRID_SIZE} points
   */
  public GridSampler(SearchSpace space, long seed, int pointsPerAxis) {
    if (pointsPerAxis < 2) {
      throw new InvalidSearchSpaceException("grid points per axis must be >= 2, got " + pointsPerAxis);
    }
    this.root = Level.of(space.parameters(), pointsPerAxis);
    if (root.size > MAX_GRID_SIZE) {
      throw new InvalidSearchSpaceException("the grid has " + (root.size == Long.MAX_VALUE ? "over 2^63" : root.size)
          + " points, more than the limit of " + MAX_GRID_SIZE + "; use fewer points per axis (now "
          + pointsPerAxis + "), fewer parameters, or the random or sobol method");
    }
    this.size = root.size;
    this.order = new Permutation(size, Seeds.mix(seed ^ 0x6A09E667F3BCC909L));
  }

  /** The number of points in the grid. */
  public long size() {
    return size;
  }

  @Override
  public List<Map<String, Object>> suggest(int count) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (long i = 0; i < size && out.size() < count; i++) {
      Map<String, Object> point = new LinkedHashMap<>();
      root.decode(order.apply(i), point);
      if (!taken.contains(key(point))) {
        out.add(Collections.unmodifiableMap(point));
      }
    }
    return out;
  }

  @Override
  public void update(List<Trial> completed, List<Trial> active) {
    Set<Map<String, Object>> next = new HashSet<>();
    completed.forEach(t -> next.add(key(t.params())));
    active.forEach(t -> next.add(key(t.params())));
    taken = next;
  }

  /** The values of one axis, in ascending order, without repeats. */
  static List<Object> axis(Distribution d, int points) {
    if (d instanceof CategoricalDistribution c) {
      return c.choices();
    }
    Object low;
    Object high;
    if (d instanceof FloatDistribution f) {
      if (f.step() != null && Math.rint((f.high() - f.low()) / f.step()) + 1 <= points) {
        return allSteps(f);
      }
      low = f.low();
      high = f.high();
    } else {
      IntDistribution n = (IntDistribution) d;
      if ((n.high() - n.low()) / n.step() + 1 <= points) {
        List<Object> all = new ArrayList<>();
        for (long v = n.low(); v <= n.high(); v += n.step()) {
          all.add(v);
        }
        return all;
      }
      low = n.low();
      high = n.high();
    }
    if (d.toInternal(low) == d.toInternal(high)) {
      return List.of(low);
    }
    double a = d.toInternal(low);
    double b = d.toInternal(high);
    Set<Object> values = new LinkedHashSet<>();
    values.add(low);
    for (int i = 1; i < points - 1; i++) {
      values.add(d.fromInternal(a + (b - a) * i / (points - 1)));
    }
    values.add(high);
    return List.copyOf(values);
  }

  private static List<Object> allSteps(FloatDistribution f) {
    long n = Math.round((f.high() - f.low()) / f.step());
    List<Object> all = new ArrayList<>();
    for (long i = 0; i <= n; i++) {
      all.add(i == n ? f.high() : f.fromInternal(f.low() + i * f.step()));
    }
    return all;
  }

  /** Numbers compare by value, so a point read back from storage as another numeric type still matches. */
  private static Map<String, Object> key(Map<String, Object> params) {
    Map<String, Object> key = new TreeMap<>();
    params.forEach((k, v) -> key.put(k, v instanceof Number n ? (Object) n.doubleValue() : v));
    return key;
  }

  /**
   * The grid of a list of parameters as a mixed-radix number: point {@code i} takes digit
   * {@code i / (size of the later axes)} on the first axis. An axis's digits run over its values and,
   * within a value, over the points of that value's child grid.
   */
  private record Level(List<Axis> axes, long size) {
    static Level of(List<Parameter> params, int points) {
      List<Axis> axes = new ArrayList<>();
      long size = 1;
      for (Parameter p : params) {
        Axis a = Axis.of(p, points);
        axes.add(a);
        size = saturatedMultiply(size, a.size);
      }
      return new Level(axes, size);
    }

    void decode(long index, Map<String, Object> out) {
      long rest = size;
      for (Axis a : axes) {
        rest /= a.size;
        a.decode(index / rest, out);
        index %= rest;
      }
    }
  }

  private record Axis(Parameter parameter, List<Object> values, List<Level> children, long size) {
    static Axis of(Parameter p, int points) {
      List<Object> values = axis(p.distribution(), points);
      List<Level> children = new ArrayList<>();
      long size = 0;
      for (Object v : values) {
        Level child = Level.of(p.childrenFor(v).parameters(), points);
        children.add(child);
        size = size + child.size < 0 ? Long.MAX_VALUE : size + child.size;
      }
      return new Axis(p, values, children, size);
    }

    void decode(long digit, Map<String, Object> out) {
      for (int v = 0; v < values.size(); v++) {
        Level child = children.get(v);
        if (digit < child.size) {
          out.put(parameter.name(), values.get(v));
          child.decode(digit, out);
          return;
        }
        digit -= child.size;
      }
      throw new IllegalStateException("grid digit out of range for " + parameter.name());
    }
  }

  /**
   * A keyed bijection of {@code [0, n)}: a balanced four-round Feistel network on the smallest even
   * number of bits that covers {@code n}, with cycle walking to stay below {@code n} (expected fewer
   * than four steps, since the bit domain is under {@code 4n}).
   */
  static final class Permutation {
    private final long n;
    private final int half;
    private final long mask;
    private final long key;

    Permutation(long n, long key) {
      this.n = n;
      int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1)));
      bits += bits % 2;
      this.half = bits / 2;
      this.mask = (1L << half) - 1;
      this.key = key;
    }

    long apply(long i) {
      long x = i;
      do {
        x = feistel(x);
      } while (x >= n);
      return x;
    }

    private long feistel(long x) {
      long left = x >>> half;
      long right = x & mask;
      for (int round = 0; round < 4; round++) {
        long next = left ^ (Seeds.mix(right + key + round * 0x9E3779B97F4A7C15L) & mask);
        left = right;
        right = next;
      }
      return (left << half) | right;
    }
  }

  private static long saturatedMultiply(long a, long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
