package dev.prepsweep.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static int count(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void singleObjectiveSweepHasEveryViewButThePareto() {
    String html = HtmlReport.sweep(ReportFixtures.singleObjective(), ReportFixtures.prep(), "now");
    for (String chart : List.of("history", "parallel", "importance", "curves", "stages", "classes")) {
      assertThat(html).contains("data-chart=\"" + chart + "\"");
    }
    assertThat(html).doesNotContain("data-chart=\"pareto\"");
    assertThat(count(html, "<svg ")).isEqualTo(6);
  }

  @Test
  void aRegressionSweepChartsItsRegressionMetricsPerEpochAndNoClassificationOne() {
    String html = HtmlReport.sweep(ReportFixtures.regression(), null, "now");
    assertThat(html).contains("data-chart=\"curves\"", "Learning curves: val_r2 per epoch",
        "data-chart=\"curves-val_rmse\"", "Learning curves: val_rmse per epoch",
        "data-chart=\"curves-val_mae\"", "data-chart=\"curves-train_loss\"", "val_r2, val_rmse, val_mae, train_loss");
    assertThat(html).doesNotContain("val_accuracy", "val_macro_f1", "val_roc_auc");
    assertThat(Charts.curveMetrics(ReportFixtures.singleObjective())).as("a classifier keeps its one chart")
        .containsExactly("val_accuracy");
  }

  @Test
  void multiObjectiveSweepAddsTheParetoFront() {
    String html = HtmlReport.sweep(ReportFixtures.twoObjectives(), null, "now");
    assertThat(html).contains("data-chart=\"pareto\"").contains("id=\"pareto\"").doesNotContain("data-chart=\"classes\"");
    assertThatThrownBy(() -> Charts.paretoFront(ReportFixtures.singleObjective()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs at least two objectives").hasMessageContaining("sw-test-1");
  }

  @Test
  void everythingFromTheDataIsEscaped() {
    String html = HtmlReport.sweep(ReportFixtures.singleObjective(), null, "now");
    assertThat(html).contains("OutOfMemoryError: &lt;heap&gt; &amp; &quot;quotes&quot;").doesNotContain("<heap>");
  }

  @Test
  void pageLoadsNothingFromOutside() {
    String html = HtmlReport.sweep(ReportFixtures.twoObjectives(), ReportFixtures.prep(), "now");
    assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    assertThat(html).doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("url(");
  }

  @Test
  void prunedAndFailedTrialsAreMarkedInHistoryAndCurves() {
    SweepData data = ReportFixtures.singleObjective();
    long notComplete = data.trials().stream().filter(t -> !t.complete()).count();
    String history = Charts.history(data);
    String curves = Charts.learningCurves(data);
    assertThat(count(history, "PRUNED|FAILED")).isGreaterThanOrEqualTo((int) notComplete);
    assertThat(count(curves, "pruned after this epoch")).isEqualTo(2);
    assertThat(count(curves, "stroke-dasharray=\"6 4\"")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void emptySweepRendersNotesInsteadOfCharts() {
    SweepData data = ReportFixtures.singleObjective();
    SweepData none = new SweepData(data.sweep(), data.paramNames(),
        data.trials().stream().filter(t -> !t.complete()).toList(), List.of());
    String html = HtmlReport.sweep(none, null, "now");
    assertThat(html).contains("No trial completed").contains("No epoch metrics were recorded");
    assertThat(html).doesNotContain("data-chart=\"history\"");
  }

  @Test
  void scaleTicksAreRoundAndInsideTheDomain() {
    Scale s = Scale.of(List.of(0.12, 0.87), 0, 100, false, true);
    assertThat(s.ticks(5)).allSatisfy(t -> assertThat(t).isBetween(0.12, 0.87));
    assertThat(Scale.of(List.of(1e-4, 3e-2), 0, 100, true, true).ticks(5)).contains(1e-3, 1e-2);
    assertThat(Scale.wantsLog(List.of(1e-4, 3e-2))).isTrue();
    assertThat(Scale.wantsLog(List.of(0.0, 0.5))).isFalse();
  }
}
