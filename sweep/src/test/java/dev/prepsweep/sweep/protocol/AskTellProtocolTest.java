package dev.prepsweep.sweep.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AskTellProtocolTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String BRANIN_SPACE = "{\"x1\": {\"type\": \"float\", \"low\": -5, \"high\": 10, \"log\": false},"
      + " \"x2\": {\"type\": \"float\", \"low\": 0, \"high\": 15, \"log\": false}}";
  private static final String MIXED_SPACE = "{\"lr\": {\"type\": \"float\", \"low\": 0.0001, \"high\": 0.1, \"log\": true},"
      + " \"units\": {\"type\": \"int\", \"low\": 8, \"high\": 64, \"log\": false},"
      + " \"act\": {\"type\": \"categorical\", \"choices\": [\"relu\", \"tanh\", 3, true]}}";

  static double branin(double x1, double x2) {
    double b = 5.1 / (4 * Math.PI * Math.PI);
    double c = 5 / Math.PI;
    double t = 1 / (8 * Math.PI);
    return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
  }

  private static String header(String space, int budget, long seed, String run) {
    return "{\"space\": " + space + ", \"budget\": " + budget + ", \"seed\": " + seed
        + ", \"direction\": \"minimize\", \"run\": \"" + run + "\"}";
  }

  /** Our answers for a fully scripted input (the harness's values do not depend on our params). */
  private record Result(int code, List<String> lines) {
    JsonNode json(int i) {
      try {
        return JSON.readTree(lines.get(i));
      } catch (Exception e) {
        throw new AssertionError("line " + i + " is not JSON: " + lines.get(i), e);
      }
    }
  }

  private static Result scripted(String sampler, String... inputLines) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String input = String.join("\n", inputLines) + "\n";
    int code = AskTellProtocol.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(bytes, true, StandardCharsets.UTF_8), sampler);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).as("every line ends with a newline").satisfiesAnyOf(o -> assertThat(o).isEmpty(), o -> assertThat(o).endsWith("\n"));
    return new Result(code, out.isEmpty() ? List.of() : List.of(out.split("\n")));
  }

  private static String value(int trial, double v) {
    return "{\"trial\": " + trial + ", \"value\": " + v + "}";
  }

  @Test
  void braninRunEndToEndOverPipes() throws Exception {
    int budget = 40;
    PipedOutputStream harnessWrites = new PipedOutputStream();
    PipedInputStream ourIn = new PipedInputStream(harnessWrites, 1 << 16);
    PipedInputStream harnessReads = new PipedInputStream(1 << 16);
    PrintStream ourOut = new PrintStream(new PipedOutputStream(harnessReads), false, StandardCharsets.UTF_8);
    ExecutorService exec = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> code = exec.submit(() -> AskTellProtocol.run(ourIn, ourOut, "sobol"));
      PrintStream toUs = new PrintStream(harnessWrites, true, StandardCharsets.UTF_8);
      BufferedReader fromUs = new BufferedReader(new InputStreamReader(harnessReads, StandardCharsets.UTF_8));

      toUs.println(header(BRANIN_SPACE, budget, 1, "branin/seed1"));
      double best = Double.POSITIVE_INFINITY;
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < budget; i++) {
        JsonNode line = JSON.readTree(fromUs.readLine());
        assertThat(line.get("trial").asInt()).isEqualTo(i);
        double x1 = line.get("params").get("x1").asDouble();
        double x2 = line.get("params").get("x2").asDouble();
        assertThat(x1).isBetween(-5.0, 10.0);
        assertThat(x2).isBetween(0.0, 15.0);
        double y = branin(x1, x2);
        values.add(y);
        best = Math.min(best, y);
        toUs.println(value(i, y));
      }
      toUs.println("{\"end\": true, \"run\": \"branin/seed1\", \"best_value\": " + best + "}");
      toUs.close();

      assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
      double median = values.stream().sorted().toList().get(budget / 2);
      assertThat(best).isLessThan(median);
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void twoRunsInOneStreamWithIntsAndCategoricals() {
    Result r = scripted("random",
        header(MIXED_SPACE, 3, 1, "mixed/1"), value(0, 0.5), value(1, 0.4), value(2, 0.3),
        "{\"end\": true, \"run\": \"mixed/1\", \"best_value\": 0.3}",
        header(BRANIN_SPACE, 2, 2, "branin/2"), value(0, 5.0), value(1, 4.0),
        "{\"end\": true, \"run\": \"branin/2\", \"best_value\": 4.0}");

    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(5);
    for (int i = 0; i < 3; i++) {
      JsonNode line = r.json(i);
      assertThat(line.get("trial").asInt()).isEqualTo(i);
      JsonNode params = line.get("params");
      assertThat(params.get("units").isIntegralNumber()).as("ints are JSON integers: %s", line).isTrue();
      assertThat(params.get("units").asLong()).isBetween(8L, 64L);
      assertThat(params.get("lr").asDouble()).isBetween(1e-4, 0.1);
      assertThat(List.of("\"relu\"", "\"tanh\"", "3", "true")).contains(params.get("act").toString());
    }
    assertThat(r.json(3).get("trial").asInt()).isZero();
    assertThat(r.json(4).get("params").has("x1")).isTrue();
  }

  @Test
  void aMalformedSpaceGetsAnErrorAndTheNextRunIsServed() {
    String bad = "{\"x\": {\"type\": \"float\", \"low\": 5, \"high\": -5, \"log\": false}}";
    Result r = scripted("random",
        header(bad, 3, 1, "bad/1"),
        "{\"end\": true, \"run\": \"bad/1\", \"best_value\": null}",
        header(BRANIN_SPACE, 1, 1, "good/1"), value(0, 1.0),
        "{\"end\": true, \"run\": \"good/1\", \"best_value\": 1.0}");

    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(2);
    assertThat(r.json(0).get("error").asText())
        .isEqualTo("run 'bad/1': parameter 'x': low must be <= high, got low=5.0, high=-5.0");
    assertThat(r.json(1).get("trial").asInt()).isZero();
  }

  @Test
  void unknownTypesAndKeysAreErrorsNamingThem() {
    Result r = scripted("random",
        header("{\"x\": {\"type\": \"normal\", \"low\": 0, \"high\": 1}}", 1, 1, "a"), "{\"end\": true}",
        header("{\"x\": {\"type\": \"int\", \"low\": 0, \"high\": 1, \"q\": 2}}", 1, 1, "b"), "{\"end\": true}",
        header("{\"x\": {\"type\": \"int\", \"low\": 0.5, \"high\": 1}}", 1, 1, "c"), "{\"end\": true}");

    assertThat(r.lines()).hasSize(3);
    assertThat(r.json(0).get("error").asText())
        .isEqualTo("run 'a': parameter 'x': \"type\" must be \"float\", \"int\" or \"categorical\", got \"normal\"");
    assertThat(r.json(1).get("error").asText()).startsWith("run 'b': parameter 'x': unknown key \"q\"");
    assertThat(r.json(2).get("error").asText()).isEqualTo("run 'c': parameter 'x': \"low\" must be an integer, got 0.5");
  }

  @Test
  void anUnknownSamplerAnswersEachRunWithAnError() {
    Result r = scripted("bogus", header(BRANIN_SPACE, 2, 1, "x"), "{\"end\": true}");

    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(1);
    assertThat(r.json(0).get("error").asText()).startsWith("run 'x': unknown sampler method 'bogus'; known methods: random");
  }

  @Test
  void anExhaustedGridSaysSoInPlaceOfTheNextTrial() {
    String twoPoints = "{\"c\": {\"type\": \"categorical\", \"choices\": [\"a\", \"b\"]}}";
    Result r = scripted("grid", header(twoPoints, 3, 1, "g"), value(0, 1), value(1, 2), "{\"end\": true}");

    assertThat(r.lines()).hasSize(3);
    assertThat(List.of(r.json(0).get("params").get("c").asText(), r.json(1).get("params").get("c").asText()))
        .containsExactlyInAnyOrder("a", "b");
    assertThat(r.json(2).get("error").asText()).startsWith("run 'g': sampler grid failed at trial 2: the sampler has no new");
  }

  @Test
  void nonFiniteOrMissingValuesAreRecordedAsFailuresAndTheRunGoesOn() {
    Result r = scripted("random", header(BRANIN_SPACE, 3, 1, "n"),
        "{\"trial\": 0, \"value\": NaN}", "{\"trial\": 1, \"value\": null}", value(2, 1.0), "{\"end\": true}");

    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(3).allMatch(l -> l.startsWith("{\"trial\":"));
  }

  @Test
  void aReplyForAnotherTrialAbandonsTheRun() {
    Result r = scripted("random", header(BRANIN_SPACE, 3, 1, "m"), value(7, 1.0), "{\"end\": true}");

    assertThat(r.lines()).hasSize(2);
    assertThat(r.json(1).get("error").asText())
        .isEqualTo("run 'm': expected {\"trial\": 0, \"value\": ...}, got {\"trial\":7,\"value\":1.0}");
  }

  @Test
  void theSameSeedReproducesARunAndAnotherSeedDoesNot() {
    Result r = scripted("sobol",
        header(BRANIN_SPACE, 2, 5, "a"), value(0, 1), value(1, 1), "{\"end\": true}",
        header(BRANIN_SPACE, 2, 5, "b"), value(0, 1), value(1, 1), "{\"end\": true}",
        header(BRANIN_SPACE, 2, 6, "c"), value(0, 1), value(1, 1), "{\"end\": true}");

    assertThat(r.lines()).hasSize(6);
    assertThat(r.lines().subList(2, 4)).isEqualTo(r.lines().subList(0, 2));
    assertThat(r.lines().subList(4, 6)).isNotEqualTo(r.lines().subList(0, 2));
  }

  @Test
  void inputEndingWhileAValueIsAwaitedIsAnError() {
    assertThat(scripted("random", header(BRANIN_SPACE, 3, 1, "cut"), value(0, 1)).code()).isEqualTo(1);
    assertThat(scripted("random").code()).isZero();
  }

  @Test
  void aLineThatIsNotASpaceWhereOneIsExpectedGetsAnError() {
    Result r = scripted("random", "this is not json", header(BRANIN_SPACE, 1, 1, "ok"), value(0, 1), "{\"end\": true}");

    assertThat(r.lines()).hasSize(2);
    assertThat(r.json(0).get("error").asText()).startsWith("expected a {\"space\": ...} line, got {\"malformed\":");
    assertThat(r.json(1).has("trial")).isTrue();
  }
}
