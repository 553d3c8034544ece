package dev.prepsweep.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepsweep.app.driver.SweepSummary;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Leaderboards show the metrics of the sweep's kind: regression errors and R2, or classifier scores. */
class LeaderboardColumnsTest {

  private static SweepSummary summary(String metric, boolean maximize) {
    return new SweepSummary("sw-1", "COMPLETE", 2, 0, 0, 1, 0.5, metric, maximize, Map.of(), Optional.empty());
  }

  @Test
  void aRegressionSweepShowsErrorsAndR2() {
    String sql = Main.leaderboardSql(summary("val_rmse", false));
    assertThat(sql).contains("ROUND(val_rmse, 4) AS val_rmse, ROUND(val_mae, 4) AS val_mae, ROUND(val_r2, 4) AS val_r2")
        .doesNotContain("val_accuracy").contains("pareto_rank ASC NULLS LAST, value ASC");
    assertThat(Main.metricColumns("val_r2")).contains("val_rmse");
  }

  @Test
  void aClassifierSweepKeepsItsColumns() {
    assertThat(Main.leaderboardSql(summary("val_accuracy", true))).contains(
        "ROUND(val_accuracy, 4) AS val_accuracy, ROUND(val_macro_f1, 4) AS val_macro_f1, ROUND(val_loss, 4) AS val_loss")
        .doesNotContain("val_rmse").contains("pareto_rank ASC NULLS LAST, value DESC");
  }

  @Test
  void theTrialScoredOnTestLeadsTheLeaderboardAndSweepBest() {
    // the run's leaderboard: the selection rule's pick (the summary's best trial, 1) first
    assertThat(Main.leaderboardSql(summary("val_accuracy", true)))
        .contains("ORDER BY trial_id = 1 DESC, coalesce(feasible, true) DESC, pareto_rank ASC NULLS LAST");
    assertThat(Main.leaderboardSql(new SweepSummary("sw-1", "COMPLETE", 0, 2, 0, null, null, "val_accuracy", true,
        Map.of(), Optional.empty()))).contains("ORDER BY coalesce(feasible, true) DESC");
    // sweep best: the same order, the pick read from the sweep's row
    assertThat(SweepCommands.bestTrialsSql("sw-1", "val_rmse", false))
        .contains("ORDER BY t.trial_id <=> s.selected_trial_id DESC, coalesce(t.feasible, true) DESC, "
            + "t.pareto_rank ASC NULLS LAST, t.value ASC")
        .contains("ROUND(val_rmse, 4) AS val_rmse");
  }
}
