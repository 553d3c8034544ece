package dev.prepsweep.sweep.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prepsweep.sweep.pruner.MedianPruner;
import dev.prepsweep.sweep.pruner.PruneDecision;
import dev.prepsweep.sweep.pruner.SuccessiveHalvingPruner;
import dev.prepsweep.sweep.sampler.RandomSampler;
import dev.prepsweep.sweep.sampler.SamplerFactory;
import dev.prepsweep.sweep.sampler.SamplerMethod;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.spec.SweepSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StudyTest {

  private static final SearchSpace SPACE = SearchSpace.of(new Parameter("x", FloatDistribution.uniform(0, 1)));
  private static final List<Direction> MIN = List.of(Direction.MINIMIZE);

  private static Study study(long seed) {
    return new Study(SPACE, MIN, new RandomSampler(SPACE, seed), null);
  }

  @Test
  void askTellNumbersTrialsAndTracksTheBest() {
    Study s = study(1);
    for (int i = 0; i < 5; i++) {
      Trial t = s.ask();
      assertThat(t.number()).isEqualTo(i);
      s.tell(t.number(), (Double) t.params().get("x"));
    }

    double expectedBest = s.trials().stream().mapToDouble(t -> (Double) t.params().get("x")).min().orElseThrow();
    assertThat(s.best()).map(Trial::value).contains(expectedBest);
  }

  @Test
  void askManyRecordsEachAsRunningAndMatchesAskingOneByOne() {
    Study batch = study(2);
    Study single = study(2);

    List<Trial> asked = batch.ask(3);
    List<Trial> one = List.of(single.ask(), single.ask(), single.ask());

    assertThat(asked).extracting(Trial::state).containsOnly(TrialState.RUNNING);
    assertThat(asked).extracting(Trial::params).isEqualTo(one.stream().map(Trial::params).toList());
    assertThat(batch.ask(0)).isEmpty();
  }

  @Test
  void tellRejectsWrongArityNonFiniteValuesAndFinishedTrials() {
    Study s = study(3);
    Trial t = s.ask();

    assertThatThrownBy(() -> s.tell(t.number(), List.of(1.0, 2.0)))
        .hasMessage("trial 0: expected 1 objective values, got 2");
    assertThatThrownBy(() -> s.tell(t.number(), Double.NaN))
        .hasMessage("trial 0: objective value NaN is not finite; tell it as FAILED with the reason instead");
    s.tell(t.number(), 0.5);
    assertThatThrownBy(() -> s.tell(t.number(), 0.4)).hasMessage("trial 0 is already COMPLETE");
    assertThatThrownBy(() -> s.tell(9, 0.4)).hasMessage("no trial number 9 in this study");
  }

  @Test
  void resumeTurnsOrphanedRunningTrialsIntoFailuresAndKeepsNumbering() {
    Study original = study(4);
    Trial done = original.ask();
    original.tell(done.number(), 0.3);
    original.ask(); // left running by a crashed driver

    Study resumed = Study.resume(SPACE, MIN, new RandomSampler(SPACE, 4), null, original.trials());

    assertThat(resumed.trials()).extracting(Trial::state).containsExactly(TrialState.COMPLETE, TrialState.FAILED);
    assertThat(resumed.ask().number()).isEqualTo(2);
  }

  @Test
  void resumeKeepingRunningLetsTheDriverFinishOrphansUnderTheirOwnNumbers() {
    SweepSpec spec = spec(SamplerMethod.RANDOM, 5, java.util.OptionalLong.empty());
    Study original = Study.fromSpec(spec, 8);
    Trial done = original.ask();
    original.tell(done.number(), 0.3);
    Trial orphan = original.ask();
    Trial next = original.ask();

    Study resumed = Study.resumeKeepingRunning(spec, 8, original.trials().subList(0, 2));

    assertThat(resumed.trials()).extracting(Trial::state).containsExactly(TrialState.COMPLETE, TrialState.RUNNING);
    resumed.tell(orphan.number(), 0.2);
    Trial asked = resumed.ask();
    assertThat(asked.number()).isEqualTo(2);
    assertThat(asked.params()).as("same proposal as the crashed driver made").isEqualTo(next.params());
  }

  @Test
  void priorsFromAnEarlierStudyReachTheSamplerButNotTheTrialList() {
    Study earlier = study(9);
    for (int i = 0; i < 4; i++) {
      Trial t = earlier.ask();
      earlier.tell(t.number(), 0.1 * i);
    }
    List<Trial> outside = List.of(new Trial(7, Map.of("x", 5.0), TrialState.COMPLETE, List.of(0.0), null));
    List<List<Trial>> seen = new java.util.ArrayList<>();
    Study warm = new Study(SPACE, MIN, new dev.prepsweep.sweep.sampler.Sampler() {
      @Override
      public List<Map<String, Object>> suggest(int count) {
        return java.util.Collections.nCopies(count, Map.of("x", 0.5));
      }

      @Override
      public void update(List<Trial> completed, List<Trial> active) {
        seen.add(completed);
      }
    }, null);

    assertThat(warm.addPriors(new java.util.ArrayList<Trial>() {{ addAll(earlier.trials()); addAll(outside); }}))
        .as("the out-of-space trial is ignored").isEqualTo(4);
    assertThat(seen.get(seen.size() - 1)).hasSize(4);
    Trial first = warm.ask();
    assertThat(first.number()).isZero();
    assertThat(warm.trials()).hasSize(1);
    assertThat(warm.best()).isEmpty();
  }

  @Test
  void resumedStudiesProposeWhatTheOriginalWouldForEverySamplerMethod() {
    for (String method : List.of("random", "grid", "sobol")) {
      Study original = new Study(SPACE, MIN, SamplerFactory.create(method, SPACE, MIN, 5), null);
      for (int i = 0; i < 3; i++) {
        Trial t = original.ask();
        original.tell(t.number(), 1.0 / (i + 1));
      }
      Study resumed = Study.resume(SPACE, MIN, SamplerFactory.create(method, SPACE, MIN, 5), null, original.trials());

      assertThat(resumed.ask().params()).as(method).isEqualTo(original.ask().params());
    }
  }

  @Test
  void reportAsksThePrunerWithTheStudysTrials() {
    Study s = new Study(SPACE, MIN, new RandomSampler(SPACE, 6), new MedianPruner(1, 1));
    Trial good = s.ask();
    s.report(good.number(), 1, 0.2);
    s.tell(good.number(), 0.1);
    Trial bad = s.ask();

    assertThat(s.report(bad.number(), 1, 0.9)).isEqualTo(PruneDecision.STOP);
    assertThat(s.trial(bad.number()).intermediate()).containsEntry(1, 0.9);
  }

  @Test
  void ashaPausedTrialsAreResumedWhenTheyBecomePromotable() {
    Study s = new Study(SPACE, MIN, new RandomSampler(SPACE, 7), new SuccessiveHalvingPruner(1, 9, 3));
    double[] rung1 = {0.1, 0.5, 0.7};
    for (double v : rung1) {
      Trial t = s.ask();
      PruneDecision d = s.report(t.number(), 1, v);
      if (d == PruneDecision.STOP) {
        s.tell(t.number(), TrialState.PRUNED);
      }
    }
    // The first trial paused alone at rung 1; with three there, it is the top third.
    Optional<Trial> next = s.promotable();
    assertThat(next).map(Trial::number).contains(0);

    Trial resumed = s.resumePaused(0);
    assertThat(resumed.state()).isEqualTo(TrialState.RUNNING);
    assertThat(resumed.intermediate()).containsEntry(1, 0.1);
    assertThat(s.promotable()).isEmpty();
    assertThat(s.report(0, 2, 0.08)).isEqualTo(PruneDecision.CONTINUE);
    assertThatThrownBy(() -> s.resumePaused(0))
        .hasMessage("trial 0 is RUNNING; only a PRUNED (paused) trial can be resumed");
  }

  @Test
  void promotableIsEmptyForPrunersThatDoNotPause() {
    assertThat(study(8).promotable()).isEmpty();
  }

  @Test
  void fromSpecUsesTheSpecsSeedOrTheJobsSeed() {
    SweepSpec unseeded = spec(SamplerMethod.SOBOL, 3, java.util.OptionalLong.empty());
    SweepSpec seeded = spec(SamplerMethod.SOBOL, 3, java.util.OptionalLong.of(11));

    Map<String, Object> jobSeed11 = Study.fromSpec(unseeded, 11).ask().params();
    assertThat(Study.fromSpec(seeded, 99).ask().params()).isEqualTo(jobSeed11);
    assertThat(Study.fromSpec(unseeded, 12).ask().params()).isNotEqualTo(jobSeed11);
    assertThat(Study.fromSpec(seeded, 1).directions()).containsExactly(Direction.MINIMIZE);
  }

  /** A one-parameter spec as the app's parser builds it from {@code x: {distribution: uniform, min: 0, max: 1}}. */
  private static SweepSpec spec(SamplerMethod method, int trials, java.util.OptionalLong seed) {
    return new SweepSpec(method, List.of(new SweepSpec.Metric("loss", Direction.MINIMIZE)), SPACE, null,
        new SweepSpec.Budget(trials, Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalDouble.empty()),
        1, 0, seed);
  }
}
