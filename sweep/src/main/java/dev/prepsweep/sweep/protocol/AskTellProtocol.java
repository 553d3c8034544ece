package dev.prepsweep.sweep.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.prepsweep.sweep.sampler.Sampler;
import dev.prepsweep.sweep.sampler.SamplerFactory;
import dev.prepsweep.sweep.space.CategoricalDistribution;
import dev.prepsweep.sweep.space.Distribution;
import dev.prepsweep.sweep.space.FloatDistribution;
import dev.prepsweep.sweep.space.IntDistribution;
import dev.prepsweep.sweep.space.Parameter;
import dev.prepsweep.sweep.space.SearchSpace;
import dev.prepsweep.sweep.study.Direction;
import dev.prepsweep.sweep.study.Study;
import dev.prepsweep.sweep.study.Trial;
import dev.prepsweep.sweep.study.TrialState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-lines ask/tell front end, so an external benchmark harness can drive any sampler.
 * One JSON object per line in each direction; stdout carries only protocol lines and is flushed
 * after each; logs go to stderr.
 *
 * <pre>
 * harness -&gt; us  {"space": {NAME: DIST, ...}, "budget": 100, "seed": 1, "direction": "minimize", "run": "branin/seed1"}
 *                 DIST: {"type": "float", "low": L, "high": H, "log": false}
 *                     | {"type": "int", "low": L, "high": H, "log": false}      (inclusive, step 1)
 *                     | {"type": "categorical", "choices": [...]}
 * then budget times, one at a time:
 * us -&gt; harness  {"trial": ID, "params": {NAME: VALUE, ...}}   or   {"error": "message"}
 * harness -&gt; us  {"trial": ID, "value": Y}
 * harness -&gt; us  {"end": true, "run": "...", "best_value": Y}
 * </pre>
 *
 * then the next {@code space} line or end of input. Each run gets a fresh study with the named
 * sampler and the run's seed. A {@code value} that is null, not a number or not finite (NaN is
 * accepted on input) records the trial as FAILED. On a malformed space, an unknown sampler, a
 * sampler that runs out (grid) or a reply that does not fit, we send {@code {"error": ...}} in place
 * of the next trial line and skip the rest of that run up to its {@code end} line. Extra keys in a
 * distribution other than an optional {@code step} are errors.
 */
public final class AskTellProtocol {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private static final Set<String> NUMERIC_KEYS = Set.of("type", "low", "high", "log", "step");
  private static final Set<String> CATEGORICAL_KEYS = Set.of("type", "choices");

  private AskTellProtocol() {}

  /**
   * The logger, created on first use: after a command line ({@code prepsweep optimize}, the
   * benchmark's {@code ProtocolServer}) has pointed {@code System.out} at stderr, so a console
   * appender bound to "stdout" cannot write into the protocol stream. The pure core holds no
   * {@code main}: a command line owns the process's exit code.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(AskTellProtocol.class);
  }

  /**
   * Serves runs from {@code in} until end of input.
   *
   * @return 0 when input ends between runs (or after a run's last value), 1 when it ends while a
   *     trial's value is awaited or cannot be read
   */
  public static int run(InputStream in, PrintStream out, String samplerName) {
    Lines lines = new Lines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    try {
      JsonNode msg;
      while ((msg = lines.next()) != null) {
        if (msg.has("space")) {
          if (!new Run(msg, lines, out, samplerName).serve()) {
            return 1;
          }
        } else if (msg.has("end")) {
          Log.LOG.info("end of run {} (already abandoned)", msg.path("run").asText("?"));
        } else {
          send(out, Map.of("error", "expected a {\"space\": ...} line, got " + abbreviate(msg.toString())));
        }
      }
      return 0;
    } catch (UncheckedIOException e) {
      Log.LOG.error("cannot read the protocol input", e);
      return 1;
    }
  }

  /** One run: a study over the run's space, served trial by trial. */
  private static final class Run {
    private final JsonNode header;
    private final Lines lines;
    private final PrintStream out;
    private final String samplerName;
    private final String name;

    Run(JsonNode header, Lines lines, PrintStream out, String samplerName) {
      this.header = header;
      this.lines = lines;
      this.out = out;
      this.samplerName = samplerName;
      this.name = header.path("run").asText("?");
    }

    /** Serves the run through its end line; false when input ended while a value was awaited. */
    boolean serve() {
      Study study;
      int budget;
      try {
        SearchSpace space = space(header.get("space"));
        budget = nonNegativeInt(header, "budget");
        long seed = header.has("seed") ? integral(header.get("seed"), "seed") : 0L;
        Direction direction = Direction.parse(header.path("direction").asText("minimize"));
        Sampler sampler = SamplerFactory.create(samplerName, space, List.of(direction), seed);
        study = new Study(space, List.of(direction), sampler, null);
      } catch (IllegalArgumentException e) {
        return abandon("run '" + name + "': " + e.getMessage());
      }
      Log.LOG.info("run {}: {} trials with sampler {}", name, budget, samplerName);
      for (int i = 0; i < budget; i++) {
        Trial trial;
        try {
          trial = study.ask();
        } catch (RuntimeException e) {
          return abandon("run '" + name + "': sampler " + samplerName + " failed at trial " + i + ": " + e.getMessage());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("trial", trial.number());
        line.put("params", trial.params());
        send(out, line);
        JsonNode reply = lines.next();
        if (reply == null) {
          Log.LOG.error("run {}: input ended while waiting for the value of trial {}", name, trial.number());
          return false;
        }
        if (reply.has("end")) {
          Log.LOG.info("run {} ended by the harness after {} trials", name, i);
          return true;
        }
        if (!reply.has("trial") || reply.get("trial").asLong(-1) != trial.number()) {
          return abandon("run '" + name + "': expected {\"trial\": " + trial.number() + ", \"value\": ...}, got "
              + abbreviate(reply.toString()));
        }
        JsonNode value = reply.get("value");
        if (value != null && value.isNumber() && Double.isFinite(value.asDouble())) {
          study.tell(trial.number(), value.asDouble());
        } else {
          Log.LOG.warn("run {}: trial {} has value {}; recorded as FAILED", name, trial.number(), value);
          study.tell(trial.number(), TrialState.FAILED);
        }
      }
      JsonNode end = lines.peek();
      if (end != null && end.has("end")) {
        lines.next();
        Log.LOG.info("run {} done: our best {}, harness best {}", name,
            study.best().map(Trial::value).orElse(Double.NaN), end.path("best_value"));
      }
      return true;
    }

    /** Sends the error in place of a trial line and skips to the run's end (or the next run). */
    private boolean abandon(String message) {
      Log.LOG.warn(message);
      send(out, Map.of("error", message));
      JsonNode next;
      while ((next = lines.peek()) != null && !next.has("space")) {
        lines.next();
        if (next.has("end")) {
          break;
        }
      }
      return true;
    }
  }

  static SearchSpace space(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("'space' must be an object of NAME: DIST");
    }
    List<Parameter> params = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        params.add(new Parameter(e.getKey(), distribution(e.getValue())));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("parameter '" + e.getKey() + "': " + ex.getMessage(), ex);
      }
    }
    return SearchSpace.of(params);
  }

  private static Distribution distribution(JsonNode d) {
    if (!d.isObject()) {
      throw new IllegalArgumentException("a distribution must be an object with a \"type\", got " + d);
    }
    String type = d.path("type").asText("");
    switch (type) {
      case "float" -> {
        allowOnly(d, NUMERIC_KEYS);
        double low = number(d, "low");
        double high = number(d, "high");
        boolean log = bool(d, "log");
        JsonNode step = d.get("step");
        return new FloatDistribution(low, high, log, step == null || step.isNull() ? null : number(d, "step"));
      }
      case "int" -> {
        allowOnly(d, NUMERIC_KEYS);
        JsonNode step = d.get("step");
        return new IntDistribution(integral(d.get("low"), "low"), integral(d.get("high"), "high"), bool(d, "log"),
            step == null || step.isNull() ? 1 : integral(step, "step"));
      }
      case "categorical" -> {
        allowOnly(d, CATEGORICAL_KEYS);
        JsonNode choices = d.get("choices");
        if (choices == null || !choices.isArray()) {
          throw new IllegalArgumentException("\"choices\" must be a list, got " + choices);
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode c : choices) {
          if (c.isTextual()) {
            values.add(c.asText());
          } else if (c.isBoolean()) {
            values.add(c.asBoolean());
          } else if (c.isNumber()) {
            values.add(c.numberValue());
          } else {
            throw new IllegalArgumentException("choices must be strings, numbers or booleans, got " + c);
          }
        }
        return new CategoricalDistribution(values);
      }
      default -> throw new IllegalArgumentException(
          "\"type\" must be \"float\", \"int\" or \"categorical\", got " + d.get("type"));
    }
  }

  private static void allowOnly(JsonNode d, Set<String> allowed) {
    for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException("unknown key \"" + key + "\" in " + d + "; allowed: " + new java.util.TreeSet<>(allowed));
      }
    }
  }

  private static double number(JsonNode d, String key) {
    JsonNode v = d.get(key);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static boolean bool(JsonNode d, String key) {
    JsonNode v = d.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException("\"" + key + "\" must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  /** An integer, also when written as a float with no fraction (Python's {@code 3.0}). */
  private static long integral(JsonNode v, String key) {
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v != null && v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 0x1p53) {
      return (long) v.asDouble();
    }
    throw new IllegalArgumentException("\"" + key + "\" must be an integer, got " + v);
  }

  private static int nonNegativeInt(JsonNode msg, String key) {
    long v = integral(msg.get(key), key);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("\"" + key + "\" must be between 0 and " + Integer.MAX_VALUE + ", got " + v);
    }
    return (int) v;
  }

  private static void send(PrintStream out, Map<String, Object> line) {
    try {
      out.print(JSON.writeValueAsString(line) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write protocol line " + line, e);
    }
    out.flush();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** Non-blank input lines as JSON, with one line of look-ahead. Malformed lines become {@code {"malformed": text}}. */
  private static final class Lines {
    private final BufferedReader reader;
    private JsonNode peeked;

    Lines(BufferedReader reader) {
      this.reader = reader;
    }

    JsonNode peek() {
      if (peeked == null) {
        peeked = read();
      }
      return peeked;
    }

    JsonNode next() {
      JsonNode n = peek();
      peeked = null;
      return n;
    }

    private JsonNode read() {
      try {
        String line;
        do {
          line = reader.readLine();
        } while (line != null && line.isBlank());
        if (line == null) {
          return null;
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (node != null && node.isObject()) {
            return node;
          }
        } catch (JsonProcessingException e) {
          Log.LOG.warn("malformed protocol line: {}", abbreviate(line));
        }
        return JSON.createObjectNode().put("malformed", line);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
